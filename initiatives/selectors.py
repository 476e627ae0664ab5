"""Reads: what the base holds (inventory, home page counts)."""

from django.db.models import Count, Q

from initiatives.models import Actor, Citation, CrisisPeriod, Initiative, Source, Theme
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
        "communes": published.values("territory__path").distinct().count(),
        "centres": ResourceCentre.objects.count(),
        "sources": Source.objects.count(),
    }
