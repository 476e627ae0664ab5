"""Proposing a case in a real Chromium: with the place autocomplete, and with JavaScript off."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import expect

from initiatives.models import Proposal
from tests.factories import (
    CommuneFactory,
    DepartmentFactory,
    QpvFactory,
    RegionFactory,
    ResourceCentreFactory,
    ThemeFactory,
    make_curator,
    national_network,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def proposal_places():
    cache.clear()  # the rate limit per address lives in the cache, which a flush does not empty
    national_network()
    pdl = RegionFactory(name="Pays de la Loire", code="52")
    loire_atlantique = DepartmentFactory(name="Loire-Atlantique", code="44", parent=pdl)
    vendee = DepartmentFactory(name="Vendée", code="85", parent=pdl)
    centre = ResourceCentreFactory(name="RésO Villes", short_name="RésO Villes", coverage=[pdl])
    nantes = CommuneFactory(name="Nantes", code="44109", parent=loire_atlantique)
    QpvFactory(name="Le Breil", parent=nantes)
    CommuneFactory(name="Saint-Étienne", code="44990", parent=loire_atlantique)
    etienne_85 = CommuneFactory(name="Saint-Étienne", code="85990", parent=vendee)
    root = ThemeFactory(name="Besoins de première nécessité", slug="premiere-necessite")
    ThemeFactory(name="Aide alimentaire", slug="aide-alimentaire", parent=root)
    make_curator("reso@example.org", [centre], password=None)
    yield {"centre": centre, "nantes": nantes, "etienne_85": etienne_85}
    cache.clear()


def fill_the_form(page):
    page.get_by_label("Titre de l'initiative").fill("Paniers solidaires au Breil")
    page.get_by_label("Ce qui a été fait").fill("Des habitantes livrent des paniers aux familles isolées.")
    page.get_by_label("Aide alimentaire").check()
    page.locator("#id_acteur-0-name").fill("Collectif du Breil")
    page.locator("#id_acteur-0-kind").select_option("informal")
    page.get_by_label("Votre adresse e-mail").fill("habitante@example.org")


def test_propose_with_the_place_autocomplete(live_server, page, proposal_places):
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Proposer une initiative"
    ).click()
    page.wait_for_url("**/proposer/")
    assert page.locator("h1").inner_text() == "Proposer une initiative"
    fill_the_form(page)

    place = page.get_by_label(re.compile("^Lieu"))
    assert place.get_attribute("list") == "place-options"  # set by the script
    place.press_sequentially("nan", delay=30)
    option = page.locator("#place-options option").first
    option.wait_for(state="attached")
    assert option.get_attribute("value") == "Nantes (44109)"
    assert page.locator("#place-status").inner_text() == "1 lieu proposé"
    place.fill(option.get_attribute("value"))  # what choosing the suggestion does

    page.get_by_role("button", name="Envoyer la proposition").click()
    page.wait_for_url("**/proposer/merci/**")
    assert page.locator("h1").inner_text() == "Merci, votre proposition est bien arrivée"
    assert page.get_by_role("link", name="RésO Villes").is_visible()
    assert "habitante" not in page.url

    proposal = Proposal.objects.get()
    assert proposal.place == proposal_places["nantes"] and proposal.centre == proposal_places["centre"]
    assert proposal.actors == [{"name": "Collectif du Breil", "kind": "informal", "role": "porteur"}]
    assert [m.to for m in mail.outbox] == [["reso@example.org"]]
    assert page.console_errors == []


def test_propose_without_javascript_choosing_among_homonyms(live_server, browser, proposal_places):
    context = browser.new_context(locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/proposer/")
        assert page.get_by_label(re.compile("^Lieu")).get_attribute("list") is None  # no script, no suggestions
        fill_the_form(page)
        page.get_by_label(re.compile("^Lieu")).fill("saint etienne")
        page.get_by_role("button", name="Envoyer la proposition").click()

        # expect() waits for the answer; wait_for_load_state() may return while the form is still shown.
        expect(page.get_by_role("alert")).to_be_visible()
        expect(page.get_by_text("Plusieurs lieux portent ce nom : lequel ?")).to_be_visible()
        assert Proposal.objects.count() == 0
        # What was typed is still there.
        assert page.get_by_label("Titre de l'initiative").input_value() == "Paniers solidaires au Breil"
        assert page.get_by_label("Aide alimentaire").is_checked()
        page.get_by_label("Saint-Étienne (85990)").check()
        page.get_by_role("button", name="Envoyer la proposition").click()

        page.wait_for_url("**/proposer/merci/**")
        assert page.get_by_text("RésO Villes").first.is_visible()
        assert Proposal.objects.get().place == proposal_places["etienne_85"]
    finally:
        context.close()
