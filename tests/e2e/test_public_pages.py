import pytest

from tests.factories import CitationFactory, InvolvementFactory, national_network

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def case():
    national_network()
    citation = CitationFactory(
        initiative__title="Paniers solidaires au Breil",
        initiative__summary="Des habitantes livrent des paniers aux familles isolées.",
        initiative__actions="Livraison hebdomadaire de paniers.",
    )
    InvolvementFactory(initiative=citation.initiative, actor__name="Collectif du Breil")
    return citation.initiative


def test_home_leads_to_a_case_page(live_server, page, case):
    page.goto(live_server.url + "/")
    assert page.locator("h1").count() == 1
    assert page.get_by_text("initiatives publiées").is_visible()
    page.get_by_role("link", name="Paniers solidaires au Breil").click()
    page.wait_for_url(f"**{case.get_absolute_url()}")
    assert page.locator("h1").inner_text() == "Paniers solidaires au Breil"
    assert page.get_by_role("heading", name="Actions mises en œuvre").is_visible()
    assert page.get_by_text("Collectif du Breil").is_visible()
    assert page.console_errors == []


def test_the_skip_link_is_the_first_stop_of_the_keyboard(live_server, page, case):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Aller au contenu"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#contenu"
