"""The source-report pages: /sources/ and /sources/<slug>/, their counts and their links."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db.models import Q

from initiatives.models import Initiative
from tests.factories import CitationFactory, InitiativeFactory, SourceFactory, ThemeFactory, national_network

pytestmark = pytest.mark.django_db

H1 = re.compile(r"<h1[\s>]", re.I)


@pytest.fixture
def reports():
    """Two reports; the first with cases over two root themes and a finer one, one case without theme,
    one case cited by both reports, and a draft that must be counted nowhere."""
    national_network()
    odas = SourceFactory(
        slug="odas-2022",
        publisher="Odas",
        title="La puissance de la proximité",
        date_label="avril 2022",
        scope="Une étude de l'Odas sur des initiatives locales.",
        method="Neuf fiches analysées, et la liste de l'annexe 2.",
    )
    anct = SourceFactory(
        slug="anct-2020",
        publisher="ANCT",
        title="Synthèse nationale",
        date_label="printemps 2020",
        descriptive_title=True,
    )
    food, school = ThemeFactory(name="Besoins de première nécessité"), ThemeFactory(name="Continuité scolaire")
    meals = ThemeFactory(name="Aide alimentaire", parent=food)
    for themes, level in [
        ([meals], "analysed"),
        ([food], "described"),
        ([meals, school], "described"),
        ([school], "listed"),
        ([], "listed"),
    ]:
        case = InitiativeFactory(documentation_level=level)
        case.themes.set(themes)
        CitationFactory(initiative=case, source=odas)
    shared = InitiativeFactory()
    shared.themes.set([school])
    CitationFactory(initiative=shared, source=odas)
    CitationFactory(initiative=shared, source=anct)
    draft = InitiativeFactory(status=Initiative.Status.DRAFT)
    draft.themes.set([meals])
    CitationFactory(initiative=draft, source=odas)
    return {"odas": odas, "anct": anct, "themes": [food, meals, school]}


def published_of(source, theme=None):
    cases = Initiative.objects.published().filter(citations__source=source)
    if theme is not None:
        cases = cases.filter(Q(themes=theme) | Q(themes__parent=theme))
    return cases.distinct().count()


def links_with_counts(html):
    """(href, count) of every « label N cas » link of the page."""
    pairs = re.findall(r'<a href="([^"]+)">[^<]+</a> <span class="count">(\d+) cas</span>', html)
    return [(unescape(href), int(n)) for href, n in pairs]


def test_the_index_lists_every_report_with_its_published_cases(client, reports):
    response = client.get("/sources/")
    html = response.content.decode()
    assert response.status_code == 200 and len(H1.findall(html)) == 1
    for source in (reports["odas"], reports["anct"]):
        assert f'href="/sources/{source.slug}/"' in html
        assert source.publisher in html
    rows = re.findall(r'<a href="/sources/([^/]+)/">.*?<td class="num">(\d+)</td>', html, re.S)
    assert {slug: int(n) for slug, n in rows} == {"odas-2022": 6, "anct-2020": 1}
    assert published_of(reports["odas"]) == 6


def test_a_report_page_counts_its_published_cases_by_theme_as_the_list_does(client, reports):
    odas = reports["odas"]
    html = client.get("/sources/odas-2022/").content.decode()
    by_theme = {}
    for href, n in links_with_counts(html):
        params = parse_qs(urlsplit(href).query)
        assert params["source"] == ["odas-2022"], href
        if "theme" in params:
            by_theme[params["theme"][0]] = n
    food, meals, school = reports["themes"]
    assert by_theme == {t.slug: published_of(odas, t) for t in reports["themes"]}
    assert by_theme == {food.slug: 3, meals.slug: 2, school.slug: 3}  # the draft counts nowhere
    # Each count is the total of the list it links to (the same parameters in the API).
    for href, n in links_with_counts(html):
        assert client.get(href.replace("/initiatives/", "/api/initiatives/")).json()["count"] == n, href
    assert "6 cas publiés" in html
    assert "1 cas n'a pas de thème" in unescape(html)


def test_a_report_page_counts_its_documentation_levels(client, reports):
    html = client.get("/sources/odas-2022/").content.decode()
    levels = {
        parse_qs(urlsplit(href).query)["documentation"][0]: n
        for href, n in links_with_counts(html)
        if "documentation=" in href
    }
    assert levels == {"analysed": 1, "described": 3, "listed": 2}


def test_a_report_page_says_what_it_is_how_cases_were_drawn_and_how_to_cite_it(client, reports):
    response = client.get("/sources/odas-2022/")
    html = unescape(response.content.decode())
    assert response.status_code == 200 and len(H1.findall(html)) == 1
    assert "Une étude de l'Odas sur des initiatives locales." in html
    assert "Neuf fiches analysées, et la liste de l'annexe 2." in html
    assert "Odas, « La puissance de la proximité », avril 2022." in html
    assert "document original" not in html  # no address known: no link, nothing said


def test_a_known_address_is_linked_and_cited(client, reports):
    reports["odas"].url = "https://odas.example.org/puissance.pdf"
    reports["odas"].save()
    html = unescape(client.get("/sources/odas-2022/").content.decode())
    assert '<a href="https://odas.example.org/puissance.pdf" rel="noopener">le document original</a>' in html
    assert "avril 2022. https://odas.example.org/puissance.pdf" in html


def test_a_descriptive_title_is_cited_in_brackets(client, reports):
    html = unescape(client.get("/sources/anct-2020/").content.decode())
    assert "ANCT, [Synthèse nationale], printemps 2020." in html
    assert "Le document n'imprime pas de titre" in html
    assert "1 cas publié" in html


def test_an_unknown_report_is_the_sites_404(client, reports):
    response = client.get("/sources/rapport-inconnu/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Page introuvable" in html and len(H1.findall(html)) == 1


def test_a_case_page_links_each_citation_to_its_report(client, reports):
    case = Initiative.objects.published().filter(citations__source=reports["anct"]).get()
    html = unescape(client.get(case.get_absolute_url()).content.decode())
    assert '<a href="/sources/anct-2020/">ANCT, [Synthèse nationale], printemps 2020</a>' in html
    assert '<a href="/sources/odas-2022/">Odas, « La puissance de la proximité », avril 2022</a>' in html
    assert "d'après ANCT, [Synthèse nationale], printemps 2020 ; Odas, « La puissance" in html  # citer ce cas


def test_the_footer_leads_to_the_reports(client, reports):
    assert 'href="/sources/"' in client.get("/").content.decode()


def test_a_report_page_costs_three_queries(client, reports, django_assert_num_queries):
    client.get("/sources/odas-2022/")
    with django_assert_num_queries(3):  # the report, the facet index's version, the themes
        client.get("/sources/odas-2022/")
