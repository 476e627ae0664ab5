"""The panoramas with their pictures drawn (a network, small multiples) in a real Chromium: axe-core
finds no serious violation, nothing scrolls sideways at 320 px, and the keyboard reaches an actor of
the network and a bar of a chart, which lead to their pages. (test_accessibility.py scans the pages
of its own small base, where neither picture is drawn.)"""

import datetime
import json

import pytest

from tests.e2e.test_accessibility import AXE, AXE_TAGS, press_tab_until
from tests.factories import (
    ActorFactory,
    InitiativeFactory,
    InvolvementFactory,
    PeriodFactory,
    ThemeFactory,
    national_network,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = ["/cooperations/", "/chronologie/", "/cooperations/?theme=ecole", "/chronologie/?theme=ecole"]


@pytest.fixture
def world():
    """Twelve cases over two periods and two themes; four named actors shared between them."""
    national_network()
    first = PeriodFactory(slug="confinement-1", name="1er confinement", start=datetime.date(2020, 3, 17))
    later = PeriodFactory(slug="ete-2020", name="Déconfinement et été 2020", start=datetime.date(2020, 5, 11))
    school, food = ThemeFactory(name="Continuité scolaire", slug="ecole"), ThemeFactory(name="Aide alimentaire")
    actors = [
        ActorFactory(name="Association des familles du quartier de la Grande Borne"),
        ActorFactory(name="Ville de Grigny", kind="institutional", category="commune"),
        ActorFactory(name="Éducation nationale", kind="institutional", category="education-nationale"),
        ActorFactory(name="Collectif des habitantes", kind="informal", category="collectif-habitants"),
    ]
    for n in range(12):
        case = InitiativeFactory(title=f"Action {n}")
        case.themes.set([school if n % 2 else food])
        case.periods.set([first] if n < 9 else [first, later])
        for actor in (actors[n % 4], actors[(n + 1) % 4]):
            InvolvementFactory(initiative=case, actor=actor)


def test_axe_finds_no_serious_violation_and_nothing_scrolls_sideways(live_server, browser, world):
    context = browser.new_context(viewport={"width": 320, "height": 700}, locale="fr-FR")
    page = context.new_page()
    found, wide = {}, {}
    for path in PAGES:
        assert page.goto(live_server.url + path).status == 200
        assert page.locator("svg").count() >= 1, path
        if (width := page.evaluate("document.documentElement.scrollWidth")) > 320:
            wide[path] = width
        page.evaluate(AXE.read_text("utf-8"))  # through DevTools: the CSP blocks inline scripts
        violations = page.evaluate(
            "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations"
            ".map(v => [v.id, v.impact, v.nodes.map(n => n.html.slice(0, 120) + ' ' + n.failureSummary)])",
            AXE_TAGS,
        )
        if serious := [v for v in violations if v[1] in ("serious", "critical")]:
            found[path] = serious
    assert found == {} and wide == {}, json.dumps([found, wide], indent=1, ensure_ascii=False)
    context.close()


def test_the_keyboard_reaches_an_actor_of_the_network_and_a_bar(live_server, page, world):
    page.goto(live_server.url + "/cooperations/")
    press_tab_until(page, "!!document.activeElement.closest('svg.network-chart')")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')").startswith(
        "Association des familles du quartier de la Grande Borne (formel) : 6 cas"
    )
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/acteurs/" in page.url
    page.goto(live_server.url + "/chronologie/")
    press_tab_until(page, "!!document.activeElement.closest('svg.bars-chart')")
    assert page.evaluate("document.activeElement.querySelector('title').textContent") == (
        "1er confinement : 12 cas (12 apparus, 0 poursuivi)"
    )
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/initiatives/?periode=confinement-1")
    assert page.locator(".result-count strong").inner_text() == "12"
