"""The public pages of lessons and resources, through real HTTP on a small base (conftest.py)."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def text(response):
    assert response.status_code == 200
    return response.content.decode()


def titles(html):
    return re.findall(r'<a href="/ressources/([a-z0-9-]+)/">', html)


def facet_counts(html, param):
    return dict(re.findall(rf'name="{param}" value="([^"]+)"[^>]*>.*?<span class="count">\((\d+)\)', html))


# Lessons


def test_index_groups_published_lessons_by_root_theme(client, knowledge_base):
    html = text(client.get(reverse("knowledge:lessons")))
    assert html.count("<h1>") == 1
    assert "<strong>3</strong> enseignements" in html
    food = html.index("Première nécessité <span")
    school = html.index("Continuité scolaire <span")
    other = html.index("Autres enseignements <span")
    assert food < school < other
    # a lesson on a finer theme is under its root; one on two roots under both; the draft nowhere
    assert html[food:school].count("/enseignements/faire-confiance/") == 1
    assert html[food:school].count("/enseignements/cooperer/") == 1
    assert html[school:other].count("/enseignements/cooperer/") == 1
    assert "/enseignements/sans-theme/" in html[other:]
    assert "pas-encore" not in html


def test_lesson_page_shows_its_published_cases_and_their_spread(client, knowledge_base):
    html = text(client.get(reverse("knowledge:lesson", args=["faire-confiance"])))
    assert html.count("<h1>") == 1
    assert "Un passage du rapport sur faire-confiance." in html
    for slug in ("lille", "roubaix", "toulouse"):
        assert f"/initiatives/{slug}/" in html
    assert "/initiatives/brouillon/" not in html  # a draft case is not evidence on a public page
    assert html.count("lien fait par le rapport") == 2
    assert html.count("lien posé par l&#x27;équipe de curation") == 1
    assert re.search(r"Hauts-de-France</th><td>2</td>", html)
    assert re.search(r"Occitanie</th><td>1</td>", html)
    assert re.search(r"Formel</th><td>2</td>", html)  # Lille and Toulouse
    assert re.search(r"Informel</th><td>1</td>", html)
    assert re.search(r"Institutionnel</th><td>1</td>", html)


def test_lesson_without_cases_says_so(client, knowledge_base):
    html = text(client.get(reverse("knowledge:lesson", args=["cooperer"])))
    assert "ne désigne aucun cas précis" in html
    assert "<table" not in html


def test_draft_lesson_is_not_public(client, knowledge_base):
    assert client.get(reverse("knowledge:lesson", args=["pas-encore"])).status_code == 404
    assert client.get(reverse("knowledge:lesson", args=["inconnu"])).status_code == 404


def test_case_page_lists_the_published_lessons_it_illustrates(client, knowledge_base):
    html = text(client.get(knowledge_base.cases["lille"].get_absolute_url()))
    assert "Ce que les rapports en retiennent" in html
    assert "/enseignements/faire-confiance/" in html
    assert "/enseignements/pas-encore/" not in html
    other = text(client.get(knowledge_base.cases["toulouse"].get_absolute_url()))
    assert "/enseignements/faire-confiance/" in other
    alone = knowledge_base.cases["roubaix"]
    alone.lesson_evidence.all().delete()
    assert "Ce que les rapports en retiennent" not in text(client.get(alone.get_absolute_url()))


# Resources


def test_resource_list_has_published_resources_and_counts(client, knowledge_base):
    html = text(client.get(reverse("knowledge:resources")))
    assert html.count("<h1>") == 1
    assert "<strong>3</strong> ressources" in html
    assert sorted(titles(html)) == ["enquete-ecoles", "guide-aide", "note-crise"]
    assert facet_counts(html, "type") == {"guide": "2", "survey": "1"}
    assert facet_counts(html, "annee") == {"2021": "1", "2020": "2"}
    assert facet_counts(html, "centre") == {"irev": "2"}


def test_values_of_one_facet_are_alternatives_and_facets_combine(client, knowledge_base):
    html = text(client.get(reverse("knowledge:resources") + "?type=guide"))
    assert sorted(titles(html)) == ["guide-aide", "note-crise"]
    # ticking « enquête » would add one: the chosen facet keeps counting the others
    assert facet_counts(html, "type") == {"guide": "2", "survey": "1"}
    assert facet_counts(html, "annee") == {"2021": "1", "2020": "1"}
    html = text(client.get(reverse("knowledge:resources") + "?type=guide&type=survey&annee=2020"))
    assert sorted(titles(html)) == ["enquete-ecoles", "note-crise"]


def test_every_announced_count_is_what_a_click_gives(client, knowledge_base):
    base = reverse("knowledge:resources")
    for query in ("", "?type=guide", "?annee=2020", "?theme=premiere-necessite"):
        html = text(client.get(base + query))
        for param in ("type", "annee", "centre", "theme", "source"):
            for value, count in facet_counts(html, param).items():
                if f"{param}={value}" in query:
                    continue
                joined = f"{query}&" if query else "?"
                clicked = text(client.get(f"{base}{joined}{param}={value}"))
                total = re.search(r"<strong>(\d+)</strong> ressource", clicked).group(1)
                if param in query:  # another value of the same facet: alternatives add up
                    continue
                assert total == count, (query, param, value)


def test_a_root_theme_finds_its_finer_themes(client, knowledge_base):
    html = text(client.get(reverse("knowledge:resources") + "?theme=premiere-necessite"))
    assert titles(html) == ["guide-aide"]


def test_search_finds_words_without_accents_and_nothing_else(client, knowledge_base):
    html = text(client.get(reverse("knowledge:resources") + "?q=enquete"))
    assert titles(html) == ["enquete-ecoles"]
    html = text(client.get(reverse("knowledge:resources") + "?q=alimentaire+guide"))
    assert titles(html) == ["guide-aide"]
    html = text(client.get(reverse("knowledge:resources") + "?q=vaccination"))
    assert "Aucune ressource ne correspond" in html


@pytest.mark.parametrize(
    "query",
    ["?type=inconnu", "?annee=abc", "?annee=1999", "?centre=" + "x" * 5000, "?q=" + "é" * 5000],
)
def test_malformed_parameters_are_ignored_with_a_notice(client, knowledge_base, query):
    response = client.get(reverse("knowledge:resources") + query)
    html = text(response)
    assert "<strong>3</strong> ressources" in html or "Aucune ressource" in html
    if not query.startswith("?q="):
        assert "ont été ignorés" in html


def test_a_nul_byte_is_refused_like_on_every_page(client, knowledge_base):
    response = client.get(reverse("knowledge:resources") + "?theme=%00")
    assert response.status_code == 400


def test_resource_page_and_draft(client, knowledge_base):
    html = text(client.get(reverse("knowledge:resource", args=["enquete-ecoles"])))
    assert html.count("<h1>") == 1
    assert "Le passage qui présente Enquête sur les écoles." in html
    assert "/centres-de-ressources/irev/" in html
    assert client.get(reverse("knowledge:resource", args=["brouillon"])).status_code == 404


def test_centre_page_lists_its_published_publications(client, knowledge_base):
    html = text(client.get(reverse("browse:centre", args=["irev"])))
    assert "Ses publications citées par les rapports" in html
    assert "/ressources/guide-aide/" in html and "/ressources/enquete-ecoles/" in html
    assert "/ressources/brouillon/" not in html
    assert "Ses publications" not in text(client.get(reverse("browse:centre", args=["vet"])))


def test_an_address_printed_without_its_scheme_is_linked_over_https(client, knowledge_base):
    survey = knowledge_base.resources["survey"]
    survey.url = "www.rtes.fr/appel"
    survey.save()
    html = text(client.get(survey.get_absolute_url()))
    assert 'href="https://www.rtes.fr/appel"' in html and "(www.rtes.fr/appel)" in html
    note = knowledge_base.resources["note"]
    assert "Le rapport ne donne pas d'adresse" in text(client.get(note.get_absolute_url()))
