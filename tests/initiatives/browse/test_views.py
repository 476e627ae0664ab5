"""Public pages and exports through real HTTP requests."""

import csv
import io
import json
import re
from html import unescape

import pytest
from django.test import override_settings
from django.urls import reverse

from initiatives.models import Initiative
from tests.factories import ActorFactory, InitiativeFactory, InvolvementFactory, ThemeFactory
from tests.initiatives.browse.browse_data import queries

pytestmark = pytest.mark.django_db

H1 = re.compile(r"<h1[\s>]", re.I)


def grow(random_base, extra=30):
    """More cases, more facet values (themes, tags, actors): query counts must not move."""
    themes = [ThemeFactory(parent=random_base["roots"][0]) for _ in range(4)]
    for i in range(extra):
        case = InitiativeFactory(territory=random_base["communes"][i % len(random_base["communes"])])
        case.themes.set(themes[: 1 + i % 4])
        case.tags.set([f"mot-{i}"])
        InvolvementFactory(initiative=case, actor=ActorFactory(kind="informal"))


@pytest.mark.parametrize(
    "url",
    [
        "/initiatives/",
        "/initiatives/?theme={theme}&region={region}&porteur=formal",
        "/initiatives/?q=action&tri=titre",
        "/api/initiatives/",
        "/api/initiatives/?theme={theme}&acteur=informal",
    ],
)
def test_list_query_count_does_not_grow_with_page_size_or_facet_values(client, random_base, url):
    url = url.format(theme=random_base["roots"][0].slug, region=random_base["regions"][0].code)
    sep = "&" if "?" in url else "?"
    small, _ = queries(client, url + f"{sep}par_page=10")
    grow(random_base)
    large, _ = queries(client, url + f"{sep}par_page=100")
    assert small == large
    assert large <= 40


def test_list_page_query_count_is_pinned(client, random_base, django_assert_num_queries):
    # 8 label lists (themes, régions, départements, centres, publics, periods, sources, tags),
    # the facet index's version, the page's cases and their themes: 11.
    url = f"/initiatives/?theme={random_base['roots'][0].slug}&region={random_base['regions'][0].code}"
    client.get(url)
    with django_assert_num_queries(11):
        client.get(url)


def test_case_page_query_count_does_not_grow_with_actors_or_citations(client, random_base):
    case = Initiative.objects.published().first()
    before, _ = queries(client, case.get_absolute_url())
    for _ in range(6):
        InvolvementFactory(initiative=case)
    case.tags.set(["a", "b", "c", "d"])
    after, _ = queries(client, case.get_absolute_url())
    assert before == after


PAGES = [
    "/",
    "/initiatives/",
    "/initiatives/?q=action",
    "/initiatives/?theme=inconnu",
    "/themes/",
    "/territoires/",
    "/centres-de-ressources/",
    "/initiatives/comparer/",
    "/api/",
    "/sources/",
    "/donnees/",
]


