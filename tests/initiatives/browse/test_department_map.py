"""The département map of /territoires/: the Île-de-France inset, the theme and period filters, no link
where there is no case, the table beside it. Real requests, real database, counts checked against the ORM."""

import re
from html import unescape

import pytest
from django.db.models import Q

from initiatives.models import Initiative
from tests.factories import (
    CommuneFactory,
    DepartmentFactory,
    InitiativeFactory,
    PeriodFactory,
    RegionFactory,
    ThemeFactory,
    national_network,
)

pytestmark = pytest.mark.django_db

SHAPE = re.compile(r'<(?P<tag>a|path)\s[^>]*data-code="(?P<code>[^"]+)" data-count="(?P<count>\d+)"[^>]*>')
LINK = re.compile(r'<a href="(?P<href>[^"]+)"[^>]*data-code="(?P<code>[^"]+)"(?P<rest>[^>]*)>')


@pytest.fixture
def world():
    """Cases in Paris, the petite couronne, Seine-et-Marne, Meurthe-et-Moselle and Guadeloupe; a root theme with a finer
    one, another root; two periods; a draft; a case with another place in a second département."""
    national_network()
    idf, ge, gp = RegionFactory(name="Île-de-France", code="11"), RegionFactory(code="44"), RegionFactory(code="01")
    depts = {
        code: DepartmentFactory(code=code, name=name, parent=region)
        for code, name, region in [
            ("75", "Paris", idf),
            ("92", "Hauts-de-Seine", idf),
            ("93", "Seine-Saint-Denis", idf),
            ("94", "Val-de-Marne", idf),
            ("77", "Seine-et-Marne", idf),
            ("54", "Meurthe-et-Moselle", ge),
            ("971", "Guadeloupe", gp),
        ]
    }
    communes = {code: CommuneFactory(parent=dept) for code, dept in depts.items()}
    food = ThemeFactory(name="Aide alimentaire", slug="aide-alimentaire")
    parcels = ThemeFactory(name="Colis", slug="colis", parent=food)
    school = ThemeFactory(name="Continuité scolaire", slug="continuite-scolaire")
    spring, autumn = PeriodFactory(slug="confinement-1"), PeriodFactory(slug="confinement-2")
    for code, themes, periods, extra in [
        ("93", [food], [spring], {}),
        ("93", [parcels], [autumn], {}),
        ("93", [school], [spring], {}),
        ("75", [food], [spring], {}),
        ("92", [school], [autumn], {}),
        ("77", [school], [autumn], {}),
        ("54", [food], [autumn], {}),
        ("54", [school], [autumn], {}),
        ("971", [food], [spring], {}),
        ("94", [food], [spring], {"status": "draft"}),
    ]:
        case = InitiativeFactory(territory=communes[code], **extra)
        case.themes.set(themes)
        case.periods.set(periods)
    both = InitiativeFactory(territory=communes["92"])  # one action over two départements: counted in each
    both.other_places.set([communes["54"]])
    both.themes.set([parcels])
    both.periods.set([spring])
    return {"depts": depts, "food": food, "parcels": parcels, "school": school, "spring": spring, "autumn": autumn}


def expected(dept, theme=None, period=None):
    """The oracle: published cases of ``theme`` (or one of its finer themes) and ``period`` with a place
    inside ``dept``, counted once."""
    cases = Initiative.objects.published().filter(
        Q(territory__path__startswith=dept.path) | Q(other_places__path__startswith=dept.path)
    )
    if theme is not None:
        cases = cases.filter(Q(themes=theme) | Q(themes__parent=theme))
    if period is not None:
        cases = cases.filter(periods=period)
    return cases.distinct().count()


def page(client, query=""):
    response = client.get(f"/territoires/{query}")
    assert response.status_code == 200
    html = response.content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    main, inset = svg.split('<g class="inset"')
    table = html[html.index('<table class="data"') : html.index("</table>")]
    overseas = html[html.index('<div class="overseas">') :]
    overseas = overseas[: overseas.index("</div>")]
    return {"html": html, "main": main, "inset": inset, "table": table, "overseas": overseas}


