"""The loader of the official QPV list (territories/qpv.py), on a small file in its format."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from territories.models import Territory
from territories.qpv import load_qpv
from tests.factories import CommuneFactory, DepartmentFactory, RegionFactory, france

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parent / "qpv_sample.csv"


@pytest.fixture
def nantes_area():
    france()
    dept = DepartmentFactory(code="44", name="Loire-Atlantique", parent=RegionFactory(code="52"))
    return {
        "nantes": CommuneFactory(code="44109", name="Nantes", parent=dept),
        "saint_herblain": CommuneFactory(code="44162", name="Saint-Herblain", parent=dept),
    }


def test_the_official_list_creates_qpv_under_their_communes(nantes_area):
    report = load_qpv(SAMPLE)
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    assert report.problems == [
        "ligne 4 : commune(s) inconnue(s) 99999",
        "ligne 5 : code, nom et commune(s) sont obligatoires",
    ]
    bellevue = Territory.objects.get(code="QN04401M")
    assert (bellevue.kind, bellevue.name, bellevue.parent) == ("qpv", "Bellevue", nantes_area["nantes"])
    assert list(bellevue.also_in.all()) == [nantes_area["saint_herblain"]]  # over two communes


def test_a_neighbourhood_a_report_named_is_upgraded_not_duplicated(nantes_area):
    named = Territory.objects.create(kind="quartier", name="Le Breil - Malville", parent=nantes_area["nantes"])
    report = load_qpv(SAMPLE)
    assert (report.created, report.updated) == (1, 1)
    named.refresh_from_db()
    assert (named.kind, named.code) == ("qpv", "QN04402M")
    assert Territory.objects.filter(name="Le Breil - Malville").count() == 1


def test_loading_twice_changes_nothing(nantes_area):
    load_qpv(SAMPLE)
    paths = dict(Territory.objects.values_list("pk", "path"))
    report = load_qpv(SAMPLE)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert dict(Territory.objects.values_list("pk", "path")) == paths


def test_the_command_reports_a_file_it_cannot_read(tmp_path, nantes_area):
    wrong = tmp_path / "liste.csv"
    wrong.write_text("identifiant,libellé\nX,Y\n", encoding="utf-8")
    with pytest.raises(CommandError, match="colonne « code » introuvable"):
        call_command("load_qpv", str(wrong))
    with pytest.raises(CommandError):
        call_command("load_qpv", str(tmp_path / "absent.csv"))


def test_the_command_loads_and_says_what_it_did(nantes_area, capsys):
    call_command("load_qpv", str(SAMPLE))
    out, err = capsys.readouterr()
    assert "2 QPV créés, 0 complétés, 0 inchangés, 2 ligne(s) ignorée(s)." in out
    assert "ligne 4 : commune(s) inconnue(s) 99999" in err
