"""/chronologie/: the cases of a selection period by period, per theme, on a small base built here."""

import datetime
import re

import pytest

from initiatives.models import Initiative
from tests.factories import InitiativeFactory, PeriodFactory, ThemeFactory, national_network
from tests.initiatives.panorama.pages import H1, assert_links_lead_to_their_counts, counted_links, table_rows

pytestmark = pytest.mark.django_db

TABLE = "Cas situés dans chaque période"
CONTINUED = "« Poursuivie après la crise »"


@pytest.fixture
def base():
    """Eight published cases over three periods and two root themes (one through a finer theme), one
    without theme, one without period, and a draft in two periods that must be counted nowhere."""
    national_network()
    p1 = PeriodFactory(slug="p1", name="Premier", start=datetime.date(2020, 3, 17), end=datetime.date(2020, 5, 10))
    p3 = PeriodFactory(slug="p3", name="Troisième", start=datetime.date(2020, 10, 30))  # created before p2
    p2 = PeriodFactory(slug="p2", name="Deuxième", start=datetime.date(2020, 5, 11), end=datetime.date(2020, 10, 29))
    food = ThemeFactory(name="Alimentation", slug="alimentation", position=1)
    school = ThemeFactory(name="École", slug="ecole", position=2)
    meals = ThemeFactory(name="Repas", slug="repas", parent=food)
    cases = {}
    for key, themes, periods, extra in [
        ("c1", [meals], [p1], {"continued": True}),
        ("c2", [food], [p1, p2], {"start_date": datetime.date(2020, 4, 1)}),
        ("c3", [food], [p2], {"continued": False}),
        ("c4", [school], [p3], {}),
        ("c5", [food], [], {}),
        ("c6", [], [p1], {}),
        ("c7", [food], [p1], {}),
        ("c8", [food], [p1], {}),
        ("draft", [food], [p1, p3], {"continued": True, "start_date": datetime.date(2020, 3, 20)}),
    ]:
        status = Initiative.Status.DRAFT if key == "draft" else Initiative.Status.PUBLISHED
        case = InitiativeFactory(title=f"Cas {key}", slug=f"cas-{key}", status=status, **extra)
        case.themes.set(themes)
        case.periods.set(periods)
        cases[key] = case
    return cases


def page(client, query=""):
    response = client.get(f"/chronologie/{query}")
    assert response.status_code == 200
    html = response.content.decode()
    assert len(H1.findall(html)) == 1
    return html


def figure(html, number):
    """The small multiple ``number`` (1: the whole selection)."""
    start = html.index(f'<figure class="multiple" aria-labelledby="multiple-{number}">')
    return html[start : html.index("</figure>", start)]


def test_periods_in_order_with_cases_first_seen_and_seen_again(client, base):
    html = page(client)
    assert "<strong>8</strong> cas publiés : toute la base." in html
    assert "ne datent le début d'une action que rarement (1 cas de cette sélection)" in html
    assert table_rows(html, TABLE) == [
        ["Thème", "1. Premier", "2. Deuxième", "3. Troisième", "Sans période", "Total"],
        ["Toute la sélection", "5 (5 + 0)", "2 (1 + 1)", "1 (1 + 0)", "1", "8"],
        ["Alimentation", "4 (4 + 0)", "2 (1 + 1)", "0", "1", "6"],
        ["École", "0", "0", "1 (1 + 0)", "0", "1"],
    ]
    assert "1 cas de la sélection n'a pas de thème : ils ne comptent que dans la première ligne." in html


def test_a_chart_per_theme_and_plain_words_when_a_slice_is_thin(client, base):
    html = page(client)
    whole, food, school = figure(html, 1), figure(html, 2), figure(html, 3)
    bars = re.findall(r"<title>([^<]+)</title>", whole)  # the bars (the chart's title has an id)
    assert bars == [
        "Premier : 5 cas (5 apparus, 0 poursuivi)",
        "Deuxième : 2 cas (1 apparu, 1 poursuivi)",
        "Troisième : 1 cas (1 apparu, 0 poursuivi)",
    ]
    assert "Seule la période 1 compte au moins 5 cas ; les autres en comptent moins : trop peu pour comparer." in whole
    assert "<svg" in food and "Aucune période ne compte 5 cas ou plus : trop peu pour comparer." in food
    assert "<svg" not in school
    assert "1 cas situé dans une période (moins de 5) : trop peu pour comparer." in school
    # The theme charts share one scale (the largest theme count: 4), so a bar of 4 fills the height.
    assert "(4 cas pour la hauteur entière)" in html
    full = 170 - 18 - 22
    assert f'height="{float(full)}"' in food


def test_every_count_link_leads_to_a_list_of_exactly_that_count(client, base):
    html = page(client)
    links = counted_links(html)
    assert ("/initiatives/?periode=p1", 5) in links
    assert ("/initiatives/?theme=alimentation&periode=p2", 2) in links
    assert ("/initiatives/?poursuivie=oui", 1) in links
    # The table's counts (6 non-zero), the drawn charts' bars (3 + 2: a bar of 0 is no link), the continued fact (2).
    assert assert_links_lead_to_their_counts(client, html) == 6 + 5 + 2


def test_the_continued_fact_yes_no_and_not_established(client, base):
    html = page(client)
    assert table_rows(html, CONTINUED) == [["Le rapport dit", "Cas"], ["Oui", "1"], ["Non", "1"], ["Non établi", "6"]]


def test_a_finer_theme_is_its_own_row_and_links_stay_exact(client, base):
    html = page(client, "?theme=repas")
    rows = table_rows(html, TABLE)
    assert rows[1:] == [
        ["Toute la sélection", "1 (1 + 0)", "0", "0", "0", "1"],
        ["Alimentation › Repas", "1 (1 + 0)", "0", "0", "0", "1"],
    ]
    assert ("/initiatives/?theme=repas&periode=p1", 1) in counted_links(html)
    assert "1 cas situé dans une période (moins de 5) : trop peu pour comparer." in figure(html, 2)
    assert assert_links_lead_to_their_counts(client, html) == 2 + 1  # the two cells, "poursuivie : oui"


def test_a_period_filter_keeps_other_periods_counts_without_a_link(client, base):
    html = page(client, "?periode=p2")
    assert table_rows(html, TABLE)[1] == ["Toute la sélection", "1", "2 (1 + 1)", "0", "0", "2"]
    assert "periode=p1" not in html  # no list shows "p2 AND p1"
    assert assert_links_lead_to_their_counts(client, html) == 1 + 1 + 1  # the cell, its row's cell, "non"


def test_an_empty_selection_says_so(client, base):
    html = page(client, "?theme=ecole&periode=p1")
    assert "Aucun cas publié dans cette sélection : rien à montrer." in html
    assert "<svg" not in html and "<table" not in html


def test_a_theme_without_cases_in_the_selection_says_so(client, base):
    html = page(client, "?periode=p3")
    assert "Aucun cas de ce thème dans cette sélection." in figure(html, 2)
    assert "1 cas situé dans une période (moins de 5) : trop peu pour comparer." in figure(html, 3)