def test_every_public_page_has_exactly_one_h1(client, random_base):
    case = Initiative.objects.published().select_related("territory", "curating_centre").first()
    theme = case.themes.first() or ThemeFactory()
    actor = case.involvements.first().actor
    urls = [
        *PAGES,
        case.get_absolute_url(),
        case.territory.get_absolute_url(),
        case.curating_centre.get_absolute_url(),
        theme.get_absolute_url(),
        actor.get_absolute_url(),
        random_base["regions"][0].get_absolute_url(),
        case.citations.first().source.get_absolute_url(),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert len(H1.findall(response.content.decode())) == 1, url


def test_list_shows_chips_count_and_a_helpful_empty_state(client, random_base):
    html = client.get(f"/initiatives/?q=zzzzzzzz&theme={random_base['roots'][0].slug}").content.decode()
    assert "Aucune initiative ne correspond" in html
    assert "Retirer" in html and "Vérifiez l'orthographe" in html
    html = client.get("/initiatives/?theme=inconnu").content.decode()
    assert "valeur inconnue ignorée" in html


def test_case_page_offers_previous_and_next_within_the_search(client, random_base):
    params = "tri=titre"
    titles = list(Initiative.objects.published().order_by("title", "pk").values_list("slug", flat=True))
    middle = Initiative.objects.get(slug=titles[1])
    html = client.get(middle.get_absolute_url(), {"retour": params}).content.decode()
    assert f"/initiatives/{titles[0]}/?retour=" in html
    assert f"/initiatives/{titles[2]}/?retour=" in html
    assert "Retour aux résultats" in html


def test_csv_export_is_utf8_with_bom_semicolons_and_one_row_per_case(client, random_base):
    region = random_base["regions"][0].code
    response = client.get(f"/initiatives/export.csv?region={region}")
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    expected = client.get(f"/api/initiatives/?region={region}").json()["count"]
    assert len(rows) - 1 == expected
    assert rows[0][0] == "identifiant"


def test_json_export_and_api_agree(client, random_base):
    exported = json.loads(client.get("/initiatives/export.json?porteur=formal").content)
    api = client.get("/api/initiatives/?porteur=formal&par_page=100").json()
    assert exported["count"] == api["count"]
    assert {r["slug"] for r in exported["results"]} == {r["slug"] for r in api["results"]}


def test_compare_shows_cases_side_by_side(client, random_base):
    a, b = Initiative.objects.published()[:2]
    html = client.get(reverse("browse:compare"), {"cas": [a.slug, b.slug]}).content.decode()
    assert a.title in html and b.title in html and "<table" in html
    html = client.get(reverse("browse:compare"), {"cas": [a.slug]}).content.decode()
    assert "au moins deux" in html


def test_map_draws_every_mainland_department_once_and_the_table(client, random_base):
    html = client.get("/territoires/").content.decode()
    main_map = html[html.index("<svg") : html.index('<g class="inset"')]
    assert main_map.count('class="dept b') == 96  # with cases or not (the inset draws a few again)
    assert "<table" in html


def test_hostile_text_is_inert_on_public_pages(client, random_base):
    case = Initiative.objects.published().first()
    case.summary = '<img src=x onerror="alert(1)">'
    case.save()
    for url in (case.get_absolute_url(), "/initiatives/?q=onerror", "/"):
        html = client.get(url).content.decode()
        assert '<img src=x onerror="alert(1)">' not in html


def test_theme_centre_and_territory_pages_paginate_their_own_cases(client, random_base):
    theme = ThemeFactory()
    for _ in range(25):
        InitiativeFactory().themes.set([theme])
    first = client.get(theme.get_absolute_url()).content.decode()
    second = client.get(theme.get_absolute_url(), {"page": 2}).content.decode()
    assert "Page 1 sur 2" in first and "Page 2 sur 2" in second
    titles = set(re.findall(r'<h3><a href="[^"]+">([^<]+)</a>', first))
    assert titles.isdisjoint(re.findall(r'<h3><a href="[^"]+">([^<]+)</a>', second))
    assert f"?theme={theme.slug}" in first  # the same selection in the full list


def test_territory_page_lists_what_lies_inside_and_wider_cases_apart(client):
    from tests.factories import CommuneFactory, DepartmentFactory, QpvFactory, RegionFactory, national_network

    national_network()
    region = RegionFactory(name="Île-de-France")
    dept = DepartmentFactory(name="Seine-Saint-Denis", parent=region)
    stains = CommuneFactory(name="Stains", parent=dept)
    InitiativeFactory(territory=stains)
    InitiativeFactory(territory=QpvFactory(name="Clos Saint-Lazare", parent=stains))
    InitiativeFactory(territory=dept, title="Au niveau du département")
    InitiativeFactory(territory=region, title="Pour toute la région")
    html = unescape(client.get(dept.get_absolute_url()).content.decode())
    inside = re.search(r"Ce qu'il contient.*?</table>", html, re.S).group(0)
    assert "Stains" in inside and '<td class="num">2</td>' in inside
    assert "Seine-Saint-Denis" not in inside
    assert "3 initiatives dans ce territoire" in html
    assert "À l'échelle de la région ou nationale" in html and "Pour toute la région" in html


def test_a_case_unpublished_behind_the_index_back_never_shows(client, random_base):
    case = Initiative.objects.published().first()
    client.get("/initiatives/")  # the process's index now holds the case
    Initiative.objects.filter(pk=case.pk).update(status="draft")  # a write that skipped the boundary (no signal)
    assert case.title not in client.get("/initiatives/?par_page=100").content.decode()
    export = b"".join(client.get("/initiatives/export.csv").streaming_content).decode()
    assert case.slug not in export
    assert case.slug not in {r["slug"] for r in client.get("/api/initiatives/?par_page=100").json()["results"]}


def test_editing_reference_data_in_the_admin_updates_the_facets(admin_client, random_base):
    case = Initiative.objects.published().select_related("curating_centre").first()
    centre = case.curating_centre
    curated = Initiative.objects.published().filter(curating_centre=centre).count()
    url = reverse("admin:territories_resourcecentre_change", args=[centre.pk])
    form = {
        "name": centre.name,
        "short_name": centre.short_name,
        "slug": "nouveau-nom-du-centre",
        "website": "",
        "legal_form": "",
        "description": "",
        "source": "",
        "coverage": [t.pk for t in centre.coverage.all()],
    }
    if centre.is_national:
        form["is_national"] = "on"
    response = admin_client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:500]
    data = admin_client.get("/api/initiatives/?centre=nouveau-nom-du-centre").json()
    assert data["count"] == curated >= 1
    assert admin_client.get(f"/api/initiatives/?centre={centre.slug}").status_code == 400  # the old slug is gone


def test_renaming_a_tag_in_the_admin_updates_the_facets(admin_client, random_base):
    from taggit.models import Tag

    case = Initiative.objects.published().first()
    case.tags.set(["ancien-mot"])
    tag = Tag.objects.get(slug="ancien-mot")
    response = admin_client.post(
        reverse("admin:taggit_tag_change", args=[tag.pk]), {"name": "nouveau mot", "slug": "nouveau-mot"}
    )
    assert response.status_code == 302
    assert admin_client.get("/api/initiatives/?motcle=nouveau-mot").json()["count"] == 1


@override_settings(ALLOWED_HOSTS=["example.test"], SITE_URL="http://127.0.0.1:8000")
def test_cite_text_and_exports_link_to_the_host_and_port_the_request_came_to(client, random_base):
    case = Initiative.objects.published().first()
    html = unescape(client.get(case.get_absolute_url(), HTTP_HOST="example.test:8123").content.decode())
    cite = re.search(r'<p class="cite-text" id="cite-text">(.*?)</p>', html, re.S).group(1)
    assert f"http://example.test:8123/initiatives/{case.slug}/" in cite
    exported = json.loads(client.get("/initiatives/export.json", HTTP_HOST="example.test:8123").content)
    assert all(r["url"].startswith("http://example.test:8123/initiatives/") for r in exported["results"])
    csv_text = b"".join(client.get("/initiatives/export.csv", HTTP_HOST="example.test:8123").streaming_content)
    assert f"http://example.test:8123/initiatives/{case.slug}/" in csv_text.decode()
    assert "127.0.0.1:8000" not in csv_text.decode()