def shapes(svg_part):
    return {m["code"]: (m["tag"], int(m["count"])) for m in SHAPE.finditer(svg_part)}


def table_counts(table):
    rows = re.findall(r"<tr><td>([^<]+)</td><th[^>]*>(.*?)</th><td>[^<]*</td><td class=\"num\">(\d+)</td></tr>", table)
    return {code: int(count) for code, _, count in rows}


def keyboard_links(svg_part):
    """The map's links a keyboard reaches (the other copies are for the mouse: tabindex -1, hidden)."""
    return [m for m in LINK.finditer(svg_part) if 'tabindex="-1"' not in m["rest"]]


def test_the_inset_enlarges_the_petite_couronne_with_their_counts_and_links(client, world):
    found = page(client)
    inset = shapes(found["inset"])
    assert {"75", "92", "93", "94"} <= set(inset)
    assert inset["75"] == ("a", 1) and inset["92"] == ("a", 2) and inset["93"] == ("a", 3)
    assert inset["94"] == ("path", 0)  # its only case is a draft
    assert "Île-de-France agrandie" in found["inset"] and 'transform="matrix(' in found["inset"]
    named = {m["code"]: unescape(m["rest"]) for m in keyboard_links(found["inset"])}
    assert 'aria-label="Seine-Saint-Denis : 3 cas"' in named["93"]
    assert set(named) == {"75", "92", "93"}  # the inset's copy of a neighbour is for the mouse only
    # On the main map, the enlarged départements are drawn too, for the mouse only: one tab stop each.
    main_links = {m["code"] for m in keyboard_links(found["main"])}
    assert main_links == {"54", "77"}  # Seine-et-Marne, large enough, is reached on the main map
    assert re.search(
        r'<a href="[^"]+" class="dept b\d" data-code="93"[^>]*tabindex="-1" aria-hidden="true"', found["main"]
    )
    assert "Île-de-France agrandie (encadré en haut à gauche)" in found["html"]  # the legend explains it


@pytest.mark.parametrize(
    "theme, period",
    [(None, None), ("food", None), ("parcels", None), ("school", None), ("food", "spring"), (None, "spring")],
)
def test_with_filters_each_count_equals_the_published_cases_of_that_theme_and_period(client, world, theme, period):
    theme, period = world.get(theme), world.get(period)
    params = "&".join([*([f"theme={theme.slug}"] if theme else []), *([f"periode={period.slug}"] if period else [])])
    found = page(client, f"?{params}")
    drawn = shapes(found["main"])
    table = table_counts(found["table"])
    for code, dept in world["depts"].items():
        count = expected(dept, theme, period)
        assert table[code] == count, code
        if code != "971":
            assert drawn[code][1] == count, code
        else:
            assert re.search(rf"Guadeloupe(</a>)? : {count} cas", found["overseas"])
    assert list(table.values()) == sorted(table.values(), reverse=True)  # most cases first


def test_no_link_without_cases_and_each_link_leads_to_the_list_with_the_filters(client, world):
    found = page(client, "?theme=aide-alimentaire&periode=confinement-1")
    drawn = shapes(found["main"])
    # Meurthe-et-Moselle: a food case in autumn, a finer food theme in spring (its other place): 1 case.
    assert drawn["54"] == ("a", 1)
    assert drawn["77"] == ("path", 0)
    assert "Seine-et-Marne (77) : 0 cas" in unescape(found["main"])
    assert 'data-code="77"' not in "".join(m.group(0) for m in LINK.finditer(found["html"]))
    links = {m["code"]: unescape(m["href"]) for m in keyboard_links(found["inset"])}
    assert links["93"] == "/initiatives/?departement=93&theme=aide-alimentaire&periode=confinement-1"
    assert "92" in links  # the case over two départements
    # The list behind a link shows the map's number.
    listed = client.get(links["93"]).content.decode()
    assert re.search(r"<strong>(\d+)</strong> initiative", listed).group(1) == str(shapes(found["inset"])["93"][1])
    # The table and the overseas list follow the same rule.
    assert '<th scope="row">Seine-et-Marne</th>' in found["table"]
    overseas_link = '<a href="/initiatives/?departement=971&amp;theme=aide-alimentaire&amp;periode=confinement-1">'
    assert overseas_link in found["overseas"]


