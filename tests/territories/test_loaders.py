import csv

import pytest

from territories.decoupage import FIELDS
from territories.loaders import load_territories
from territories.models import Territory

pytestmark = pytest.mark.django_db

ROWS = [
    ("region", "44", "Grand Est", "country", "FR", ""),
    ("department", "54", "Meurthe-et-Moselle", "region", "44", ""),
    ("department", "57", "Moselle", "region", "44", ""),
    ("commune", "54395", "Nancy", "department", "54", "104000"),
    ("commune", "57463", "Metz", "department", "57", "120000"),
    ("region", "11", "Île-de-France", "country", "FR", ""),
    ("department", "75", "Paris", "region", "11", ""),
    ("commune", "75056", "Paris", "department", "75", "2100000"),
    ("arrondissement", "75119", "Paris 19e Arrondissement", "commune", "75056", "180000"),
]


@pytest.fixture
def small_fixture(tmp_path):
    path = tmp_path / "territories.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(FIELDS)
        writer.writerows(ROWS)
    return path


def test_load_builds_the_tree_with_paths_and_denormalised_keys(small_fixture):
    counts = load_territories(path=small_fixture)
    assert counts == {"region": 2, "department": 3, "commune": 3, "arrondissement": 1}
    nancy = Territory.objects.get(kind="commune", code="54395")
    assert nancy.path == "/FR/R44/D54/C54395/"
    assert nancy.region.name == "Grand Est" and nancy.department.name == "Meurthe-et-Moselle"
    assert nancy.population == 104000
    paris19 = Territory.objects.get(kind="arrondissement", code="75119")
    assert paris19.parent.code == "75056" and paris19.department.code == "75"
    grand_est = Territory.objects.get(kind="region", code="44")
    assert set(Territory.objects.inside(grand_est).values_list("code", flat=True)) == {
        "44",
        "54",
        "57",
        "54395",
        "57463",
    }


def test_loading_twice_creates_nothing_and_applies_renames(small_fixture, tmp_path):
    load_territories(path=small_fixture)
    before = Territory.objects.count()
    ids = dict(Territory.objects.values_list("path", "pk"))
    renamed = tmp_path / "renamed.csv"
    renamed.write_text(small_fixture.read_text("utf-8").replace("Metz", "Metz (nouveau nom)"), "utf-8")
    load_territories(path=renamed)
    assert Territory.objects.count() == before
    assert dict(Territory.objects.values_list("path", "pk")) == ids
    assert Territory.objects.get(code="57463").name == "Metz (nouveau nom)"


def test_progress_reports_every_row(small_fixture):
    calls = []
    load_territories(path=small_fixture, progress=lambda done, total, label: calls.append((done, total)))
    assert calls[-1] == (len(ROWS) + 1, len(ROWS) + 1)
