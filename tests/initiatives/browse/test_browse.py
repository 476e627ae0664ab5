"""Browsing semantics (DESIGN): OR within a facet, AND across, disjunctive counts, territories, bad input."""

import random

import pytest
from django.http import QueryDict

from initiatives.browse.facets import BY_NAME, FACETS
from initiatives.browse.selectors import browse
from initiatives.models import Initiative
from tests.factories import (
    CommuneFactory,
    DepartmentFactory,
    InitiativeFactory,
    QpvFactory,
    RegionFactory,
    ThemeFactory,
    france,
    national_network,
)
from tests.initiatives.browse.browse_data import TITLE_WORDS, build_world, concerned, facet_values_of

pytestmark = pytest.mark.django_db


def run(query, **kwargs):
    return browse(QueryDict(query), **kwargs)


def slugs(result):
    return set(Initiative.objects.filter(pk__in=result.all_ids()).values_list("slug", flat=True))


def test_facet_counts_match_a_brute_force_oracle_for_random_filter_combinations():
    """Random filters, with or without a search (``q``) and a place (``territoire``), against an oracle
    that derives everything from the territory tree and the coverage itself (browse_data). Every
    announced value is clicked: the list then holds exactly the cases the oracle says."""
    world = build_world(seed=11, cases=70)
    published = list(Initiative.objects.published())
    truth = {i.pk: facet_values_of(i) for i in published}
    titles = {i.pk: set(i.title.split()) for i in published}
    above = {i.pk: {t.pk for t in concerned(i)} for i in published}
    within = {(i.pk, t.pk): t.pk in above[i.pk] for i in published for t in world["places"]}
    assert any(i.other_places.exists() for i in published)  # multi-place cases are in the draw
    all_values = sorted({fv for values in truth.values() for fv in values})
    rnd = random.Random(5)
    checked = clicked = 0
    for _ in range(25):
        # 1 to 3 active facets, 1 or 2 values each (OR within, AND across).
        chosen = {}
        for facet, value in rnd.sample(all_values, rnd.randint(1, 4)):
            chosen.setdefault(facet, set()).add(value)
        word = rnd.choice([None, None, *TITLE_WORDS])
        place = rnd.choice([None, None, *world["places"][1:]])
        params = QueryDict(mutable=True)
        for facet, values in chosen.items():
            params.setlist(BY_NAME[facet].param, sorted(values))
        if word:
            params["q"] = word
        if place:
            params["territoire"] = place.slug

        def matches(pk, skip=None, chosen=chosen, word=word, place=place):
            return (
                (word is None or word in titles[pk])
                and (place is None or within[pk, place.pk])
                and all(any((f, v) in truth[pk] for v in vs) for f, vs in chosen.items() if f != skip)
            )

        result = browse(params)
        assert result.errors == {}
        assert result.total == sum(1 for pk in truth if matches(pk)), params.urlencode()
        for facet_result in result.facets:
            name, param = facet_result.facet.name, facet_result.facet.param
            for value in facet_result.values:
                expected = sum(1 for pk in truth if matches(pk, skip=name) and (name, value.value) in truth[pk])
                assert value.count == expected, (params.urlencode(), name, value.value)
                # Clicking the value toggles it in its facet (OR within): exactly what the oracle says.
                mine = chosen.get(name, set())
                after = mine - {value.value} if value.selected else mine | {value.value}
                click = params.copy()
                click.setlist(param, sorted(after))
                want = sum(
                    1
                    for pk in truth
                    if matches(pk, skip=name) and (not after or any((name, v) in truth[pk] for v in after))
                )
                assert browse(click, with_facets=False).total == want, (click.urlencode(), name, value.value)
                if name not in chosen:
                    assert want == value.count  # an unfiltered facet: the count is the click's result
                checked += 1
                clicked += 1
            # No value with results is missing from the facet.
            announced = {v.value for v in facet_result.values}
            possible = {v for pk in truth if matches(pk, skip=name) for f, v in truth[pk] if f == name}
            assert possible <= announced
    assert checked > 100 and clicked == checked


