"""The thesaurus file, its load, and the administrators' edits that a reload never undoes."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from initiatives.browse.search import thesaurus
from initiatives.models import ThesaurusEntry
from tests.factories import InitiativeFactory
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db

FILE = """
- key: aide-alimentaire
  synonyms: [aide alimentaire, colis]
- key: pre
  acronym: PRE
  means: [programme de réussite éducative]
"""


@pytest.fixture
def thesaurus_file(tmp_path):
    path = tmp_path / "thesaurus.yaml"
    path.write_text(FILE, encoding="utf-8")
    return path


def expressions(key):
    return ThesaurusEntry.objects.get(key=key).expressions()


def test_the_project_thesaurus_loads_whole():
    counts = thesaurus.load_thesaurus()
    assert counts["created"] == ThesaurusEntry.objects.count() >= 40
    assert ThesaurusEntry.objects.filter(kind="sigle", acronym="MECS").exists()
    assert thesaurus.load_thesaurus() == {"created": 0, "updated": counts["created"], "kept": 0}


def test_an_entry_edited_in_the_admin_survives_a_reload(admin_client, thesaurus_file):
    call_command("load_thesaurus", file=str(thesaurus_file))
    entry = ThesaurusEntry.objects.get(key="aide-alimentaire")
    url = reverse("admin:initiatives_thesaurusentry_change", args=[entry.pk])
    data = form_data(admin_client.get(url).content.decode(), "thesaurusentry_form")
    data["terms"] = "aide alimentaire\ncolis\népicerie solidaire"
    assert admin_client.post(url, data).status_code == 302
    thesaurus_file.write_text(FILE.replace("colis]", "colis, paniers]"), encoding="utf-8")
    call_command("load_thesaurus", file=str(thesaurus_file))
    assert expressions("aide-alimentaire") == ["aide alimentaire", "colis", "épicerie solidaire"]
    assert expressions("pre") == ["programme de réussite éducative"]


def test_an_entry_put_out_of_service_stops_widening_and_stays_out(admin_client, thesaurus_file, client):
    call_command("load_thesaurus", file=str(thesaurus_file))
    food = InitiativeFactory(title="Distribution de colis", status="published")
    assert food.title in client.get("/initiatives/", {"q": "aide alimentaire"}).content.decode()
    entry = ThesaurusEntry.objects.get(key="aide-alimentaire")
    url = reverse("admin:initiatives_thesaurusentry_change", args=[entry.pk])
    page = admin_client.get(url).content.decode()
    assert "Supprimer" not in page  # no deletion: the next load would bring the entry back
    data = form_data(page, "thesaurusentry_form")
    data.pop("active")
    assert admin_client.post(url, data).status_code == 302
    call_command("load_thesaurus", file=str(thesaurus_file))
    assert ThesaurusEntry.objects.get(key="aide-alimentaire").active is False
    assert food.title not in client.get("/initiatives/", {"q": "aide alimentaire"}).content.decode()


@pytest.mark.parametrize(
    "text, message",
    [
        ("- key: Pas Un Identifiant\n  synonyms: [a, b]\n", "entrée n° 1"),
        ("- key: vide\n  synonyms: []\n", "entrée n° 1"),
        ("- key: sigle\n  acronym: CAF\n", "entrée n° 1"),
        ("- key: a\n  synonyms: [x, y]\n- key: a\n  synonyms: [z, t]\n", "entrée n° 2"),
        ("key: [non fermé\n", "illisible"),
        ("just a string\n", "liste"),
    ],
)
def test_a_faulty_file_is_refused_whole_with_the_entry_named(thesaurus_file, text, message):
    call_command("load_thesaurus", file=str(thesaurus_file))
    before = list(ThesaurusEntry.objects.values_list("key", "terms"))
    thesaurus_file.write_text(FILE + text if text.startswith("-") else text, encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("load_thesaurus", file=str(thesaurus_file))
    expected = message.replace("n° 1", "n° 3").replace("n° 2", "n° 4") if text.startswith("-") else message
    assert expected in str(error.value) and "rien n'a changé" in str(error.value)
    assert list(ThesaurusEntry.objects.values_list("key", "terms")) == before
