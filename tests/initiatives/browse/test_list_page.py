"""The list page as a practitioner uses it, through real HTTP: the "Où ?" field, the filter panel
(themes as a tree, long facets folded), the comparison selection kept in the URL, and families of
near-identical cases folded into one card."""

import re

import pytest
from django.urls import reverse

from initiatives.browse.families import family_key
from tests.factories import (
    CommuneFactory,
    DepartmentFactory,
    InitiativeFactory,
    RegionFactory,
    ThemeFactory,
    national_network,
)

pytestmark = pytest.mark.django_db
LIST = "/initiatives/"


@pytest.fixture
def places():
    national_network()
    region = RegionFactory(name="Île-de-France", code="11")
    essonne = DepartmentFactory(name="Essonne", code="91", parent=region)
    rhone = DepartmentFactory(name="Rhône", code="69", parent=RegionFactory(name="Auvergne-Rhône-Alpes", code="84"))
    grigny_91 = CommuneFactory(name="Grigny", code="91286", parent=essonne)
    grigny_69 = CommuneFactory(name="Grigny", code="69096", parent=rhone)
    evry = CommuneFactory(name="Évry-Courcouronnes", code="91228", parent=essonne)
    return {"region": region, "essonne": essonne, "grigny_91": grigny_91, "grigny_69": grigny_69, "evry": evry}


def test_where_field_sets_the_territory_filter(client, places):
    InitiativeFactory(title="Cas à Évry", territory=places["evry"])
    response = client.get(LIST, {"ou": "evry courcouronnes", "theme": ""})
    assert response.status_code == 302
    assert f"territoire={places['evry'].slug}" in response["Location"] and "ou=" not in response["Location"]
    for typed, place in [("Essonne", "essonne"), ("ile-de-france", "region"), ("Essonne (91)", "essonne")]:
        assert f"territoire={places[place].slug}" in client.get(LIST, {"ou": typed})["Location"], typed
    html = client.get(response["Location"]).content.decode()
    assert 'value="Évry-Courcouronnes (91228)"' in html  # the place in force is shown in the field


def test_where_field_offers_homonyms_and_says_when_it_finds_nothing(client, places):
    html = client.get(LIST, {"ou": "Grigny"}).content.decode()
    assert "Plusieurs lieux répondent à « Grigny »" in html
    for place in ("grigny_91", "grigny_69"):
        assert f"territoire={places[place].slug}" in html
    html = client.get(LIST, {"ou": "Xyzzyville"}).content.decode()
    assert "Aucun lieu ne répond à « Xyzzyville »" in html
    assert client.get(LIST, {"ou": "x" * 5000}).status_code == 200  # hostile input: a message, never a 500


def test_place_suggestions_cover_communes_departements_and_regions(client, places):
    labels = [p["label"] for p in client.get(reverse("browse:places"), {"q": "ess"}).json()]
    assert "Essonne (91)" in labels
    labels = [p["label"] for p in client.get(reverse("browse:places"), {"q": "grig"}).json()]
    assert labels == ["Grigny (69096)", "Grigny (91286)"] or set(labels) == {"Grigny (69096)", "Grigny (91286)"}
    assert client.get(reverse("browse:places"), {"q": "île-de"}).json()[0]["label"] == "Île-de-France (région)"
    assert client.get(reverse("browse:places"), {"q": "a"}).json() == []


def test_themes_are_a_tree_and_long_facets_fold_their_tail(client, places):
    root = ThemeFactory(name="Besoins de première nécessité", slug="besoins")
    child = ThemeFactory(name="Aide alimentaire", slug="aide-alimentaire", parent=root)
    communes = [CommuneFactory(parent=DepartmentFactory(parent=places["region"])) for _ in range(9)]
    for commune in communes:
        InitiativeFactory(territory=commune).themes.set([root, child])
    html = client.get(LIST).content.decode()
    tree = re.search(r'<fieldset class="facet" id="facette-theme"[^>]*>.*?</fieldset>', html, re.S).group(0)
    # the finer theme sits in a list inside its root's item, labelled with its own name only
    assert re.search(
        r'value="besoins".*?<ul class="children">.*?value="aide-alimentaire".*?>Aide alimentaire ', tree, re.S
    )
    departments = re.search(r'id="facette-departement".*?</fieldset>', html, re.S).group(0)
    assert departments.count('type="checkbox"') == 9
    assert "voir les 3 autres" in departments and 'data-filter="Filtrer les départements"' in departments
    chosen = communes[8].parent.code
    folded = re.search(
        r'id="facette-departement".*?</fieldset>', client.get(LIST, {"departement": chosen}).content.decode(), re.S
    )
    head = folded.group(0).split("<details")[0]
    assert f'value="{chosen}" id="f-departement-{chosen}" checked' in head  # a chosen value is never hidden