def test_values_of_one_facet_combine_with_or_and_facets_with_and():
    national_network()
    a, b = ThemeFactory(), ThemeFactory()
    region = RegionFactory(code="44")
    in_region = CommuneFactory(parent=DepartmentFactory(parent=region))
    x = InitiativeFactory(territory=in_region)
    x.themes.set([a])
    y = InitiativeFactory()
    y.themes.set([b])
    z = InitiativeFactory(territory=in_region)
    z.themes.set([b])
    assert slugs(run(f"theme={a.slug}&theme={b.slug}")) == {x.slug, y.slug, z.slug}
    assert slugs(run(f"theme={b.slug}&region=44")) == {z.slug}


def test_choosing_a_root_theme_includes_its_finer_themes():
    national_network()
    root = ThemeFactory()
    child = ThemeFactory(parent=root)
    case = InitiativeFactory()
    case.themes.set([child])
    assert slugs(run(f"theme={root.slug}")) == {case.slug}


def test_territory_filters_include_descendants_and_wider_cases_stay_out_of_narrower_ones():
    national_network()
    region = RegionFactory(code="11")
    dept = DepartmentFactory(parent=region, code="93")
    commune = CommuneFactory(parent=dept)
    qpv = QpvFactory(parent=commune)
    in_qpv = InitiativeFactory(territory=qpv)
    regional = InitiativeFactory(territory=region)
    national = InitiativeFactory(territory=france())
    assert slugs(run("region=11")) == {in_qpv.slug, regional.slug}
    assert slugs(run("departement=93")) == {in_qpv.slug}
    assert slugs(run(f"territoire={commune.slug}")) == {in_qpv.slug}
    assert national.slug in slugs(run("precision=national"))
    assert slugs(run("precision=qpv")) == {in_qpv.slug}


def test_unpublished_cases_are_neither_listed_nor_counted():
    national_network()
    theme = ThemeFactory()
    for status in ("draft", "review", "archived", "published"):
        InitiativeFactory(status=status).themes.set([theme])
    result = run("")
    assert result.total == 1
    theme_values = {v.value: v.count for f in result.facets if f.facet.name == "theme" for v in f.values}
    assert theme_values == {theme.slug: 1}


@pytest.mark.parametrize(
    "query, param",
    [
        ("theme=inconnu", "theme"),
        ("region=99&region=%00", "region"),
        ("foo=bar", "foo"),
        ("page=abc", "page"),
        ("page=-3", "page"),
        ("par_page=100000", "par_page"),
        ("tri=n%27importe", "tri"),
        ("territoire=pas-un-territoire", "territoire"),
        ("q=" + "x" * 500, "q"),
    ],
)
def test_malformed_parameters_are_reported_and_ignored(query, param):
    national_network()
    InitiativeFactory()
    result = run(query)
    assert param in result.errors
    assert result.notices
    assert result.total == 1  # the bad parameter is ignored: the one case is listed


def test_known_values_survive_beside_unknown_ones():
    national_network()
    RegionFactory(code="44")
    InitiativeFactory(territory=CommuneFactory(parent=DepartmentFactory(parent=RegionFactory(code="52"))))
    result = run("region=52&region=zz")
    assert result.total == 1
    assert "region" in result.errors


def test_every_facet_is_offered():
    build_world(seed=3, cases=30)
    names = {f.facet.name for f in run("").facets}
    assert names == {f.name for f in FACETS}


def test_the_in_memory_index_agrees_with_the_sql_counts():
    from initiatives.browse.reference_counts import sql_facet_counts

    world = build_world(seed=23, cases=50)
    for query in [
        "",
        f"theme={world['roots'][0].slug}",
        f"region={world['regions'][1].code}&porteur=formal",
        "q=action",
    ]:
        result = run(query)
        sql = sql_facet_counts(QueryDict(query))
        for facet_result in result.facets:
            name = facet_result.facet.name
            announced = {v.value: v.count for v in facet_result.values if v.count}
            assert announced == {k: n for k, n in sql[name].items() if n}, (query, name)


