"""Counts of what the base holds: the inventory, the home page's figures, totals per facet value
and the département map (a choropleth drawn on the server, and the same numbers as a table)."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.http import QueryDict
from django.urls import reverse

from initiatives.browse import bitsets, selectors
from initiatives.browse.facets import BY_NAME, facet_labels
from initiatives.models import (
    Actor,
    Citation,
    CrisisPeriod,
    FormerSlug,
    Initiative,
    LessonCitation,
    LessonEvidence,
    Resource,
    Source,
    Theme,
)
from territories.maps import choropleth
from territories.models import ResourceCentre, Territory


def _counts(qs, field):
    return {row[field]: row["n"] for row in qs.values(field).annotate(n=Count("pk", distinct=True)).order_by(field)}


def inventory() -> dict:
    """Counts of everything, in the shape ``manage.py inventory --json`` prints."""
    territories = _counts(Territory.objects.all(), "kind")
    initiatives = Initiative.objects.all()
    by_source = {
        s.slug: s.n
        for s in Source.objects.annotate(n=Count("citations__initiative", distinct=True)).order_by("year", "slug")
    }
    by_region = {
        t.name: t.n
        for t in Territory.objects.filter(kind=Territory.Kind.REGION)
        .annotate(n=Count("initiatives_in_region", distinct=True))
        .filter(n__gt=0)
        .order_by("-n", "name")
    }
    national = initiatives.filter(precision=Initiative.Precision.NATIONAL).count()
    if national:
        by_region["(national)"] = national
    # A case filed under a root theme or any of its children counts once for that root.
    by_root_theme = {
        root.name: initiatives.filter(Q(themes=root) | Q(themes__parent=root)).values("pk").distinct().count()
        for root in Theme.objects.filter(parent__isnull=True)
    }
    return {
        "territories": {
            "country": territories.get("country", 0),
            "region": territories.get("region", 0),
            "department": territories.get("department", 0),
            "commune": territories.get("commune", 0),
            "arrondissement": territories.get("arrondissement", 0),
            "qpv": territories.get("qpv", 0),
            "quartier": territories.get("quartier", 0),
        },
        "resource_centres": ResourceCentre.objects.count(),
        "resource_centres_with_coverage": ResourceCentre.objects.filter(coverage__isnull=False).distinct().count(),
        "actors": {
            **{kind: Actor.objects.filter(kind=kind).count() for kind in Actor.Kind.values},
            "unspecified": Actor.objects.filter(kind="").count(),
        },
        "actors_named": Actor.objects.named().count(),
        "themes": Theme.objects.count(),
        "initiatives": {
            "total": initiatives.count(),
            "by_documentation_level": {
                level: initiatives.filter(documentation_level=level).count()
                for level in Initiative.DocumentationLevel.values
            },
            "by_status": {status: initiatives.filter(status=status).count() for status in Initiative.Status.values},
            "by_precision": _counts(initiatives, "precision"),
            "with_other_places": initiatives.filter(other_places__isnull=False).distinct().count(),
            "former_addresses": FormerSlug.objects.count(),
            "by_source": by_source,
            "by_region": by_region,
            "by_root_theme": by_root_theme,
            "by_carrier_kind": {
                kind: initiatives.filter(involvements__role="porteur", involvements__actor__kind=kind)
                .values("pk")
                .distinct()
                .count()
                for kind in Actor.Kind.values
            },
            "by_actor_kind": {
                kind: initiatives.filter(involvements__actor__kind=kind).values("pk").distinct().count()
                for kind in Actor.Kind.values
            },
            "by_period": {
                p.slug: p.n
                for p in CrisisPeriod.objects.annotate(n=Count("initiatives", distinct=True)).order_by("start")
            },
        },
        "citations": Citation.objects.count(),
        "lessons": {
            "by_source": {
                s.slug: s.n
                for s in Source.objects.annotate(n=Count("lessons", distinct=True)).filter(n__gt=0).order_by("year")
            },
            "excerpts": LessonCitation.objects.count(),
            "case_links": dict(LessonEvidence.objects.values_list("basis").annotate(n=Count("pk")).order_by("basis")),
        },
        "resources": {
            "by_source": {
                s.slug: s.n
                for s in Source.objects.annotate(n=Count("resources", distinct=True)).filter(n__gt=0).order_by("year")
            },
            "by_kind": dict(Resource.objects.values_list("kind").annotate(n=Count("pk")).order_by("kind")),
        },
    }


def home_counts() -> dict:
    published = Initiative.objects.published()
    return {
        "initiatives": published.count(),
        "analysed": published.filter(documentation_level=Initiative.DocumentationLevel.ANALYSED).count(),
        "actors": Actor.objects.named().filter(initiatives__status=Initiative.Status.PUBLISHED).distinct().count(),
        "centres": ResourceCentre.objects.count(),
        "sources": Source.objects.count(),
    }


def facet_totals(facet) -> dict:
    """value -> published cases with it, for one facet (a root theme counts its children's cases).

    Read from the in-memory facet index: one query (its version).
    """
    index = bitsets.current()
    return {value: index.bits[(facet, value)].bit_count() for value in index.values_of(facet)}


def theme_counts() -> dict:
    return facet_totals("theme")


# The map follows the list's theme and period filters, with the list's own GET parameters
# (``theme``, ``periode``), and links to the list with ``departement`` added.
THEME, PERIOD, DEPARTMENT = (BY_NAME[name].param for name in ("theme", "period", "department"))


def department_map(params=None):
    """The département map and table under the list's theme and period filters (read from ``params``,
    a QueryDict; nothing else of it is read): choropleth data, overseas départements, table rows, and
    what the filter form shows.

    Counts come from the browse selector on the in-memory index: a département's count is the total
    the list shows for the same filters plus that département, and its link leads there; a
    département without cases gets no link. An unknown value is left out, with a notice.
    """
    filters = QueryDict(mutable=True)
    for param in (THEME, PERIOD):
        values = [v for v in params.getlist(param) if v] if params is not None else []
        if values:
            filters.setlist(param, values)
    labels = facet_labels()
    result = selectors.browse(filters, paginate_results=False, labels=labels)
    counts = _counts_of(result, "department")
    kept = [(param, value) for param, value, _ in result.active]  # the valid filters only
    departments = list(Territory.objects.filter(kind="department").select_related("region").order_by("code"))
    urls = {d.code: _list_url([(DEPARTMENT, d.code), *kept]) for d in departments if counts.get(d.code)}
    data = choropleth(counts, urls)
    mainland = {d["code"] for d in data["departments"]}
    rows = [
        {
            "code": d.code,
            "name": d.name,
            "region": d.region.name if d.region else "",
            "count": counts.get(d.code, 0),
            "url": urls.get(d.code, ""),
        }
        for d in departments
    ]
    data["overseas"] = [row for row in rows if row["code"] not in mainland]
    # Most cases first; among equals (the many at 0), by code, as people look a département up.
    data["table"] = sorted(rows, key=lambda row: (-row["count"], row["code"]))
    data["with_cases"] = sum(1 for row in rows if row["count"])
    data["filters"] = {
        "active": result.active,
        "notices": result.notices,
        "total": result.total,
        "list_url": _list_url(kept),
        "themes": _theme_choices(_counts_of(result, "theme"), {v for p, v in kept if p == THEME}),
        "periods": _period_choices(labels, _counts_of(result, "period"), {v for p, v in kept if p == PERIOD}),
    }
    return data


def _counts_of(result, facet_name) -> dict:
    """value -> count of one facet of a browse result (values without cases are absent: 0)."""
    return {v.value: v.count for f in result.facets if f.facet.name == facet_name for v in f.values}


def _list_url(pairs) -> str:
    return f"{reverse('browse:list')}?{urlencode(pairs)}" if pairs else reverse("browse:list")


def _period_choices(labels, counts, chosen) -> list:
    return [
        {"value": slug, "label": label, "count": counts.get(slug, 0), "selected": slug in chosen}
        for slug, label in labels["period"].items()
    ]


def _theme_choices(counts, chosen) -> list:
    """The theme select's groups: per root theme, the root itself (all of it) then its finer themes."""
    themes = list(Theme.objects.order_by("position", "name").values_list("pk", "parent_id", "slug", "name"))

    def option(slug, label):
        return {"value": slug, "label": label, "count": counts.get(slug, 0), "selected": slug in chosen}

    return [
        {
            "label": name,
            "options": [
                option(slug, f"{name} (tout le thème)"),
                *[option(s, n) for _, parent, s, n in themes if parent == pk],
            ],
        }
        for pk, parent_id, slug, name in themes
        if parent_id is None
    ]


@dataclass
class ThemeNode:
    theme: Theme
    count: int  # published cases filed under it (a root counts its finer themes' cases)
    children: list


def theme_tree() -> list[ThemeNode]:
    """The seven roots in order, each with its finer themes, and their counts. Two queries."""
    counts = theme_counts()
    themes = list(Theme.objects.order_by("position", "name"))
    children = {}
    for theme in themes:
        if theme.parent_id:
            children.setdefault(theme.parent_id, []).append(ThemeNode(theme, counts.get(theme.slug, 0), []))
    return [
        ThemeNode(theme, counts.get(theme.slug, 0), children.get(theme.pk, []))
        for theme in themes
        if theme.parent_id is None
    ]
