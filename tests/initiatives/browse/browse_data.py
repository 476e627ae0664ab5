"""A small random world for browse tests: territory hierarchy, two theme levels, several actors per case."""

import random

from django.db import connection
from django.test.utils import CaptureQueriesContext

from initiatives.browse.keys import writing
from initiatives.models import Actor, Initiative, Involvement
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


def build_world(seed=7, cases=60):
    rnd = random.Random(seed)
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
            initiative = InitiativeFactory(
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
            cases_made.append(initiative)
    return {"regions": regions, "departments": departments, "communes": communes, "roots": roots, "children": children}


def facet_values_of(initiative):
    """Every (facet, value) a case has, computed in plain Python from the models (the oracle)."""
    from initiatives.browse.facets import NO, UNSPECIFIED, YES

    values = set()
    for theme in initiative.themes.all():
        values.add(("theme", theme.slug))
        if theme.parent_id:
            values.add(("theme", theme.parent.slug))
    if initiative.region_id:
        values.add(("region", initiative.region.code))
    if initiative.department_id:
        values.add(("department", initiative.department.code))
    values.add(("centre", initiative.curating_centre.slug))
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
    values.add(("precision", initiative.precision))
    values.add(("level", initiative.documentation_level))
    for field in ("continued", "volunteers"):
        value = getattr(initiative, field)
        if value is not None:
            values.add((field, YES if value else NO))
    return values


def published_cases():
    return list(Initiative.objects.published())


__all__ = ["build_world", "facet_values_of", "published_cases", "Actor"]


def queries(client, url):
    # The first request after a write also brings the in-memory facet index up to date; measure the next.
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx), response
