"""The Content-Security-Policy in a real Chromium: every public page type and the admin pages we use
run with zero violations (issue 13, finding 9).

The policy allows no inline script or style (crpv_site/settings.py): an inline ``style="…"``, a
``<style>`` block, an inline ``<script>`` or an ``onclick`` left in a page is blocked by the browser,
which fires a ``securitypolicyviolation`` event and logs a console error; both are collected here.
tests/crpv_site/test_security_headers.py scans the templates for the same things without a browser.
"""

import pytest

from tests.factories import (
    CitationFactory,
    CommuneFactory,
    DepartmentFactory,
    InitiativeFactory,
    RegionFactory,
    ThemeFactory,
    national_network,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs in every page before its own scripts: records each violation the browser reports.
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI || "inline"} ${e.sourceFile || ""}:${e.lineNumber || ""}`);
});
"""


@pytest.fixture
def site():
    national_network()
    idf = RegionFactory(name="Île-de-France", code="11")
    ssd = DepartmentFactory(name="Seine-Saint-Denis", code="93", parent=idf)
    food = ThemeFactory(name="Aide alimentaire", slug="aide-alimentaire")
    cases = []
    for title in ("Paniers solidaires à Bondy", "Épicerie mobile à Saint-Denis"):
        case = CitationFactory(
            initiative__title=title, initiative__territory=CommuneFactory(parent=ssd), initiative__summary="Des colis."
        ).initiative
        case.themes.set([food])
        cases.append(case)
    cases.append(InitiativeFactory(title="Brouillon", status="draft", territory=CommuneFactory(parent=ssd)))
    return {"cases": cases, "department": ssd, "theme": food}


@pytest.fixture
def watched(browser):
    context = browser.new_context(locale="fr-FR")
    context.add_init_script(LISTEN)
    page = context.new_page()
    console = []
    page.on("console", lambda msg: console.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.csp_console = console
    yield page
    context.close()


def violations(page, url):
    page.csp_console.clear()
    response = page.goto(url)
    assert response.status == 200, url
    assert "default-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    return page.evaluate("window.__csp") + page.csp_console


def test_the_public_pages_run_without_a_single_violation(live_server, watched, site):
    a, b, _ = site["cases"]
    urls = [
        "/",
        f"/initiatives/?theme=aide-alimentaire&departement={site['department'].slug}&tri=titre",
        "/initiatives/?q=paniers",
        a.get_absolute_url(),
        "/territoires/",
        site["department"].get_absolute_url(),
        "/themes/",
        f"/themes/{site['theme'].slug}/",
        f"/initiatives/comparer/?cas={a.slug}&cas={b.slug}",
        "/proposer/",
        "/alertes/abonner/?theme=aide-alimentaire",
        "/api/",
        "/centres-de-ressources/",
        "/cooperations/",
        "/chronologie/",
        "/admin/login/",
    ]
    found = {url: violations(watched, live_server.url + url) for url in urls}
    assert {url: v for url, v in found.items() if v} == {}


def test_the_admin_works_under_the_policy(live_server, watched, site, django_user_model):
    django_user_model.objects.create_superuser(email="admin@example.org", password="motdepasse-admin-csp")
    page = watched
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "admin@example.org")
    page.fill("#id_password", "motdepasse-admin-csp")
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")
    case = site["cases"][0]
    urls = [
        "/admin/",
        "/admin/initiatives/initiative/",
        f"/admin/initiatives/initiative/{case.pk}/change/",
        "/admin/initiatives/initiative/add/",
        "/admin/initiatives/initiative/import/",
        "/admin/initiatives/initiative/quality/",
        f"/admin/initiatives/initiative/{case.pk}/history/",
        "/admin/initiatives/proposal/",
        "/admin/territories/territory/",
        "/admin/crpv_site/user/add/",
    ]
    found = {url: violations(page, live_server.url + url) for url in urls}
    assert {url: v for url, v in found.items() if v} == {}

    # The admin's own scripts ran: the change list's action bar counts the ticked rows (actions.js),
    # and an inline's "add another" row appears (inlines.js).
    page.goto(live_server.url + "/admin/initiatives/initiative/")
    page.locator("#action-toggle").check()
    assert "sélectionné" in page.locator(".action-counter").inner_text()
    page.goto(live_server.url + f"/admin/initiatives/initiative/{case.pk}/change/")
    group = page.locator(".inline-group").filter(has=page.locator(".add-row a")).first
    total = group.locator("input[name$='-TOTAL_FORMS']")
    before = int(total.input_value())
    group.locator(".add-row a").click()
    assert int(total.input_value()) == before + 1
    # The export action's form (django-import-export's page).
    page.goto(live_server.url + "/admin/initiatives/initiative/")
    page.locator("#action-toggle").check()
    page.locator("select[name=action]").select_option("export_admin_action")
    page.locator("button[name=index]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("select[name=format]").count() == 1
    assert page.evaluate("window.__csp") == [] and page.csp_console == []
