"""The Atom feed of a list (/initiatives/flux.atom?<the list's parameters>), through real HTTP."""

import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from initiatives.alerts.feeds import FEED_MAX
from initiatives.models import Initiative
from tests.initiatives.alerts.conftest import SEARCH

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
FEED = "/initiatives/flux.atom"
LIST_SLUGS = re.compile(r'id="cas-([\w-]+)"')


def parse(response):
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return ET.fromstring(response.content)


def entry_slugs(feed):
    links = [e.find(f"{ATOM}link[@rel='alternate']").get("href") for e in feed.iter(f"{ATOM}entry")]
    return [re.fullmatch(r"http://testserver/initiatives/([\w-]+)/", link).group(1) for link in links]


def age(case, days):
    """The case was last updated ``days`` ago (a QuerySet update: ``updated_at`` is auto_now)."""
    Initiative.objects.filter(pk=case.pk).update(updated_at=timezone.now() - timedelta(days=days))


@pytest.fixture
def cases(world):
    made = {
        "paniers": world.case("Paniers solidaires du Breil"),
        "epicerie": world.case("Épicerie solidaire de Nantes"),
        "maraude": world.case("Maraude alimentaire nantaise"),
        "ecole": world.case("Soutien scolaire à Nantes", theme="school"),  # another theme
        "brest": world.case("Colis alimentaires à Brest", place="brest"),  # another région
        "brouillon": world.case("Cantine solidaire (brouillon)", status=Initiative.Status.DRAFT),  # unpublished
    }
    for name, days in {"paniers": 3, "epicerie": 1, "maraude": 2, "ecole": 0, "brest": 0, "brouillon": 0}.items():
        age(made[name], days)
    return made


def test_the_feed_of_a_filtered_list_is_atom_and_lists_the_same_cases_as_the_page(client, cases):
    feed = parse(client.get(f"{FEED}?{SEARCH}"))
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}").text
    assert feed.find(f"{ATOM}author/{ATOM}name").text == "Proximités"
    title = "Proximités — initiatives : Thème : Aide alimentaire ; Région : Pays de la Loire"
    assert feed.find(f"{ATOM}title").text == title
    alternate = feed.find(f"{ATOM}link[@rel='alternate']").get("href")
    assert alternate == f"http://testserver/initiatives/?{SEARCH}"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == f"http://testserver{FEED}?{SEARCH}"

    page = client.get(f"/initiatives/?{SEARCH}").content.decode()
    on_page = LIST_SLUGS.findall(page)
    in_feed = entry_slugs(feed)
    assert sorted(in_feed) == sorted(on_page)
    # Newest update first; the other theme, the other région and the draft are not there.
    assert in_feed == [cases["epicerie"].slug, cases["maraude"].slug, cases["paniers"].slug]
    for entry in feed.iter(f"{ATOM}entry"):
        for required in ("id", "title", "updated", "summary"):
            assert entry.find(f"{ATOM}{required}").text, required
        assert entry.find(f"{ATOM}id").text.startswith("tag:")
    first = next(feed.iter(f"{ATOM}entry"))
    assert first.find(f"{ATOM}title").text == "Épicerie solidaire de Nantes (Nantes)"
    assert first.find(f"{ATOM}summary").text == "Une action de proximité."
    updated = Initiative.objects.get(pk=cases["epicerie"].pk).updated_at
    assert datetime.fromisoformat(first.find(f"{ATOM}updated").text) == updated


def test_a_case_updated_since_moves_to_the_top_and_an_unpublished_one_leaves(client, cases):
    paniers = Initiative.objects.get(pk=cases["paniers"].pk)
    paniers.summary = "Des paniers livrés chaque semaine."
    paniers.save()
    maraude = Initiative.objects.get(pk=cases["maraude"].pk)
    maraude.status = Initiative.Status.ARCHIVED
    maraude.save()
    feed = parse(client.get(f"{FEED}?{SEARCH}"))
    assert entry_slugs(feed) == [cases["paniers"].slug, cases["epicerie"].slug]


def test_the_feed_without_parameters_holds_every_published_case_up_to_its_cap(client, world):
    for n in range(FEED_MAX + 2):
        world.case(f"Action numéro {n}")
    world.case("Un brouillon", status=Initiative.Status.DRAFT)
    feed = parse(client.get(FEED))
    slugs = entry_slugs(feed)
    assert len(slugs) == FEED_MAX
    assert feed.find(f"{ATOM}title").text == "Proximités — initiatives : toutes les initiatives publiées"


def test_a_search_with_no_case_is_a_valid_empty_feed(client, cases):
    feed = parse(client.get(f"{FEED}?theme=continuite-scolaire&region=53"))
    assert list(feed.iter(f"{ATOM}entry")) == []
    assert feed.find(f"{ATOM}updated").text


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("theme=inconnu", "valeur inconnue ignorée (inconnu)"),
        ("region=52&nimporte=1", "Paramètre inconnu ignoré : « nimporte »"),
        ("territoire=nulle-part", "Territoire inconnu ignoré : « nulle-part »"),
        ("page=abc", "« page » : valeur « abc » non valide"),
    ],
)
def test_malformed_parameters_get_a_clear_400_not_a_feed(client, cases, query, said):
    response = client.get(f"{FEED}?{query}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    text = response.content.decode()
    assert "Flux impossible" in text and said in text


def test_the_list_links_its_feed_in_the_head_and_in_the_page(client, cases):
    page = client.get(f"/initiatives/?{SEARCH}&tri=titre&page=1").content.decode()
    head = page.split("</head>")[0]
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Proximités — ces initiatives (flux Atom)" '
        'href="/initiatives/flux.atom?theme=aide-alimentaire&amp;region=52">'
    ) in head
    body = page.split("</head>")[1]
    assert (
        'href="/initiatives/flux.atom?theme=aide-alimentaire&amp;region=52" type="application/atom+xml">'
        "S'abonner (flux Atom)</a>"
    ) in body
    assert (
        'href="/alertes/abonner/?theme=aide-alimentaire&amp;region=52">'
        "Recevoir les nouvelles initiatives par e-mail</a>"
    ) in body
