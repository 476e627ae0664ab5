"""Natural keys that load (issue 13, finding 10): a ``dumpdata --natural-foreign --natural-primary``
of territories, centres, cases and users loads into an empty database and dumps back identical.

Before, ``ResourceCentre.natural_key()`` had no ``get_by_natural_key`` on its manager: the dump named
a case's curating centre and a curator's centres by slug, and loading it failed."""

import io
import json

import pytest
from django.apps import apps
from django.core.management import call_command

from tests.factories import (
    ActorFactory,
    CitationFactory,
    CommuneFactory,
    DepartmentFactory,
    InvolvementFactory,
    RegionFactory,
    ResourceCentreFactory,
    ThemeFactory,
    make_curator,
    national_network,
)

# Derived tables are rebuilt from the cases (docs/architecture.md), never dumped.
DERIVED = [
    f"initiatives.{name}"
    for name in ("searchdocument", "searchword", "browsekey", "browseversion", "browsechange", "publicversion")
]
LABELS = ["auth.group", "crpv_site", "territories", "taggit", "initiatives"]


def test_every_model_with_a_natural_key_can_be_found_by_it():
    missing = [
        model._meta.label
        for model in apps.get_models()
        if hasattr(model, "natural_key") and not hasattr(model._default_manager, "get_by_natural_key")
    ]
    assert missing == []


def dump():
    out = io.StringIO()
    call_command("dumpdata", *LABELS, exclude=DERIVED, natural_foreign=True, natural_primary=True, indent=1, stdout=out)
    return out.getvalue()


@pytest.fixture
def content():
    national_network()
    region = RegionFactory(name="Grand Est", code="44")
    department = DepartmentFactory(name="Meurthe-et-Moselle", code="54", parent=region)
    centre = ResourceCentreFactory(name="Citoyens et Territoires", slug="citoyens-territoires", coverage=[region])
    food = ThemeFactory(name="Aide alimentaire", slug="aide-alimentaire")
    case = CitationFactory(
        initiative__title="Paniers solidaires", initiative__territory=CommuneFactory(parent=department)
    ).initiative
    case.themes.add(food)
    case.tags.add("solidarité")
    InvolvementFactory(initiative=case, actor=ActorFactory(name="Secours populaire"))
    assert case.curating_centre == centre
    make_curator("curatrice@example.org", [centre])


@pytest.mark.django_db(transaction=True)
def test_a_natural_key_dump_loads_into_an_empty_database_and_dumps_back_identical(content, tmp_path):
    before = dump()
    data = json.loads(before)
    cases = [row for row in data if row["model"] == "initiatives.initiative"]
    assert cases and cases[0]["fields"]["curating_centre"] == ["citoyens-territoires"]
    assert any(row["model"] == "territories.resourcecentre" and "pk" not in row for row in data)

    fixture = tmp_path / "dump.json"
    fixture.write_text(before, "utf-8")
    call_command("flush", interactive=False, verbosity=0)
    assert dump() != before  # the database is empty now (but for what migrations create)
    call_command("loaddata", str(fixture), verbosity=0)
    assert dump() == before
