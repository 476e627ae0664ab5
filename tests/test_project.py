"""Project-wide smoke tests (DESIGN house rule 8)."""

import re
import socket
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.conftest import NetworkBlocked
from tests.factories import CitationFactory, InvolvementFactory, national_network

H1 = re.compile(r"<h1[\s>]", re.I)


@pytest.mark.django_db
def test_no_pending_migrations():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exc:  # makemigrations --check exits 1 when a change has no migration
        pytest.fail(f"migrations manquantes :\n{out.getvalue()}\n{exc}")


def test_the_suite_cannot_reach_the_network():
    with pytest.raises(NetworkBlocked), socket.create_connection(("192.0.2.1", 80), timeout=1):
        pass


@pytest.fixture
def published_case(db):
    national_network()
    citation = CitationFactory()
    InvolvementFactory(initiative=citation.initiative)
    return citation.initiative


@pytest.mark.django_db
def test_every_public_page_answers_200_with_exactly_one_h1(client, published_case):
    pages = [reverse("home"), published_case.get_absolute_url()]
    pages += [reverse("proposals:propose"), reverse("proposals:done")]  # the latter without a token
    pages += [reverse("accessibility"), reverse("legal_notice"), reverse("personal_data")]
    pages += [reverse("browse:sources"), published_case.citations.first().source.get_absolute_url()]
    pages += [reverse("knowledge:lessons"), reverse("knowledge:resources")]
    pages += [reverse("alerts:subscribe"), reverse("alerts:check_mail")]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert len(H1.findall(response.content.decode())) == 1, url


@pytest.mark.django_db
def test_unknown_pages_get_a_french_404_with_one_h1(client):
    response = client.get("/initiatives/cas-qui-n-existe-pas/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page introuvable" in html and len(H1.findall(html)) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["draft", "review", "archived"])
def test_unpublished_cases_are_not_public(client, published_case, status):
    published_case.status = status
    published_case.save()
    assert client.get(published_case.get_absolute_url()).status_code == 404
    assert published_case.title not in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_case_page_shows_sections_actors_and_citations(client, published_case):
    published_case.actions = "Distribution de colis <script>alert(1)</script>"
    published_case.save()
    html = client.get(published_case.get_absolute_url()).content.decode()
    assert "Actions mises en œuvre" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    assert published_case.involvements.first().actor.name in html
    assert published_case.citations.first().excerpt in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/territories/?q=%00",
        "/api/territories/?parent=a%00",
        "/initiatives/comparer/?cas=%00&cas=b",
        "/initiatives/?q=caf%00",
        "/api/initiatives/?theme=%00",
        "/initiatives/?%00=1",
    ],
)
def test_a_nul_character_in_the_address_gets_a_400_not_a_500(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "caractère nul" in response.content.decode()
