"""The API's contract beyond its 200s: JSON for every error, read-only methods, HEAD, the rule for
empty values, and a page beyond the last one (issue 13, findings 7 and 8)."""

import pytest
from django.test import Client

from initiatives.models import Initiative
from tests.factories import national_network

pytestmark = pytest.mark.django_db

ENDPOINTS = ["/api/initiatives/", "/api/territories/", "/api/themes/", "/api/resource-centres/", "/api/openapi.json"]


def assert_json_error(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == status and body["error"]
    return body


def test_nul_character_in_a_parameter_gets_a_json_400(client):
    body = assert_json_error(client.get("/api/initiatives/?theme=a%00b"), 400)
    assert body["details"] == {"theme": "caractère nul (%00) refusé"}


def test_nul_character_on_a_page_still_gets_the_french_html_400(client):
    response = client.get("/initiatives/?theme=a%00b")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("path", ["/api/nulle-part/", "/api/initiatives/un/deux/", "/api/themes/x/"])
def test_unknown_api_paths_get_a_json_404(client, path):
    assert_json_error(client.get(path), 404)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
@pytest.mark.parametrize("path", [*ENDPOINTS, "/api/initiatives/un-cas/", "/api/"])
def test_other_methods_get_a_json_405_with_allow_not_a_csrf_403(method, path):
    client = Client(enforce_csrf_checks=True)  # as a browser or a script without a token would
    response = getattr(client, method)(path)
    assert_json_error(response, 405)
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.parametrize("path", ENDPOINTS)
def test_head_is_answered_like_get_without_a_body(client, random_base, path):
    get, head = client.get(path), client.head(path)
    assert head.status_code == get.status_code == 200
    assert head["Content-Type"] == get["Content-Type"] == "application/json"
    assert head.content == b""


def test_head_of_a_case(client, random_base):
    slug = Initiative.objects.published().first().slug
    assert client.head(f"/api/initiatives/{slug}/").status_code == 200
    assert client.head("/api/initiatives/inconnu/").status_code == 404


# The rule for empty values: an empty value is the parameter left out (no filter, the default).
@pytest.mark.parametrize(
    "empty",
    ["theme=", "tri=", "page=", "par_page=", "territoire=", "q=", "region=&theme=", "porteur=", "periode="],
)
def test_an_empty_value_is_the_parameter_left_out_in_the_api(client, random_base, empty):
    plain = client.get("/api/initiatives/").json()
    response = client.get(f"/api/initiatives/?{empty}")
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["count"], data["page"], data["per_page"]) == (plain["count"], plain["page"], plain["per_page"])
    assert [r["slug"] for r in data["results"]] == [r["slug"] for r in plain["results"]]


def test_an_empty_value_beside_a_real_one_keeps_the_real_one(client, random_base):
    theme = client.get("/api/initiatives/").json()["facets"]["theme"][0]
    data = client.get(f"/api/initiatives/?theme=&theme={theme['value']}").json()
    assert data["count"] == theme["count"]


@pytest.mark.parametrize("empty", ["theme=", "tri=", "page=", "par_page=", "territoire=", "region=&theme="])
def test_an_empty_value_is_the_parameter_left_out_on_the_list_page(client, random_base, empty):
    response = client.get(f"/initiatives/?{empty}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "inconnue ignorée" not in html and "non valide" not in html and "inconnu ignoré" not in html


@pytest.mark.parametrize("empty", ["kind=", "parent=", "q=", "page=", "kind=&parent=&q=&page="])
def test_an_empty_value_is_the_parameter_left_out_in_territories(client, random_base, empty):
    plain = client.get("/api/territories/").json()
    response = client.get(f"/api/territories/?{empty}")
    assert response.status_code == 200, response.content
    assert response.json()["count"] == plain["count"]


def test_an_unknown_parameter_is_reported_even_when_empty(client, random_base):
    body = assert_json_error(client.get("/api/initiatives/?thme="), 400)
    assert "thme" in body["details"]


# A page beyond the last: a JSON 404 on every paginated endpoint, never a 400.
def test_territories_page_beyond_the_last_is_a_clear_404(client):
    national_network()  # the one country, France: one page
    body = assert_json_error(client.get("/api/territories/?kind=country&page=2"), 404)
    assert body["details"] == {"page": "page hors limites"}
    assert "la dernière est la 1" in body["error"]
    assert client.get("/api/territories/?kind=country&page=1").status_code == 200


def test_initiatives_page_beyond_the_last_is_a_clear_404(client, random_base):
    pages = client.get("/api/initiatives/?par_page=10").json()["pages"]
    body = assert_json_error(client.get(f"/api/initiatives/?par_page=10&page={pages + 1}"), 404)
    assert f"la dernière est la {pages}" in body["error"]
    assert client.get(f"/api/initiatives/?par_page=10&page={pages}").status_code == 200


def test_an_empty_result_is_a_first_page_not_a_404(client, random_base):
    data = client.get("/api/initiatives/?q=zzzqqqxxx").json()
    assert data["count"] == 0 and data["results"] == []


def test_the_list_page_shows_the_last_page_when_asked_beyond(client, random_base):
    response = client.get("/initiatives/?page=999")
    assert response.status_code == 200
    assert "La page 999 n&#x27;existe pas : voici la dernière." in response.content.decode()


def test_openapi_documents_every_error_status_with_the_error_schema(client):
    spec = client.get("/api/openapi.json").json()
    error = spec["components"]["schemas"]["Error"]
    assert error["required"] == ["error", "status"]
    for path, operations in spec["paths"].items():
        responses = operations["get"]["responses"]
        assert "schema" in responses["200"]["content"]["application/json"], path
        for code in ("405", "500", "503"):
            assert responses[code]["content"]["application/json"]["schema"] == error, (path, code)
        assert "Allow" in responses["405"]["headers"] and "Retry-After" in responses["503"]["headers"]


def test_the_json_export_refuses_with_the_same_error_shape(client, random_base):
    body = assert_json_error(client.get("/initiatives/export.json?theme=inconnu"), 400)
    assert "theme" in body["details"]
