"""Browsing the resources: the cases' facet semantics on a few dozen rows, counted in SQL.

Same rules as the case list (DESIGN, Browsing semantics): values of one facet are
alternatives (OR), facets combine (AND), each value's count is what ticking it would
give with the other facets kept, a chosen value stays listed even at 0, and a value
the URL names but the base does not know is ignored with a notice, never an error.
The case list's in-memory index is not needed here: a resource page counts a few
dozen rows, one grouped query per facet.
"""

from dataclasses import dataclass

from django.db.models import Count, Q

from initiatives.browse.facets import Facet
from initiatives.browse.selectors import FacetResult, FacetValue
from initiatives.models import Resource, Source, Theme
from initiatives.text import fold_words, search_text
from territories.models import ResourceCentre

FACETS = [
    Facet("kind", "type", "Type de ressource", ordered=True),
    Facet("theme", "theme", "Thème"),
    Facet("centre", "centre", "Centre de ressources éditeur"),
    Facet("year", "annee", "Année", ordered=True),
    Facet("source", "source", "Rapport qui la cite", ordered=True),
]
MAX_Q = 200


@dataclass
class ResourceResult:
    resources: list
    total: int
    facets: list
    active: list  # (param, value, label)
    notices: list
    q: str


def _labels():
    themes = {}
    for theme in Theme.objects.select_related("parent").order_by("parent__position", "position"):
        themes[theme.slug] = f"{theme.parent.name} › {theme.name}" if theme.parent_id else theme.name
    years = Resource.objects.published().exclude(year=None).values_list("year", flat=True).distinct()
    return {
        "kind": dict(Resource.Kind.choices),
        "theme": themes,
        "centre": dict(ResourceCentre.objects.order_by("name").values_list("slug", "name")),
        "year": {str(y): str(y) for y in sorted(years, reverse=True)},
        "source": {s.slug: f"{s.publisher} ({s.year})" for s in Source.objects.all()},
    }


def _condition(name, values) -> Q:
    if name == "kind":
        return Q(kind__in=values)
    if name == "theme":  # a root theme stands for its finer themes too
        return Q(themes__slug__in=values) | Q(themes__parent__slug__in=values)
    if name == "centre":
        return Q(publisher_centre__slug__in=values)
    if name == "year":
        return Q(year__in=[int(v) for v in values])
    return Q(source__slug__in=values)


def _matching(chosen, q, *, leave_out=None):
    queryset = Resource.objects.published()
    for facet in FACETS:
        if facet.name != leave_out and chosen[facet.name]:
            queryset = queryset.filter(pk__in=Resource.objects.filter(_condition(facet.name, chosen[facet.name])))
    if q:
        ids = [r.pk for r in queryset.only("title", "summary", "publisher", "excerpt") if _matches(r, q)]
        queryset = queryset.filter(pk__in=ids)
    return queryset


def _matches(resource, q) -> bool:
    """Every word of ``q`` starts a word of the resource (accents and case folded): « enquete » finds
    « Enquête », « confin » finds « confinement »."""
    text = search_text(resource.title, resource.summary, resource.publisher, resource.excerpt)
    return all(f" {word}" in text for word in fold_words(q).split())


def _counts(name, queryset) -> dict:
    if name == "theme":
        pairs = Resource.themes.through.objects.filter(resource__in=queryset).values_list(
            "resource_id", "theme__slug", "theme__parent__slug"
        )
        per_value = {}
        for resource, slug, parent in pairs:
            for value in filter(None, (slug, parent)):
                per_value.setdefault(value, set()).add(resource)
        return {value: len(ids) for value, ids in per_value.items()}
    field = {"kind": "kind", "centre": "publisher_centre__slug", "year": "year", "source": "source__slug"}[name]
    rows = queryset.exclude(**{f"{field}__isnull": True}).values(field).annotate(n=Count("pk", distinct=True))
    return {str(row[field]): row["n"] for row in rows}


def browse_resources(params) -> ResourceResult:
    """The published resources matching ``params`` (a QueryDict), with every facet's counts."""
    labels = _labels()
    chosen, active, notices = {}, [], []
    for facet in FACETS:
        known = labels[facet.name]
        values = []
        for value in params.getlist(facet.param)[:50]:
            if value in known and value not in values:
                values.append(value)
                active.append((facet.param, value, known[value]))
            elif value not in known:
                notices.append(f"{facet.label} : valeur inconnue « {value[:40]} », ignorée")
        chosen[facet.name] = values
    q = " ".join(params.get("q", "").split())[:MAX_Q]
    resources = list(
        _matching(chosen, q)
        .select_related("publisher_centre", "source")
        .prefetch_related("themes")
        .order_by("-year", "title")
    )
    facets = []
    for facet in FACETS:
        counts = _counts(facet.name, _matching(chosen, q, leave_out=facet.name))
        selected = set(chosen[facet.name])
        values = [
            FacetValue(value, label, counts.get(value, 0), value in selected)
            for value, label in labels[facet.name].items()
            if counts.get(value) or value in selected
        ]
        if not facet.ordered:
            values.sort(key=lambda v: (-v.count, v.label))
        facets.append(FacetResult(facet, values))
    return ResourceResult(resources, len(resources), facets, active, notices, q)
