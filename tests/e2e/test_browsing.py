"""Browsing in a real Chromium: facets, back-and-forth with a case, the map, the keyboard."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import (
    CommuneFactory,
    DepartmentFactory,
    InitiativeFactory,
    RegionFactory,
    ThemeFactory,
    national_network,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def five_cases():
    national_network()
    idf = RegionFactory(name="Île-de-France", code="11")
    ge = RegionFactory(name="Grand Est", code="44")
    ssd = DepartmentFactory(name="Seine-Saint-Denis", code="93", parent=idf)
    mm = DepartmentFactory(name="Meurthe-et-Moselle", code="54", parent=ge)
    food = ThemeFactory(name="Aide alimentaire", slug="aide-alimentaire")
    school = ThemeFactory(name="Continuité scolaire", slug="continuite-scolaire")
    cases = []
    for i, (dept, theme) in enumerate([(ssd, food), (ssd, food), (ssd, school), (mm, food), (mm, school)]):
        case = InitiativeFactory(title=f"Cas {i} {theme.name} en {dept.name}", territory=CommuneFactory(parent=dept))
        case.themes.set([theme])
        cases.append(case)
    return {"cases": cases}


def count_of(page, facet_param, label):
    text = page.locator(f"#facette-{facet_param} label", has_text=label).inner_text()
    return int(re.search(r"\((\d+)\)", text).group(1))


def total(page):
    return int(page.locator(".result-count strong").inner_text())


def test_filter_by_theme_then_region_and_see_the_counts_change(live_server, page, five_cases):
    page.goto(live_server.url + "/initiatives/")
    assert total(page) == 5
    assert count_of(page, "region", "Île-de-France") == 3
    with page.expect_navigation():  # a ticked filter applies at once (static/js/browse.js)
        page.get_by_label(re.compile("^Aide alimentaire")).click()
    page.wait_for_url("**theme=aide-alimentaire**")
    assert total(page) == 3
    assert count_of(page, "region", "Île-de-France") == 2
    assert count_of(page, "region", "Grand Est") == 1
    with page.expect_navigation():
        page.get_by_label(re.compile("^Île-de-France")).click()
    page.wait_for_url("**region=11**")
    assert total(page) == 2
    # The theme facet ignores its own filter: both themes still show their count in Île-de-France.
    assert count_of(page, "theme", "Continuité scolaire") == 1
    assert page.locator(".chips .chip").count() == 2
    assert page.console_errors == []


def test_open_a_case_and_come_back_with_the_filters_kept(live_server, page, five_cases):
    page.goto(live_server.url + "/initiatives/?theme=aide-alimentaire&tri=titre")
    first = page.locator(".result h3 a").first
    title = first.inner_text()
    first.click()
    # expect() waits for the next page; a bare is_visible() may read the page being left.
    expect(page.locator("h1")).to_have_text(title)
    expect(page.get_by_text("1 sur 3")).to_be_visible()
    page.get_by_role("link", name="Cas suivant", exact=False).click()
    expect(page.get_by_text("2 sur 3")).to_be_visible()
    page.get_by_role("link", name="‹ Retour aux résultats").click()
    page.wait_for_url("**theme=aide-alimentaire**")
    assert page.get_by_label(re.compile("^Aide alimentaire")).is_checked()
    assert total(page) == 3
    page.go_back()
    page.go_back()
    page.go_back()
    assert "theme=aide-alimentaire" in page.url
    assert page.console_errors == []


def test_click_a_department_in_the_ile_de_france_inset(live_server, page, five_cases):
    page.goto(live_server.url + "/territoires/")
    # Seine-Saint-Denis is offered once (in the inset); its copy on the main map is for the mouse only.
    department = page.get_by_role("link", name="Seine-Saint-Denis : 3 cas")
    assert department.count() == 1
    department.click()
    page.wait_for_url("**/initiatives/?departement=93")
    assert total(page) == 3
    assert page.console_errors == []


def test_filter_the_map_by_theme_then_follow_a_department(live_server, page, five_cases):
    page.goto(live_server.url + "/territoires/")
    assert page.locator('path.dept[data-code="01"]').count() == 1  # no case in Ain: drawn, no link
    page.get_by_label("Thème").select_option("aide-alimentaire")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_url("**/territoires/?theme=aide-alimentaire**")
    # With the keyboard (a click lands on the middle of its box: Moselle, for this shape).
    page.get_by_role("link", name="Meurthe-et-Moselle : 1 cas").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/initiatives/?departement=54&theme=aide-alimentaire")
    assert total(page) == 1
    assert page.console_errors == []


def test_the_filter_form_works_with_the_keyboard_alone(live_server, page, five_cases):
    page.goto(live_server.url + "/initiatives/")
    page.locator("#q").focus()
    page.keyboard.type("Cas")
    # Tab to the first theme checkbox, tick it with the space bar, submit with Enter.
    for _ in range(30):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.name + '=' + document.activeElement.value")
        if focused.startswith("theme="):
            break
    else:
        pytest.fail("no theme checkbox reachable with Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # the focus is visible
    page.keyboard.press("Space")
    page.keyboard.press("Enter")
    page.wait_for_url("**theme=**")
    assert "q=Cas" in page.url
    # Every title holds "Cas": the count is the ticked theme's, 3 cases of food aid, 2 of schooling.
    assert total(page) == {"theme=aide-alimentaire": 3, "theme=continuite-scolaire": 2}[focused]
    assert page.console_errors == []
