"""A small base of lessons and resources on two centres, built in each test."""

from dataclasses import dataclass

import pytest

from initiatives.models import Initiative, Lesson, LessonCitation, LessonEvidence, Resource
from tests.factories import (
    ActorFactory,
    CommuneFactory,
    DepartmentFactory,
    InitiativeFactory,
    InvolvementFactory,
    RegionFactory,
    ResourceCentreFactory,
    SourceFactory,
    ThemeFactory,
    national_network,
)

PUBLISHED, DRAFT = Initiative.Status.PUBLISHED, Initiative.Status.DRAFT


@dataclass
class Base:
    centres: dict
    themes: dict
    sources: dict
    cases: dict
    lessons: dict
    resources: dict


def _lesson(slug, source, centre, *, themes=(), status=PUBLISHED, kind=Lesson.Kind.FINDING):
    lesson = Lesson.objects.create(
        slug=slug,
        source=source,
        curating_centre=centre,
        kind=kind,
        statement=f"Énoncé {slug}",
        summary="Ce qu'en dit le rapport.",
        status=status,
    )
    lesson.themes.set(themes)
    LessonCitation.objects.create(lesson=lesson, locator="Partie III", excerpt=f"Un passage du rapport sur {slug}.")
    return lesson


def _resource(slug, title, source, *, kind, year, centre=None, themes=(), status=PUBLISHED, summary=""):
    resource = Resource.objects.create(
        slug=slug,
        title=title,
        source=source,
        kind=kind,
        year=year,
        date_label=str(year),
        publisher=centre.name if centre else "Une fondation",
        publisher_centre=centre,
        curating_centre=centre,
        summary=summary,
        locator="Rubrique Publications",
        excerpt=f"Le passage qui présente {title}.",
        status=status,
    )
    resource.themes.set(themes)
    return resource


@pytest.fixture
def knowledge_base(db):
    national = national_network()
    north, south = RegionFactory(name="Hauts-de-France", code="32"), RegionFactory(name="Occitanie", code="76")
    centres = {
        "north": ResourceCentreFactory(name="IREV", slug="irev", coverage=[north]),
        "south": ResourceCentreFactory(name="Villes et Territoires", slug="vet", coverage=[south]),
        "national": national,
    }
    food = ThemeFactory(name="Première nécessité", slug="premiere-necessite", position=1)
    meals = ThemeFactory(name="Aide alimentaire", slug="aide-alimentaire", parent=food)
    school = ThemeFactory(name="Continuité scolaire", slug="continuite-scolaire", position=2)
    themes = {"food": food, "meals": meals, "school": school}
    sources = {"crpv": SourceFactory(slug="crpv-2020", publisher="RN-CRPV"), "odas": SourceFactory(slug="odas-2022")}

    def case(slug, region, *, kinds=(), status=PUBLISHED):
        commune = CommuneFactory(parent=DepartmentFactory(parent=region))
        initiative = InitiativeFactory(slug=slug, title=f"Cas {slug}", territory=commune, status=status)
        for kind in kinds:
            InvolvementFactory(initiative=initiative, actor=ActorFactory(kind=kind))
        return initiative

    cases = {
        "lille": case("lille", north, kinds=["formal", "institutional"]),
        "roubaix": case("roubaix", north, kinds=["informal"]),
        "toulouse": case("toulouse", south, kinds=["formal"]),
        "draft": case("brouillon", south, kinds=["formal"], status=DRAFT),
    }
    lessons = {
        "trust": _lesson("faire-confiance", sources["crpv"], national, themes=[meals]),
        "coop": _lesson("cooperer", sources["odas"], national, themes=[food, school], kind=Lesson.Kind.RECOMMENDATION),
        "plain": _lesson("sans-theme", sources["odas"], national),
        "hidden": _lesson("pas-encore", sources["crpv"], national, themes=[school], status=DRAFT),
    }
    for key, basis in (("lille", "report"), ("roubaix", "curator"), ("toulouse", "report"), ("draft", "report")):
        LessonEvidence.objects.create(
            lesson=lessons["trust"],
            initiative=cases[key],
            basis=basis,
            excerpt="les habitants" if basis == "report" else "",
        )
    LessonEvidence.objects.create(lesson=lessons["hidden"], initiative=cases["lille"], basis="report")
    resources = {
        "guide": _resource(
            "guide-aide",
            "Guide de l'aide alimentaire",
            sources["crpv"],
            kind="guide",
            year=2021,
            centre=centres["north"],
            themes=[meals],
        ),
        "survey": _resource(
            "enquete-ecoles",
            "Enquête sur les écoles",
            sources["crpv"],
            kind="survey",
            year=2020,
            centre=centres["north"],
            themes=[school],
            summary="Une enquête auprès des familles.",
        ),
        "note": _resource("note-crise", "Note sur la crise", sources["odas"], kind="guide", year=2020),
        "draft": _resource(
            "brouillon",
            "Guide en préparation",
            sources["crpv"],
            kind="guide",
            year=2021,
            centre=centres["north"],
            status=DRAFT,
        ),
    }
    return Base(centres, themes, sources, cases, lessons, resources)