def test_without_cases_under_the_filters_no_département_is_a_link(client, world):
    found = page(client, "?theme=continuite-scolaire&periode=confinement-1")
    assert {code for code, (tag, _) in shapes(found["main"]).items() if tag == "a"} == {"93"}
    assert "<a " not in found["overseas"]
    assert "Guadeloupe : 0 cas" in found["overseas"]


@pytest.mark.parametrize(
    "query",
    [
        "?theme=inconnu",
        "?theme=%3Cscript%3Ealert(1)%3C/script%3E",
        "?theme=%F0%9F%92%A5&periode=%20",
        "?periode=" + "x" * 500,
    ],
)
def test_an_unknown_value_gives_a_notice_and_the_unfiltered_map(client, world, query):
    found = page(client, query)
    assert "n'a pas été comprise" in found["html"] and "valeur inconnue ignorée" in found["html"]
    assert "<script>alert(1)" not in found["html"]
    unfiltered = page(client)
    assert shapes(found["main"]) == shapes(unfiltered["main"])
    assert table_counts(found["table"]) == table_counts(unfiltered["table"])
    assert "?departement=93&amp;theme" not in found["html"]  # links carry no unknown filter


def test_the_form_offers_the_two_levels_of_themes_and_the_periods_with_the_lists_own_parameters(client, world):
    html = page(client, "?theme=colis&periode=confinement-1")["html"]
    form = html[html.index('<form class="map-filters"') : html.index("</form>")]
    assert 'name="theme"' in form and 'name="periode"' in form and "Afficher</button>" in form
    assert '<optgroup label="Aide alimentaire">' in form
    assert '<option value="aide-alimentaire">Aide alimentaire (tout le thème) (4)</option>' in form
    assert '<option value="colis" selected>Colis (1)</option>' in form  # counts under the period filter
    assert '<option value="confinement-1" selected>' in form


@pytest.mark.parametrize(
    "query, theme, period",
    [("", None, None), ("?theme=aide-alimentaire", "food", None), ("?periode=confinement-2", None, "autumn")],
)
def test_the_number_of_links_equals_the_number_of_departments_with_cases(client, world, query, theme, period):
    found = page(client, query)
    svg = found["main"] + found["inset"]
    mainland = {code for code in world["depts"] if code != "971"}
    with_cases = {code for code in mainland if expected(world["depts"][code], world.get(theme), world.get(period))}
    assert with_cases  # the test means something
    assert sorted(m["code"] for m in keyboard_links(svg)) == sorted(with_cases)  # each once, none at 0
    table_links = re.findall(r'<th scope="row"><a href=', found["table"])
    assert len(table_links) == sum(1 for n in table_counts(found["table"]).values() if n)
    overseas = expected(world["depts"]["971"], world.get(theme), world.get(period))
    assert found["overseas"].count("<a ") == (1 if overseas else 0)


def test_the_map_has_a_title_a_description_and_one_h1(client, world):
    html = page(client, "?theme=aide-alimentaire")["html"]
    assert re.search(r'<svg [^>]*aria-labelledby="map-title" aria-describedby="map-desc"', html)
    assert re.search(r'<title id="map-title">[^<]*Thème : Aide alimentaire', html)
    assert '<desc id="map-desc">' in html
    assert len(re.findall(r"<h1[\s>]", html)) == 1
