"""Counts of what the base holds: the inventory, the home page's figures, totals per facet value
and the département map (a choropleth drawn on the server, and the same numbers as a table)."""

from dataclasses import dataclass

from django.db.models import Count, Q

from initiatives.browse import bitsets
from initiatives.models import Actor, Citation, CrisisPeriod, FormerSlug, Initiative, Source, Theme
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


def department_counts() -> dict:
    """département INSEE code -> published cases located in it."""
    return facet_totals("department")


def department_map():
    """Choropleth data of published cases per département, and the same numbers as table rows."""
    counts = department_counts()
    departments = list(Territory.objects.filter(kind="department").select_related("region").order_by("code"))
    urls = {d.code: d.get_absolute_url() for d in departments if counts.get(d.code)}  # no link without a case
    data = choropleth(counts, urls)
    mainland = {d["code"] for d in data["departments"]}
    data["overseas"] = [
        {"code": d.code, "name": d.name, "count": counts.get(d.code, 0), "url": urls.get(d.code, "")}
        for d in departments
        if d.code not in mainland
    ]
    data["table"] = [
        {
            "code": d.code,
            "name": d.name,
            "region": d.region.name if d.region else "",
            "count": counts.get(d.code, 0),
            "url": urls.get(d.code, ""),
        }
        for d in departments
    ]
    data["total"] = sum(counts.values())
    return data


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
