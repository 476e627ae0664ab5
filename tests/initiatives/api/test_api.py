"""The read-only JSON API through real HTTP requests."""

import re
from html import unescape

import pytest
from django.test import override_settings

from initiatives.browse.exports import COLUMNS, KINDS
from initiatives.models import Initiative
from tests.factories import CommuneFactory, InvolvementFactory
from tests.initiatives.browse.browse_data import queries

pytestmark = pytest.mark.django_db


def test_api_detail_query_count_is_constant(client, random_base):
    case = Initiative.objects.published().first()
    before, _ = queries(client, f"/api/initiatives/{case.slug}/")
    for _ in range(5):
        InvolvementFactory(initiative=case)
    after, _ = queries(client, f"/api/initiatives/{case.slug}/")
    assert before == after


def test_api_list_shape(client, random_base):
    data = client.get("/api/initiatives/?par_page=10").json()
    assert set(data) >= {"count", "results", "facets", "next", "previous"}
    assert len(data["results"]) == 10
    assert data["next"] and "page=2" in data["next"]
    theme_facet = data["facets"]["theme"]
    assert {"value", "label", "count"} <= set(theme_facet[0])


@pytest.mark.parametrize(
    "query", ["theme=inconnu", "page=0", "par_page=5000", "inconnu=1", "tri=bizarre", "territoire=nulle-part"]
)
def test_api_answers_400_with_a_message_on_malformed_parameters(client, random_base, query):
    response = client.get(f"/api/initiatives/?{query}")
    assert response.status_code == 400
    assert response.json()["details"]


def test_api_detail_hides_unpublished_cases(client, random_base):
    draft = Initiative.objects.exclude(status="published").first()
    assert client.get(f"/api/initiatives/{draft.slug}/").status_code == 404
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_reference_endpoints_and_openapi(client, random_base):
    assert client.get("/api/themes/").json()["results"]
    assert client.get("/api/resource-centres/").json()["results"]
    assert client.get("/api/territories/?kind=region").json()["count"] == 3
    assert client.get("/api/territories/?kind=planete").status_code == 400
    spec = client.get("/api/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert "/api/initiatives/" in spec["paths"]
    params = {p["name"] for p in spec["paths"]["/api/initiatives/"]["get"]["parameters"]}
    assert {"q", "theme", "region", "porteur", "page"} <= params


@pytest.mark.parametrize("page", ["%C2%B2", "9" * 5000, "abc", "0"])
def test_territory_api_refuses_odd_page_numbers_cleanly(client, page):
    assert client.get(f"/api/territories/?page={page}").status_code == 400


def test_territory_search_ignores_accents_both_ways(client):
    CommuneFactory(name="Béthoncourt", code="25061")
    for typed in ("Béthoncourt", "bethoncourt", "BETHONCOURT", "béthon"):
        names = [t["name"] for t in client.get("/api/territories/", {"q": typed}).json()["results"]]
        assert names == ["Béthoncourt"], typed


@override_settings(ALLOWED_HOSTS=["example.test"], SITE_URL="http://127.0.0.1:8000")
def test_api_links_use_the_host_and_port_the_request_came_to(client, random_base):
    here = "http://example.test:8123/"
    data = client.get("/api/initiatives/?par_page=10", HTTP_HOST="example.test:8123").json()
    assert data["next"].startswith(f"{here}api/initiatives/?")
    assert all(r["url"].startswith(f"{here}initiatives/") for r in data["results"])
    slug = data["results"][0]["slug"]
    case = client.get(f"/api/initiatives/{slug}/", HTTP_HOST="example.test:8123").json()
    assert case["url"] == f"{here}initiatives/{slug}/"
    territories = client.get("/api/territories/?kind=region", HTTP_HOST="example.test:8123").json()
    assert all(t["url"].startswith(f"{here}territoires/") for t in territories["results"])
    centres = client.get("/api/resource-centres/", HTTP_HOST="example.test:8123").json()
    assert all(c["url"].startswith(f"{here}centres-de-ressources/") for c in centres["results"])
    spec = client.get("/api/openapi.json", HTTP_HOST="example.test:8123").json()
    assert spec["servers"] == [{"url": "http://example.test:8123"}]
    docs = client.get("/api/", HTTP_HOST="example.test:8123").content.decode()
    assert f"{here}api/initiatives/?theme=" in docs
    assert "127.0.0.1:8000" not in docs


def test_api_page_documents_every_export_column_from_the_one_declaration(client):
    html = unescape(client.get("/api/").content.decode())
    table = re.search(r'<table class="data" id="export-columns">.*?</table>', html, re.S).group(0)
    rows = re.findall(
        r'<tr><th scope="row">(.*?)</th><td><code>(.*?)</code></td><td>(.*?)</td><td>(.*?)</td></tr>', table
    )
    assert rows == [(c.label, c.name, c.kind, c.description) for c in COLUMNS]
    assert all(f"<dt>{kind}</dt><dd>{meaning}</dd>" in html for kind, meaning in KINDS.items())
