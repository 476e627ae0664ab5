"""A small base for following searches: food aid and schooling in Nantes (Pays de la Loire), food aid
in Brest (Bretagne). The followed search is "aide alimentaire in Pays de la Loire"."""

import pytest
from django.core.cache import cache

from tests.factories import (
    CommuneFactory,
    DepartmentFactory,
    InitiativeFactory,
    RegionFactory,
    ThemeFactory,
    national_network,
)

SEARCH = "theme=aide-alimentaire&region=52"


@pytest.fixture(autouse=True)
def empty_cache(db):
    cache.clear()  # the rate limit may live in the cache
    yield
    cache.clear()


class World:
    def __init__(self):
        national_network()
        pdl = RegionFactory(name="Pays de la Loire", code="52")
        nantes = CommuneFactory(
            name="Nantes", code="44109", parent=DepartmentFactory(name="Loire-Atlantique", code="44", parent=pdl)
        )
        bretagne = RegionFactory(name="Bretagne", code="53")
        brest = CommuneFactory(
            name="Brest", code="29019", parent=DepartmentFactory(name="Finistère", code="29", parent=bretagne)
        )
        self.places = {"nantes": nantes, "brest": brest}
        self.themes = {
            "food": ThemeFactory(name="Aide alimentaire", slug="aide-alimentaire"),
            "school": ThemeFactory(name="Continuité scolaire", slug="continuite-scolaire"),
        }

    def case(self, title, *, place="nantes", theme="food", **fields):
        case = InitiativeFactory(title=title, territory=self.places[place], **fields)
        case.themes.set([self.themes[theme]])
        return case


@pytest.fixture
def world():
    return World()