def test_the_comparison_selection_lives_in_the_url_with_a_tray_and_a_limit(client, places):
    cases = [InitiativeFactory(title=f"Cas {n}", territory=places["evry"]) for n in range(6)]
    html = client.get(LIST).content.decode()
    assert html.count('class="compare-toggle"') == 6 and 'aria-label="Comparer « Cas 0 »"' in html
    chosen = [c.slug for c in cases[:2]]
    html = client.get(LIST, {"cas": chosen, "page": 1}).content.decode()
    assert "2 cas sélectionnés" in html and html.count("compare-toggle is-on") == 2
    assert f"{reverse('browse:compare')}?cas={chosen[0]}&amp;cas={chosen[1]}&amp;retour=" in html
    assert html.count(f'name="cas" value="{chosen[0]}"') == 1  # kept when filters are applied
    # a toggle keeps the page and the selection, and comes back to the same card
    assert f"?cas={chosen[0]}&amp;cas={chosen[1]}&amp;cas={cases[2].slug}&amp;page=1#cas-{cases[2].slug}" in html
    five = [c.slug for c in cases[:5]]
    html = client.get(LIST, {"cas": five}).content.decode()
    assert "4 cas sélectionnés" in html and "4 cas au plus" in html and "1 cas de trop" in html
    assert "Comparaison complète" in html
    export = re.search(r'href="/initiatives/export.csv\?([^"]*)"', html).group(1)
    assert "cas=" not in export


def test_the_comparison_page_leads_back_to_the_list_and_refuses_a_fifth(client, places):
    cases = [InitiativeFactory(title=f"Cas {n}", territory=places["evry"]) for n in range(5)]
    slugs = [c.slug for c in cases]
    html = client.get(reverse("browse:compare"), {"cas": slugs, "retour": "theme=x&cas=a"}).content.decode()
    assert 'href="/initiatives/?theme=x&amp;cas=a">‹ Retour à la liste' in html
    assert "4 cas au plus" in html and "Cas 4" not in html and html.count('class="compare-case"') == 4
    assert client.get(reverse("browse:compare"), {"cas": [slugs[0], "inconnu"]}).status_code == 400


@pytest.mark.parametrize(
    "title, key",
    [
        ("Une initiative de soutien psychologique à Roubaix", ("initiative", "soutien", "psychologique")),
        ("Des initiatives de soutien psychologique à Marseille", ("initiative", "soutien", "psychologique")),
        ("Garde des enfants de soignants à Calais", ("garde", "enfant", "soignant")),
        ("Le centre social de Bohain adapte ses actions", None),
        ("Aide à domicile", None),
    ],
)
def test_family_key_is_the_title_without_its_place(title, key):
    assert family_key(title) == key


def test_near_identical_cases_fold_into_one_card(client, places):
    towns = [CommuneFactory(name=n, parent=places["essonne"]) for n in ("Roubaix", "Tourcoing", "Lille")]
    for town in towns:
        InitiativeFactory(title=f"Une initiative de soutien psychologique à {town.name}", territory=town)
    InitiativeFactory(title="Un atelier vélo à Évry", territory=places["evry"])
    html = client.get(LIST, {"tri": "titre"}).content.decode()
    assert html.count('<li class="result"') == 2
    assert re.search(r"et 2 cas semblables :\s*<a [^>]*>Roubaix</a>, <a [^>]*>Tourcoing</a>", html)
