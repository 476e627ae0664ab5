"""The same search tests on SQLite and PostgreSQL (DESIGN, Search): what is searched, how words
match, the tiers (every word, then some), the thesaurus, spelling, and what a query names."""

import pytest
from django.http import QueryDict

from initiatives.browse.search import snippet
from initiatives.browse.selectors import browse
from initiatives.models import ActorAlias, Initiative, Involvement, ThesaurusEntry
from tests.factories import (
    ActorFactory,
    CitationFactory,
    CommuneFactory,
    InitiativeFactory,
    PublicFactory,
    ThemeFactory,
    national_network,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases():
    national_network()
    return {
        "reussite": InitiativeFactory(title="Programme de réussite éducative à Grigny", summary="Suivi des élèves."),
        "ordi": InitiativeFactory(
            title="Prêt de matériel", actions="Des ordinateurs portables reconditionnés prêtés aux familles."
        ),
        "coord": InitiativeFactory(title="Réunion hebdomadaire", summary="Le coordinateur du contrat de ville anime."),
        "benevoles": InitiativeFactory(
            title="Distribution de colis",
            summary="Des paniers chaque semaine.",
            obstacles="Les bénévoles, épuisés, ont dû être relayés par des salariés.",
        ),
        "draft": InitiativeFactory(title="Réussite éducative en brouillon", status="draft"),
    }


def search(q, **params):
    result = browse(QueryDict(f"q={q}&" + "&".join(f"{k}={v}" for k, v in params.items())), with_facets=False)
    ids = result.all_ids()
    slugs = dict(Initiative.objects.filter(pk__in=ids).values_list("pk", "slug"))
    return [slugs[i] for i in ids], result


def found(q):
    return set(search(q)[0])


def test_accents_and_case_are_ignored(cases):
    assert found("reussite educative") == {cases["reussite"].slug}
    assert found("RÉUSSITE") == {cases["reussite"].slug}


def test_a_singular_finds_the_plural_but_not_a_word_inside_another(cases):
    assert cases["ordi"].slug in found("ordinateur")
    assert cases["coord"].slug not in found("ordinateur")


def test_every_field_a_practitioner_knows_is_searched(cases):
    commune = CommuneFactory(name="Villeneuve-Saint-Georges")
    theme = ThemeFactory(name="Lutte contre l'isolement")
    case = InitiativeFactory(title="Sans mot-clé", territory=commune)
    actor = ActorFactory(name="Secours populaire français")
    ActorAlias.objects.create(actor=actor, name="SPF")
    Involvement.objects.create(initiative=case, actor=actor, role="porteur")
    case.themes.set([theme])
    case.publics.set([PublicFactory(name="Personnes âgées")])
    case.tags.add("téléphone solidaire")
    CitationFactory(initiative=case, locator="Fiche Essonne", excerpt="Des appels quotidiens aux aînés du quartier.")
    for query in ("villeneuve", "secours populaire", "spf", "isolement", "personnes agees", "telephone", "essonne"):
        assert case.slug in found(query), query
    assert case.slug in found("aines")  # a citation's excerpt
    assert cases["benevoles"].slug in found("benevoles")  # a grid section


def test_excluded_words_and_quoted_phrases(cases):
    assert found('"reussite educative"') == {cases["reussite"].slug}
    assert cases["reussite"].slug not in found("educative -grigny")
    assert found("-grigny") == found("") - {cases["reussite"].slug}


def test_unpublished_cases_are_never_found(cases):
    assert cases["draft"].slug not in found("brouillon")


def test_cases_with_every_word_come_first_then_partial_matches_marked(cases):
    slugs, result = search("reussite pret")  # no case has both words: two partial matches
    assert set(slugs) == {cases["reussite"].slug, cases["ordi"].slug}
    assert result.text.all_count == 0 and result.text.partial
    assert {tuple(c.missing_terms) for c in result.page.object_list} == {("reussite",), ("pret",)}
    both = InitiativeFactory(title="Prêt pour la réussite éducative")
    slugs, result = search("reussite pret")
    assert slugs[0] == both.slug and not getattr(result.page.object_list[0], "missing_terms", None)


def test_partial_matches_do_not_appear_when_a_page_matches_every_word(cases):
    for i in range(3):
        InitiativeFactory(title=f"Colis et paniers {i}")
    slugs, result = search("colis paniers", par_page=10)
    assert not result.text.partial and cases["benevoles"].slug in slugs  # "colis" in its title, "paniers" below
    slugs, result = search("colis reussite", par_page=10)
    assert result.text.partial and len(slugs) == 5


def test_a_word_in_the_title_ranks_above_the_same_word_in_a_section(cases):
    body = InitiativeFactory(title="Autre chose", obstacles="On parle ici de réussite éducative en passant.")
    slugs, _ = search("reussite educative")
    assert slugs.index(cases["reussite"].slug) < slugs.index(body.slug)


def test_richer_documentation_first_within_a_tier():
    national_network()
    listed = InitiativeFactory(title="Aide aux devoirs", documentation_level="listed")
    analysed = InitiativeFactory(title="Aide aux devoirs en ligne", documentation_level="analysed")
    described = InitiativeFactory(title="Aide aux devoirs au téléphone", documentation_level="described")
    assert search("devoirs")[0] == [analysed.slug, described.slug, listed.slug]
    assert search("")[0] == [analysed.slug, described.slug, listed.slug]  # the default order, without a query


def test_the_thesaurus_widens_a_query_and_says_so(cases):
    ThesaurusEntry.objects.create(key="colis", terms="aide alimentaire\ncolis\npaniers solidaires\népicerie solidaire")
    ThesaurusEntry.objects.create(key="pre", kind="sigle", acronym="PRE", terms="programme de réussite éducative")
    food = InitiativeFactory(title="Aide alimentaire aux familles")
    slugs, result = search("colis")
    assert {food.slug, cases["benevoles"].slug} <= set(slugs)
    assert result.text.widened() == [("colis", ["aide alimentaire", "paniers solidaires", "épicerie solidaire"])]
    assert cases["reussite"].slug in found("PRE")
    premier = InitiativeFactory(title="Le premier jour", summary="Une prévention précoce.")
    assert premier.slug not in found("pre")  # an acronym is a whole word


def test_a_misspelt_word_is_corrected_on_both_backends(cases):
    slugs, result = search("ordinatuers")
    assert cases["ordi"].slug in slugs and result.text.corrected_from == "ordinatuers"
    slugs, result = search("benevols colis")
    assert cases["benevoles"].slug in slugs
    assert "benevoles" in result.text.did_you_mean or result.text.corrected_from


def test_a_hyphenated_name_is_one_term_and_its_typos_are_corrected(cases):
    villiers = InitiativeFactory(title="Cellule de veille à Villiers-le-Bel")
    scattered = InitiativeFactory(title="Le bel été", summary="Des villiers ont planté des haies.")
    assert found("Villiers-le-Bel") == {villiers.slug, scattered.slug}  # its words, in any order
    assert found('"Villiers-le-Bel"') == {villiers.slug}  # quoted: as written
    slugs, result = search("Villiers-le-Bel colis")
    assert [term.typed for term in result.text.terms] == ["Villiers-le-Bel", "colis"]
    page = {case.slug: case.missing_terms for case in result.page.object_list}
    assert page[villiers.slug] == ["colis"] and page[cases["benevoles"].slug] == ["Villiers-le-Bel"]
    assert villiers.slug in search("Villier-le-Bel")[0]  # corrected on SQLite, stemmed on PostgreSQL


def test_a_query_naming_a_place_and_a_theme_offers_them_as_filters_and_ranks_them_first(cases):
    grigny = CommuneFactory(name="Grigny")
    theme = ThemeFactory(name="Continuité scolaire")
    elsewhere = InitiativeFactory(title="Continuité scolaire à Sevran")
    elsewhere.themes.set([theme])
    there = InitiativeFactory(title="Tablettes pour les collégiens", territory=grigny)
    there.themes.set([theme])
    slugs, result = search("grigny continuite scolaire")
    assert slugs[0] == there.slug
    offered = {(named.param, named.value): count for named, count in result.named_filters}
    assert offered[("territoire", grigny.slug)] == 1 and offered[("theme", theme.slug)] == 2


def test_snippets_highlight_the_words_and_stay_inert():
    html = snippet(
        "Un <script>alert(1)</script> prêt d'ordinateurs aux élèves de la Réussite éducative", "ordinateur reussite"
    )
    assert "<mark>ordinateurs</mark>" in html and "<mark>Réussite</mark>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_an_empty_query_keeps_everything(cases):
    assert len(found("")) == Initiative.objects.published().count()


@pytest.mark.parametrize("q", ["le de la", "%2A", '"', "-"])
def test_a_query_without_words_is_no_query_at_all(cases, q):
    assert found(q) == found("")


def test_the_api_finds_and_suggests_what_the_page_does(client, cases):
    grigny = CommuneFactory(name="Grigny")
    there = InitiativeFactory(title="Tablettes pour les collégiens", territory=grigny)
    for q in ("grigny tablettes ordinateurs", "ordinatuers", "colis"):
        slugs, result = search(q)
        data = client.get("/api/initiatives/", {"q": q, "par_page": 50}).json()
        assert [r["slug"] for r in data["results"]] == slugs, q
        block = data["search"]
        assert block["corrected_from"] == (result.text.corrected_from or None)
        assert block["all_words_count"] == result.text.all_count
        offered = [(f["param"], f["value"], f["count"]) for f in block["suggested_filters"]]
        assert offered == [(n.param, n.value, count) for n, count in result.named_filters]
    data = client.get("/api/initiatives/", {"q": "grigny tablettes ordinateurs"}).json()
    assert ("territoire", grigny.slug, 1) in [
        (f["param"], f["value"], f["count"]) for f in data["search"]["suggested_filters"]
    ]
    partial = {r["slug"]: r.get("missing_terms") for r in data["results"]}
    assert partial[there.slug] == ["ordinateurs"] and partial[cases["ordi"].slug] == ["grigny", "tablettes"]
    documented = client.get("/api/openapi.json").json()["paths"]["/api/initiatives/"]["get"]["responses"]["200"]
    schema = documented["content"]["application/json"]["schema"]["properties"]
    assert set(data["search"]) == set(schema["search"]["properties"])
