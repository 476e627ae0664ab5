"""/cooperations/: who acted with whom in a selection, counted on a small base built here."""

import re

import pytest

from initiatives.models import Initiative, Involvement
from initiatives.panorama import cooperation
from tests.factories import ActorFactory, InitiativeFactory, InvolvementFactory, ThemeFactory, national_network
from tests.initiatives.panorama.pages import H1, assert_links_lead_to_their_counts, table_rows

pytestmark = pytest.mark.django_db

CARRIER, PARTNER, FUNDER, RELAY = (r.value for r in Involvement.Role)
MATRIX = "Cas de la sélection où un acteur"
TOGETHER = "Les "
NETWORK = "Les acteurs nommés partagés"


@pytest.fixture
def base():
    """Five published cases and a draft that must be counted nowhere (it has the same actors and a
    "yes" to coopération inédite). An unnamed actor appears in two cases: never in the network."""
    national_network()
    first, second = ThemeFactory(slug="premier"), ThemeFactory(slug="second")
    alpha = ActorFactory(name="Secours Alpha", slug="secours-alpha")  # formal
    beta = ActorFactory(name="Ville de Beta", slug="ville-de-beta", kind="institutional", category="commune")
    gamma = ActorFactory(name="Collectif Gamma", slug="collectif-gamma", kind="informal", category="")
    delta = ActorFactory(name="Réseau Delta", slug="reseau-delta", kind="", category="")
    residents = ActorFactory(name="Deux résidentes", slug="deux-residentes-x", kind="informal", is_unnamed=True)
    neighbours = ActorFactory(name="Des voisins", slug="des-voisins-x", kind="informal", is_unnamed=True)
    cases = {}
    for key, theme, fact, roles in [
        ("c1", first, True, [(alpha, CARRIER), (beta, PARTNER), (delta, RELAY), (residents, RELAY)]),
        ("c2", first, False, [(alpha, CARRIER), (beta, FUNDER), (residents, RELAY)]),
        ("c3", second, None, [(beta, CARRIER), (neighbours, PARTNER)]),
        ("c4", second, None, [(gamma, CARRIER), (delta, PARTNER)]),
        ("c5", None, None, []),
        ("draft", first, True, [(alpha, CARRIER), (beta, PARTNER), (gamma, PARTNER)]),
    ]:
        status = Initiative.Status.DRAFT if key == "draft" else Initiative.Status.PUBLISHED
        case = InitiativeFactory(title=f"Cas {key}", slug=f"cas-{key}", status=status, unprecedented_cooperation=fact)
        if theme:
            case.themes.set([theme])
        for actor, role in roles:
            InvolvementFactory(initiative=case, actor=actor, role=role)
        cases[key] = case
    return cases


def page(client, query=""):
    response = client.get(f"/cooperations/{query}")
    assert response.status_code == 200
    html = response.content.decode()
    assert len(H1.findall(html)) == 1
    return html


def test_the_matrix_counts_cases_and_involvements_by_kind_and_role(client, base):
    html = page(client)
    assert "<strong>5</strong> cas publiés : toute la base." in html
    assert "4 des 5 cas nomment au moins un acteur." in html
    assert table_rows(html, MATRIX) == [
        ["Type d'acteur", "Porteur", "Partenaire", "Financeur", "Relais", "Tous rôles"],
        ["Formel", "2 (2)", "0 (0)", "0 (0)", "0 (0)", "2"],
        ["Informel", "1 (1)", "1 (1)", "0 (0)", "2 (2)", "4"],
        ["Institutionnel", "1 (1)", "1 (1)", "1 (1)", "0 (0)", "3"],
        ["Non établi", "0 (0)", "1 (1)", "0 (0)", "1 (1)", "2"],
        ["Tous types", "4 (4)", "3 (3)", "1 (1)", "2 (3)", "4"],
    ]


def test_associations_and_institutions_in_one_case(client, base):
    html = page(client)
    assert table_rows(html, "Les 4 cas qui nomment") == [
        ["Le cas nomme…", "Cas"],
        ["Un acteur formel et un acteur institutionnel", "2"],
        ["Un acteur formel, aucun institutionnel", "0"],
        ["Un acteur institutionnel, aucun formel", "1"],
        ["Ni l'un ni l'autre (acteurs informels ou non établis seulement)", "1"],
        ["Au moins un acteur formel", "2"],
        ["Au moins un acteur institutionnel", "3"],
    ]


def test_unprecedented_cooperation_yes_no_and_not_established(client, base):
    html = page(client)
    assert table_rows(html, "Coopération ou partenariat inédit") == [
        ["Le rapport dit", "Cas"],
        ["Oui", "1"],
        ["Non", "1"],
        ["Non établi", "3"],
    ]
    assert '<li><a href="/initiatives/cas-c1/">Cas c1</a></li>' in html
    assert "Cas draft" not in html


