"""A small random world for browse tests: territory hierarchy, two theme levels, several actors per case."""

import random

from django.db import connection
from django.test.utils import CaptureQueriesContext

from initiatives.browse.keys import writing
from initiatives.models import Actor, Initiative, Involvement
from territories.models import ResourceCentre, Territory
from tests.factories import (
    ActorFactory,
    CitationFactory,
    CommuneFactory,
    DepartmentFactory,
    InitiativeFactory,
    PeriodFactory,
    PublicFactory,
    QpvFactory,
    RegionFactory,
    ResourceCentreFactory,
    SourceFactory,
    ThemeFactory,
    france,
    national_network,
)

# Words that only the titles of the random world hold, for the oracle's ``q`` (nothing else in a
# case — actors, places, themes — is named with them, so "the title has it" is the whole truth).
TITLE_WORDS = ["zorbalide", "quintaflor", "mervetoque"]


def build_world(seed=7, cases=60):
    rnd = random.Random(seed)
    extra = random.Random(seed + 1000)  # other places and title words: the main draw stays as it was
    national_network()
    regions = [RegionFactory(code=f"R{i}") for i in range(3)]
    departments = [DepartmentFactory(parent=rnd.choice(regions)) for _ in range(5)]
    communes = [CommuneFactory(parent=rnd.choice(departments)) for _ in range(8)]
    qpvs = [QpvFactory(parent=rnd.choice(communes)) for _ in range(4)]
    ResourceCentreFactory(coverage=[regions[0]])
    ResourceCentreFactory(coverage=[departments[1]])
    places = [france()] + regions + departments + communes * 2 + qpvs
    roots = [ThemeFactory() for _ in range(3)]
    children = [ThemeFactory(parent=rnd.choice(roots)) for _ in range(5)]
    publics = [PublicFactory() for _ in range(3)]
    periods = [PeriodFactory() for _ in range(3)]
    sources = [SourceFactory() for _ in range(2)]
    actors = [
        ActorFactory(
            kind=rnd.choice(["formal", "informal", "institutional", ""]),
            category=rnd.choice(["association", "commune", ""]),
        )
        for _ in range(12)
    ]
    cases_made = []
    with writing():  # one rebuild of derived data for the whole base, as a bulk writer does
        for _ in range(cases):
            status = "published" if rnd.random() < 0.85 else rnd.choice(["draft", "review", "archived"])
            words = extra.sample(TITLE_WORDS, extra.choice([0, 0, 1, 2]))
            initiative = InitiativeFactory(
                title=" ".join([f"Initiative {len(cases_made)}", *words]),
                territory=rnd.choice(places),
                status=status,
                setting=rnd.choice(["", "urbain", "rural"]),
                continued=rnd.choice([None, True, False]),
                volunteers=rnd.choice([None, True]),
                documentation_level=rnd.choice(["listed", "described", "analysed"]),
            )
            initiative.themes.set(rnd.sample(roots + children, rnd.randint(0, 3)))
            initiative.publics.set(rnd.sample(publics, rnd.randint(0, 2)))
            initiative.periods.set(rnd.sample(periods, rnd.randint(0, 2)))
            initiative.tags.set(rnd.sample(["aller-vers", "numerique", "entraide"], rnd.randint(0, 2)))
            for actor in rnd.sample(actors, rnd.randint(1, 4)):
                Involvement.objects.create(
                    initiative=initiative, actor=actor, role=rnd.choice(["porteur", "partenaire", "financeur"])
                )
            for source in rnd.sample(sources, rnd.randint(1, 2)):
                CitationFactory(initiative=initiative, source=source)
            if initiative.territory is not None and extra.random() < 0.3:  # a case over several places
                initiative.other_places.set(
                    [t for t in extra.sample(places, extra.randint(1, 2)) if t.pk != initiative.territory_id]
                )
            cases_made.append(initiative)
    return {
        "regions": regions,
        "departments": departments,
        "communes": communes,
        "qpvs": qpvs,
        "roots": roots,
        "children": children,
        "places": [france(), *regions, *departments, *communes, *qpvs],
    }


# What precision a place of each kind gives a case, written out here rather than read from the model.
PRECISION = {
    "country": "national",
    "region": "region",
    "department": "department",
    "epci": "department",
    "commune": "commune",
    "arrondissement": "commune",
    "qpv": "qpv",
    "quartier": "quartier",
}


def lineage(territory):
    """The territory and every one above it, deepest first, by walking ``parent`` links: not the
    derived columns (``region``, ``department``, ``path``) that the code under test maintains."""
    chain = []
    while territory is not None:
        chain.append(territory)
        territory = Territory.objects.filter(pk=territory.parent_id).first() if territory.parent_id else None
    return chain


def places_of(initiative):
    """Every place a case concerns: its main place and its other places."""
    main = [initiative.territory] if initiative.territory_id else []
    return main + list(initiative.other_places.all())


def curating_centre_of(initiative):
    """DESIGN's rule, from the coverage: the reporting centre, else the deepest covering centre
    (ties by name), else the national network."""
    if initiative.reporting_centre_id:
        return initiative.reporting_centre.slug
    for place in lineage(initiative.territory) if initiative.territory_id else []:
        covering = sorted(ResourceCentre.objects.filter(coverage=place, is_national=False), key=lambda c: c.name)
        if covering:
            return covering[0].slug
    return ResourceCentre.objects.get(is_national=True).slug


def concerned(initiative):
    """Every territory a case concerns: its places and every territory above them (walked once)."""
    return {above for place in places_of(initiative) for above in lineage(place)}


def facet_values_of(initiative):
    """Every (facet, value) a case has, computed in plain Python from the models and the territory
    tree (the oracle): région, département, precision and centre are derived here, never read from
    the columns ``Initiative.save()`` fills, so a bug there cannot be repeated by the oracle."""
    from initiatives.browse.facets import NO, UNSPECIFIED, YES

    values = set()
    for theme in initiative.themes.all():
        values.add(("theme", theme.slug))
        if theme.parent_id:
            values.add(("theme", theme.parent.slug))
    for above in concerned(initiative):
        if above.kind in ("region", "department"):
            values.add((above.kind, above.code))
    values.add(("centre", curating_centre_of(initiative)))
    for involvement in initiative.involvements.select_related("actor"):
        kind = involvement.actor.kind or UNSPECIFIED
        values.add(("actor_kind", kind))
        if involvement.role == "porteur":
            values.add(("carrier_kind", kind))
        if involvement.actor.category:
            values.add(("category", involvement.actor.category))
    values.update(("public", p.slug) for p in initiative.publics.all())
    values.update(("period", p.slug) for p in initiative.periods.all())
    values.update(("tag", t.slug) for t in initiative.tags.all())
    values.update(("source", c.source.slug) for c in initiative.citations.select_related("source"))
    if initiative.setting:
        values.add(("setting", initiative.setting))
    if initiative.territory_id:
        values.add(("precision", PRECISION[initiative.territory.kind]))
    values.add(("level", initiative.documentation_level))
    for field in ("continued", "volunteers"):
        value = getattr(initiative, field)
        if value is not None:
            values.add((field, YES if value else NO))
    return values


def published_cases():
    return list(Initiative.objects.published())


__all__ = ["build_world", "concerned", "facet_values_of", "published_cases", "Actor", "TITLE_WORDS"]


def queries(client, url):
    # The first request after a write also brings the in-memory facet index up to date; measure the next.
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx), response
