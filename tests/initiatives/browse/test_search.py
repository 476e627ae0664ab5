"""The same search tests on SQLite and PostgreSQL (DESIGN, Search)."""

import pytest
from django.db import connection
from django.http import QueryDict

from initiatives.browse.search import snippet
from initiatives.browse.selectors import browse
from initiatives.models import Initiative, Involvement
from tests.factories import ActorFactory, CommuneFactory, InitiativeFactory, national_network

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="recherche approchée propre à PostgreSQL")


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


def found(q):
    result = browse(QueryDict(f"q={q}"), with_facets=False)
    return set(Initiative.objects.filter(pk__in=result.all_ids()).values_list("slug", flat=True)), result


def test_accents_are_ignored(cases):
    assert found("reussite+educative")[0] == {cases["reussite"].slug}
    assert found("RÉUSSITE")[0] == {cases["reussite"].slug}


def test_a_singular_finds_the_plural(cases):
    assert cases["ordi"].slug in found("ordinateur")[0]


def test_a_word_is_not_found_inside_another_word(cases):
    assert cases["coord"].slug not in found("ordinateur")[0]


def test_sections_actor_names_and_places_are_searched(cases):
    commune = CommuneFactory(name="Villeneuve-Saint-Georges")
    case = InitiativeFactory(title="Sans mot-clé", territory=commune)
    Involvement.objects.create(initiative=case, actor=ActorFactory(name="Secours populaire"), role="porteur")
    case.save()  # save() rebuilds the search text once involvements exist
    assert case.slug in found("villeneuve")[0]
    assert case.slug in found("secours+populaire")[0]
    assert cases["benevoles"].slug in found("benevoles")[0]


def test_excluded_words_and_phrases(cases):
    assert found("%22reussite+educative%22")[0] == {cases["reussite"].slug}
    assert cases["reussite"].slug not in found("educative+-grigny")[0]


def test_unpublished_cases_are_never_found(cases):
    assert cases["draft"].slug not in found("brouillon")[0]


@on_postgresql
def test_a_misspelt_word_of_a_section_body_still_finds_the_case(cases):
    slugs, result = found("benevols")
    assert cases["benevoles"].slug in slugs
    slugs, result = found("ordinatuers")
    assert result.used_fallback and cases["ordi"].slug in slugs


@on_postgresql
def test_title_words_rank_first(cases):
    InitiativeFactory(title="Autre chose", obstacles="On parle ici de réussite éducative en passant.")
    ids = found("reussite+educative")[1].all_ids()
    slugs = [Initiative.objects.get(pk=ids[0]).slug]
    assert slugs[0] == cases["reussite"].slug


def test_snippets_highlight_the_words_and_stay_inert():
    html = snippet(
        "Un <script>alert(1)</script> prêt d'ordinateurs aux élèves de la Réussite éducative", "ordinateur reussite"
    )
    assert "<mark>ordinateurs</mark>" in html and "<mark>Réussite</mark>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_empty_query_keeps_everything(cases):
    assert len(found("")[0]) == Initiative.objects.published().count()


@on_postgresql
def test_a_query_of_stop_words_does_not_fall_back_to_arbitrary_cases(cases):
    slugs, result = found("le+de+la")
    assert not result.used_fallback
    assert slugs == set()


def test_a_query_of_punctuation_only_is_no_query_at_all(cases):
    assert found("%2A")[0] == found("")[0]