def test_the_network_holds_named_actors_of_two_cases_or_more(client, base):
    html = page(client)
    assert table_rows(html, NETWORK) == [
        ["Acteur", "Type", "Cas", "Partenaires"],
        ["Ville de Beta", "institutionnel", "3", "Secours Alpha (2) ; Réseau Delta (1)"],
        ["Réseau Delta", "non établi", "2", "Secours Alpha (1) ; Ville de Beta (1)"],
        ["Secours Alpha", "formel", "2", "Ville de Beta (2) ; Réseau Delta (1)"],
    ]
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'role="group"' in svg and 'aria-labelledby="network-title"' in svg
    nodes = re.findall(r'<a href="(/acteurs/[^"]+/)"[^>]*aria-label="([^"]+)"><circle [^>]*><title>', svg)
    assert [href for href, _ in nodes] == [
        "/acteurs/ville-de-beta/",
        "/acteurs/reseau-delta/",
        "/acteurs/secours-alpha/",
    ]
    assert nodes[0][1] == "Ville de Beta (institutionnel) : 3 cas, 2 partenaires du réseau"
    assert re.findall(r"<title>([^<]+ en commun)</title>", svg) == [
        "Secours Alpha et Ville de Beta : 2 cas en commun",
        "Réseau Delta et Secours Alpha : 1 cas en commun",
        "Réseau Delta et Ville de Beta : 1 cas en commun",
    ]
    # Neither the unnamed actor of two cases nor the actor of one published case (and the draft).
    assert "Deux résidentes" not in html and "Collectif Gamma" not in html
    for node in re.findall(r'<a href="(/acteurs/[^"]+/)"', svg):
        assert client.get(node).status_code == 200


def test_every_count_link_leads_to_a_list_of_exactly_that_count(client, base):
    html = page(client)
    links = assert_links_lead_to_their_counts(client, html)
    # Carriers by kind (3 non-zero), any actor by kind (4), "au moins un formel / institutionnel" (2).
    assert links == 9
    assert '<a href="/initiatives/?porteur=formal">2</a>' in html
    assert '<a href="/initiatives/?acteur=non-precise">2</a>' in html


def test_a_theme_and_an_actor_kind_filter_the_selection_and_keep_links_exact(client, base):
    html = page(client, "?theme=premier")
    assert "<strong>2</strong> cas publiés pour Thème" in html
    assert table_rows(html, MATRIX)[1] == ["Formel", "2 (2)", "0 (0)", "0 (0)", "0 (0)", "2"]
    assert '<a href="/initiatives/?theme=premier&amp;porteur=formal">2</a>' in html
    assert assert_links_lead_to_their_counts(client, html) > 0
    # Filtered on formal actors, the other kinds' counts are no link: no list shows "formal AND institutional".
    html = page(client, "?acteur=formal")
    rows = table_rows(html, MATRIX)
    assert rows[3] == ["Institutionnel", "0 (0)", "1 (1)", "1 (1)", "0 (0)", "2"]
    assert '<a href="/initiatives/?acteur=formal">2</a>' in html
    assert "acteur=institutional" not in html
    assert assert_links_lead_to_their_counts(client, html) > 0


def test_a_slice_without_shared_actors_says_so_instead_of_drawing(client, base):
    html = page(client, "?theme=second")
    assert "Aucun acteur nommé n'apparaît dans 2 cas ou plus de cette sélection" in html
    assert "<svg" not in html and NETWORK not in html


def test_an_empty_selection_says_so(client, base):
    html = page(client, "?theme=second&porteur=formal")
    assert "<strong>0</strong> cas publié : toute" not in html
    assert "Aucun cas publié dans cette sélection : rien à montrer." in html
    assert "<table" not in html and "<svg" not in html


@pytest.mark.parametrize("query", ["?theme=inconnu", "?parametre=1", "?tri=au-hasard", "?par_page=abc"])
def test_a_malformed_selection_is_refused_with_a_400(client, base, query):
    for page_url in ("/cooperations/", "/chronologie/"):
        response = client.get(f"{page_url}{query}")
        assert response.status_code == 400
        html = response.content.decode()
        assert len(H1.findall(html)) == 1
        assert "Adresse mal comprise" in html
        assert "<li>" in html and f'href="/initiatives/{query}"' in html


def test_the_list_theme_and_territory_pages_link_to_the_panoramas(client, base):
    html = client.get("/initiatives/?theme=premier").content.decode()
    assert '<a href="/cooperations/?theme=premier">Voir les coopérations de cette sélection</a>' in html
    assert '<a href="/chronologie/?theme=premier">Voir la chronologie de cette sélection</a>' in html
    html = client.get("/themes/premier/").content.decode()
    assert 'href="/cooperations/?theme=premier"' in html and 'href="/chronologie/?theme=premier"' in html
    commune = base["c1"].territory
    html = client.get(f"/territoires/{commune.slug}/").content.decode()
    assert f'href="/cooperations/?territoire={commune.slug}"' in html
    html = page(client, f"?territoire={commune.slug}")
    assert "<strong>1</strong> cas publié pour " in html


def test_a_large_selection_shows_the_most_present_actors_and_the_first_cases(client, base, monkeypatch):
    """The page stays bounded however large the base: at 100,000 cases an unbounded network was an
    84 MB page. Here the bounds are lowered to what the small base can exceed."""
    monkeypatch.setattr(cooperation, "NETWORK_MAX_ACTORS", 2)
    monkeypatch.setattr(cooperation, "CASES_SHOWN", 1)
    for key in ("c2", "c3"):
        Initiative.objects.filter(pk=base[key].pk).update(unprecedented_cooperation=True)
    html = page(client)
    # The two most present of the three actors in two cases or more (Réseau Delta before Secours Alpha: by name).
    assert table_rows(html, NETWORK)[1:] == [
        ["Ville de Beta", "institutionnel", "3", "Réseau Delta (1)"],
        ["Réseau Delta", "non établi", "2", "Ville de Beta (1)"],
    ]
    assert "3 acteurs dans ce cas : les 2 plus présents sont montrés, 1 lien entre eux." in html
    assert table_rows(html, "Coopération ou partenariat inédit")[1] == ["Oui", "3"]
    assert re.findall(r'<li><a href="/initiatives/(cas-c\d)/">', html) == ["cas-c1"]
    assert "Les 1 premiers par ordre alphabétique ; 2 autres ne figurent pas ici." in html