def test_every_write_reaches_the_index_of_a_running_process():
    national_network()
    theme = ThemeFactory()
    case = InitiativeFactory()
    case.themes.set([theme])
    assert run(f"theme={theme.slug}").total == 1  # the process has now loaded the index
    other = InitiativeFactory()
    other.themes.set([theme])
    assert run(f"theme={theme.slug}").total == 2  # an addition
    case.status = "archived"
    case.save()
    assert run(f"theme={theme.slug}").total == 1  # an unpublication
    other.delete()
    assert run(f"theme={theme.slug}").total == 0  # a deletion
    assert run("").total == 0


def test_similar_cases_share_the_most_weighted_keys():
    from initiatives.browse.related import similar

    national_network()
    theme, other_theme = ThemeFactory(), ThemeFactory()
    dept = DepartmentFactory()
    case = InitiativeFactory(territory=CommuneFactory(parent=dept))
    case.themes.set([theme])
    close = InitiativeFactory(territory=CommuneFactory(parent=dept))
    close.themes.set([theme])
    theme_only = InitiativeFactory()
    theme_only.themes.set([theme])
    unrelated = InitiativeFactory()
    unrelated.themes.set([other_theme])
    draft = InitiativeFactory(status="draft", territory=CommuneFactory(parent=dept))
    draft.themes.set([theme])
    assert similar(case) == [close, theme_only]


def test_every_facet_is_a_filter_declared_on_the_filterset():
    from initiatives.browse.filters import FacetFilter, InitiativeFilterSet

    declared = {name: f.facet for name, f in InitiativeFilterSet.base_filters.items() if isinstance(f, FacetFilter)}
    assert declared == {facet.param: facet.name for facet in FACETS}


def test_the_theme_tree_costs_the_same_few_queries_whatever_the_number_of_roots(django_assert_max_num_queries):
    from initiatives.browse.summaries import theme_tree

    national_network()
    roots = [ThemeFactory(position=i) for i in range(7)]
    for root in roots:
        ThemeFactory(parent=root)
    case = InitiativeFactory()
    case.themes.set([roots[2].children.get()])
    theme_tree()  # the process loads its index once
    with django_assert_max_num_queries(2):  # the index version, the themes
        tree = theme_tree()
    assert [node.theme for node in tree] == roots
    assert [(node.count, [c.count for c in node.children]) for node in tree][2] == (1, [1])
    assert sum(node.count for node in tree) == 1


def test_similar_cases_are_the_best_scores_of_a_brute_force_count():
    """The bit-sliced scoring against plain Python: every published case's five most similar are those
    sharing the most weighted keys (a theme or the place at least), ties to the oldest."""
    from initiatives.browse import bitsets
    from initiatives.browse.related import SIMILARITY_WEIGHTS, similar

    build_world(seed=13, cases=60)
    index = bitsets.current()
    weighted = {pk: {k for k in keys if k[0] in SIMILARITY_WEIGHTS} for pk, keys in index.keys_of.items() if keys}
    published = list(Initiative.objects.published().order_by("pk"))
    checked = 0
    for case in published:
        own = weighted.get(case.pk, set())
        scores = []
        for other in published:
            shared = own & weighted.get(other.pk, set())
            if other.pk != case.pk and any(f in ("theme", "department", "region") for f, _ in shared):
                scores.append((-sum(SIMILARITY_WEIGHTS[f] for f, _ in shared), other.pk))
        expected = [pk for _, pk in sorted(scores)[:5]]
        assert [c.pk for c in similar(case)] == expected, case.pk
        checked += bool(expected)
    assert checked > 30
