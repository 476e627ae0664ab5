"""Every public page type in a real Chromium, as people meet them: on a phone, at 320 px, with the
keyboard, and under an axe-core scan (vendored in tests/e2e/vendor/axe-core, run offline).

The checks of issue 12: the first result within the first screen at 390 × 844 (filters closed);
no horizontal scrolling at 320 px; 0 serious or critical axe violations; a theme filter applied and
the first result reached in at most 15 Tab presses."""

from pathlib import Path

import pytest

from initiatives.models import Initiative, Lesson, LessonCitation, LessonEvidence, Resource
from tests.factories import (
    ActorFactory,
    CitationFactory,
    CommuneFactory,
    DepartmentFactory,
    InitiativeFactory,
    InvolvementFactory,
    QpvFactory,
    RegionFactory,
    ThemeFactory,
    national_network,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
LONG_WORD = "intercommunalité-des-quartiers-prioritaires-de-la-politique-de-la-ville"


@pytest.fixture
def world():
    """A small base of the real shape: two levels of themes, a commune coded 02095, a QPV, an
    analysed case with every section written, near-identical cases in several towns."""
    national_network()
    hdf = RegionFactory(name="Hauts-de-France", code="32")
    idf = RegionFactory(name="Île-de-France", code="11")
    aisne = DepartmentFactory(name="Aisne", code="02", parent=hdf)
    nord = DepartmentFactory(name="Nord", code="59", parent=hdf)
    essonne = DepartmentFactory(name="Essonne", code="91", parent=idf)
    bohain = CommuneFactory(name="Bohain-en-Vermandois", code="02095", parent=aisne)
    towns = [CommuneFactory(name=n, code=c, parent=nord) for n, c in [("Roubaix", "59512"), ("Tourcoing", "59599")]]
    grigny = CommuneFactory(name="Grigny", code="91286", parent=essonne)
    qpv = QpvFactory(name="Grande Borne", parent=grigny)
    needs = ThemeFactory(name="Réponses aux besoins de première nécessité", slug="besoins")
    food = ThemeFactory(name="Aide alimentaire", slug="aide-alimentaire", parent=needs)
    school = ThemeFactory(name="Continuité scolaire", slug="continuite-scolaire")
    kits = ThemeFactory(name="Devoirs et kits pédagogiques", slug="kits", parent=school)
    sections = {name: f"{label} : {LONG_WORD} " + "Une phrase du rapport. " * 12 for name, label in Initiative.SECTIONS}
    analysed = InitiativeFactory(
        title="Bohain : le centre social adapte ses actions pendant le confinement",
        territory=bohain,
        documentation_level="analysed",
        summary=f"Le centre social et culturel de Bohain ({LONG_WORD}) maintient le lien.",
        **sections,
    )
    analysed.themes.set([needs, food])
    CitationFactory(initiative=analysed, excerpt="Le centre social a maintenu le lien avec les familles.")
    InvolvementFactory(initiative=analysed, actor=ActorFactory(name="Centre social et culturel de Bohain"))
    for n in range(24):
        place = [bohain, *towns, grigny, qpv][n % 5]
        case = InitiativeFactory(
            title=f"Une initiative de soutien psychologique à {place.name}" if n < 5 else f"Action {n} à {place.name}",
            territory=place,
            summary="Des écoutes téléphoniques pour les familles isolées pendant le premier confinement.",
        )
        case.themes.set([school, kits] if n % 2 else [needs, food])
    source = analysed.citations.first().source
    lesson = Lesson.objects.create(
        slug="faire-confiance",
        source=source,
        kind=Lesson.Kind.RECOMMENDATION,
        statement="Faire confiance aux habitants et laisser émerger leurs initiatives",
        summary=f"Le rapport ({LONG_WORD}) invite à reconnaître l'auto-organisation.",
        status="published",
    )
    lesson.themes.set([food])
    LessonCitation.objects.create(lesson=lesson, locator="Partie III", excerpt="Faire confiance aux habitants.")
    LessonEvidence.objects.create(lesson=lesson, initiative=analysed, basis="report", excerpt="centre social")
    resource = Resource.objects.create(
        slug="guide-aide-alimentaire",
        title=f"Guide de l'aide alimentaire ({LONG_WORD})",
        source=source,
        kind="guide",
        year=2021,
        summary="Un guide pour les équipes.",
        locator="Publications",
        excerpt="Le centre publie un guide.",
        status="published",
    )
    resource.themes.set([food])
    return {"analysed": analysed, "grigny": grigny}


def public_pages(world):
    analysed = world["analysed"]
    two = "&".join(f"cas={slug}" for slug in Initiative.objects.published().values_list("slug", flat=True)[:2])
    actor = analysed.involvements.first().actor
    return {
        "accueil": "/",
        "liste": "/initiatives/",
        "recherche": "/initiatives/?q=soutien+psychologique",
        "cas": analysed.get_absolute_url(),
        "comparaison": f"/initiatives/comparer/?{two}",
        "thèmes": "/themes/",
        "thème": "/themes/aide-alimentaire/",
        "territoires": "/territoires/",
        "territoire": world["grigny"].get_absolute_url(),
        "centres": "/centres-de-ressources/",
        "acteur": actor.get_absolute_url(),
        "proposer": "/proposer/",
        "alerte": "/alertes/abonner/?theme=aide-alimentaire",
        "api": "/api/",
        "données ouvertes": "/donnees/",
        "rapports": "/sources/",
        "rapport": f"/sources/{analysed.citations.first().source.slug}/",
        "enseignements": "/enseignements/",
        "enseignement": "/enseignements/faire-confiance/",
        "ressources": "/ressources/",
        "ressources filtrées": "/ressources/?type=guide&theme=aide-alimentaire",
        "ressource": "/ressources/guide-aide-alimentaire/",
        "coopérations": "/cooperations/",
        "chronologie": "/chronologie/",
        "accessibilité": "/accessibilite/",
        "mentions légales": "/mentions-legales/",
        "données personnelles": "/donnees-personnelles/",
    }


def test_on_a_phone_the_first_result_is_on_the_first_screen(live_server, browser, world):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    page = context.new_page()
    page.goto(live_server.url + "/initiatives/")
    first = page.locator("ol.results > li").first.bounding_box()
    assert first["y"] + 40 < 844, first  # its title starts on the first screen
    toggle = page.get_by_role("button", name="Filtres")
    assert toggle.get_attribute("aria-expanded") == "false" and not page.locator("#filtres").is_visible()
    toggle.click()
    assert page.locator("#filtres").is_visible()
    context.close()


def test_no_public_page_scrolls_sideways_at_320_px(live_server, browser, world):
    context = browser.new_context(viewport={"width": 320, "height": 700}, locale="fr-FR")
    page = context.new_page()
    wide = {}
    for name, path in public_pages(world).items():
        response = page.goto(live_server.url + path)
        assert response.status == 200, (name, path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            wide[name] = width
    assert wide == {}
    context.close()


def test_axe_finds_no_serious_or_critical_violation_on_any_public_page(live_server, page, world):
    found = {}
    for name, path in public_pages(world).items():
        page.goto(live_server.url + path)
        # Evaluated through the DevTools protocol, not added as a <script> element: the
        # Content-Security-Policy (script-src 'self') blocks an inline script tag.
        page.evaluate(AXE.read_text("utf-8"))
        violations = page.evaluate(
            "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations"
            ".map(v => [v.id, v.impact, v.nodes.length])",
            AXE_TAGS,
        )
        serious = [v for v in violations if v[1] in ("serious", "critical")]
        if serious:
            found[name] = serious
    assert found == {}


def press_tab_until(page, predicate, limit=60):
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate(predicate):
            return presses
    raise AssertionError(f"not reached in {limit} Tab presses: {predicate}")


def test_a_theme_filter_then_the_first_result_in_at_most_15_tab_presses(live_server, page, world):
    page.goto(live_server.url + "/initiatives/")
    to_filters = press_tab_until(page, "document.activeElement.getAttribute('href') === '#filtres'")
    page.keyboard.press("Enter")
    # The theme box narrows the tree as one types: "alim" leaves Aide alimentaire and its root.
    to_box = press_tab_until(page, "document.activeElement.classList.contains('facet-filter')")
    page.keyboard.type("alim")
    to_theme = to_box + press_tab_until(page, "document.activeElement.value === 'aide-alimentaire'")
    with page.expect_navigation():
        page.keyboard.press("Space")  # a ticked filter applies at once
    assert "theme=aide-alimentaire" in page.url
    to_skip = press_tab_until(page, "document.activeElement.getAttribute('href') === '#resultats'")
    page.keyboard.press("Enter")
    to_result = press_tab_until(page, "!!document.activeElement.closest('ol.results > li h3')")
    total = to_filters + to_theme + to_skip + to_result
    assert total <= 15, (to_filters, to_theme, to_skip, to_result)
    assert page.evaluate("document.activeElement.textContent").strip()


def test_without_javascript_the_filters_apply_with_a_button_and_follow_the_results_on_a_phone(
    live_server, browser, world
):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    page.goto(live_server.url + "/initiatives/")
    assert page.locator("ol.results > li").first.bounding_box()["y"] < 844
    assert page.locator("#filtres").bounding_box()["y"] > page.locator("ol.results").bounding_box()["y"]
    page.get_by_role("link", name="Filtres", exact=True).click()
    page.get_by_label("Aide alimentaire").check()
    page.get_by_role("button", name="Appliquer les filtres").click()
    page.wait_for_url("**theme=aide-alimentaire**")
    assert page.locator(".chips").get_by_text("Aide alimentaire").is_visible()
    context.close()
