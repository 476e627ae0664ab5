"""The error pages: French, one <h1>, JSON under /api/, 503 with Retry-After for a database error,
a 500 page that needs neither the request nor the database, and 4xx logged in one line."""

import logging
import re

import pytest
from django.test import Client

from crpv_site.errors import MESSAGES

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.crpv_site.error_urls")]


@pytest.fixture
def lenient_client():
    """A client that gets the error page instead of the view's exception re-raised in the test."""
    return Client(raise_request_exception=False)


def h1s(response):
    return re.findall(r"<h1[ >].*?</h1>", response.content.decode(), re.S)


def assert_french_page(response, status, title):
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert h1s(response) == [f"<h1>{title}</h1>"]
    assert "Server Error" not in html and "Forbidden" not in html and "Not Found" not in html


def test_400_page_is_french_with_one_h1(client):
    assert_french_page(client.get("/initiatives/?q=a%00b"), 400, "Requête invalide")


def test_403_page_is_french_with_one_h1(client):
    assert_french_page(client.get("/essai/refus/"), 403, "Accès refusé")


def test_csrf_failure_is_a_french_403(client):
    response = Client(enforce_csrf_checks=True).post("/proposer/", {"title": "x"})
    assert_french_page(response, 403, "Accès refusé")
    assert "Rechargez la page" in response.content.decode()


def test_404_page_is_french_with_one_h1(client):
    assert_french_page(client.get("/pas-une-page/"), 404, "Page introuvable")


def test_500_page_is_french_and_needs_no_database(lenient_client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = lenient_client.get("/essai/bogue/")
    assert_french_page(response, 500, "Erreur du serveur")
    assert "/static/css/site.css" in response.content.decode()


def test_database_error_is_a_french_503_with_retry_after(lenient_client, settings):
    response = lenient_client.get("/essai/base/")
    assert_french_page(response, 503, "Service momentanément indisponible")
    assert response["Retry-After"] == str(settings.RETRY_AFTER)


@pytest.mark.parametrize(
    "url, status",
    [
        ("/api/essai/bogue/", 500),
        ("/api/essai/refus/", 403),
        ("/api/essai/base/", 503),
        ("/api/pas-une-ressource/", 404),
        ("/api/initiatives/?q=a%00b", 400),
    ],
)
def test_api_errors_are_json_of_one_shape(lenient_client, url, status):
    response = lenient_client.get(url)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == status
    assert isinstance(body["error"], str) and body["error"]
    if status in (500, 503, 403):
        assert body["error"] == MESSAGES[status]
    if status == 503:
        assert int(response["Retry-After"]) > 0


def test_a_403_is_logged_in_one_line_without_traceback(client, caplog):
    with caplog.at_level(logging.WARNING):
        assert client.get("/essai/refus/").status_code == 403
    records = [r for r in caplog.records if r.name.startswith("django")]
    assert len(records) == 1
    record = records[0]
    assert record.exc_info is None and not record.exc_text
    message = record.getMessage()
    assert "/essai/refus/" in message and "autre centre" in message
    assert "\n" not in caplog.text.strip()


def test_a_server_error_keeps_its_traceback(lenient_client, caplog):
    with caplog.at_level(logging.ERROR):
        lenient_client.get("/essai/bogue/")
    assert any(r.exc_info for r in caplog.records if r.name == "django.request")
