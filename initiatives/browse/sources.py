"""What each source report holds in the base: its published cases, by documentation level and by theme.

Counted from the in-memory facet index (one query, its version), so that each number is
exactly the total of the list it links to, ``/initiatives/?source=<slug>&theme=<slug>``:
a root theme counts the cases filed under it or under one of its finer themes.
"""

from dataclasses import dataclass, field

from django.http import QueryDict
from django.urls import reverse

from initiatives.browse import bitsets, summaries
from initiatives.browse.facets import BY_NAME
from initiatives.models import Initiative, Source, Theme


def list_url(**filters) -> str:
    """The case list filtered by ``filters`` (facet name -> value), with the list's own parameter names."""
    params = QueryDict(mutable=True)
    for facet, value in filters.items():
        params[BY_NAME[facet].param] = value
    return f"{reverse('browse:list')}?{params.urlencode()}"


@dataclass
class Count:
    label: str
    count: int
    url: str
    children: list = field(default_factory=list)


@dataclass
class Holdings:
    total: int
    url: str  # the list of this report's cases
    levels: list[Count]  # documentation levels, richest first, those with cases only
    themes: list[Count]  # root themes in their order, each with its finer themes; those with cases only
    without_theme: int  # cases filed under no theme (e.g. a line of a list that names only a carrier)


def overview() -> list[tuple[Source, int]]:
    """Every report with its published cases, in the order of the reports."""
    totals = summaries.facet_totals("source")
    return [(source, totals.get(source.slug, 0)) for source in Source.objects.order_by("year", "slug")]


def holdings(source: Source) -> Holdings:
    """The published cases of ``source`` by documentation level and by theme. Two queries."""
    index = bitsets.current()
    cases = index.bits.get(("source", source.slug), 0)

    def count(facet, value):
        return (cases & index.bits.get((facet, value), 0)).bit_count()

    levels = [
        Count(label, n, list_url(source=source.slug, level=value))
        for value, label in reversed(Initiative.DocumentationLevel.choices)
        if (n := count("level", value))
    ]
    themes = list(Theme.objects.order_by("position", "name"))
    tree = []
    for root in (t for t in themes if t.parent_id is None):
        if not (n := count("theme", root.slug)):
            continue
        children = [
            Count(child.name, m, list_url(source=source.slug, theme=child.slug))
            for child in themes
            if child.parent_id == root.pk and (m := count("theme", child.slug))
        ]
        tree.append(Count(root.name, n, list_url(source=source.slug, theme=root.slug), children))
    themed = 0
    for theme in themes:
        themed |= index.bits.get(("theme", theme.slug), 0)
    return Holdings(
        total=cases.bit_count(),
        url=list_url(source=source.slug),
        levels=levels,
        themes=tree,
        without_theme=(cases & ~themed).bit_count(),
    )
