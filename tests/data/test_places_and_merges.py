"""Data tests of the case fixes of the reading audit (issue "Precise places, no double entries"):
one case per action over several towns, places as precise as the text, the named neighbourhoods,
actors and fields the text gives, one rule for Odas annex lines, actions added from the ANCT synthesis."""

import pytest
from django.http import QueryDict

from initiatives.browse.facets import facet_labels
from initiatives.browse.reference_counts import sql_facet_counts
from initiatives.browse.selectors import browse
from initiatives.models import Initiative
from territories.models import Territory
from territories.selectors import resolve_place

pytestmark = pytest.mark.django_db(transaction=False)

# kept case -> (merged slugs, INSEE codes of its other places)
MERGES = {
    "anct-montbeliard-association-culturelle-live-facebook": (
        ["anct-bethoncourt-association-culturelle-live-facebook"],
        ["25057"],
    ),
    "montbeliard-remise-kits-travail-familles": (["bethoncourt-remise-kits-travail-familles"], ["25057"]),
    "champigny-sur-marne-remise-kits-travail-flux-devoirs": (
        ["chennevieres-sur-marne-remise-kits-travail-flux-devoirs"],
        ["94019"],
    ),
    "anct-valenciennes-soutien-alimentaire-initiative": (["anct-anzin-soutien-alimentaire-initiative"], ["59014"]),
    "anct-valenciennes-soutien-psychologique-initiative": (["anct-anzin-soutien-psychologique-initiative"], ["59014"]),
    "anct-grenoble-sante-scolaire-prises-en-charge": (["anct-echirolles-sante-scolaire-prises-en-charge"], ["38151"]),
    "anct-lille-reseau-ecoutants-joelle-bordet": (
        ["anct-echirolles-reseau-ecoutants-joelle-bordet", "anct-roubaix-reseau-ecoutants-joelle-bordet"],
        ["38151", "59512"],
    ),
}


def found_from(place):
    return set(browse(QueryDict(f"territoire={place.slug}"), with_facets=False, paginate_results=False).all_ids())


@pytest.mark.parametrize("kept", sorted(MERGES))
def test_an_action_over_two_towns_is_one_case_found_from_each_town(demo, client, kept):
    merged, codes = MERGES[kept]
    case = Initiative.objects.published().get(slug=kept)
    assert not Initiative.objects.filter(slug__in=merged).exists()
    for slug in merged:
        response = client.get(f"/initiatives/{slug}/")
        assert (response.status_code, response["Location"]) == (301, f"/initiatives/{kept}/")
    places = [case.territory, *Territory.objects.filter(kind="commune", code__in=codes)]
    assert set(case.other_places.all()) == set(places[1:])
    for place in places:
        assert case.pk in found_from(place), place
        assert case.title in client.get(place.get_absolute_url()).content.decode(), place


def test_banlieues_sante_is_one_case_counted_once_in_each_departement(demo):
    case = Initiative.objects.get(slug="anct-melun-banlieues-sante-consignes-confinement")
    assert case.actors.filter(name="Banlieues Santé", involvements__role="porteur").exists()
    assert [t.code for t in case.other_places.all()] == ["93"] and case.territory.department.code == "77"
    assert set(case.browse_keys.filter(facet="department").values_list("value", flat=True)) == {"77", "93"}
    for code in ("77", "93"):
        found = browse(QueryDict(f"departement={code}"), with_facets=False, paginate_results=False).all_ids()
        assert found.count(case.pk) == 1, code  # listed once in each of its départements
    # The in-memory counts equal the SQL reference on the real data, other places included.
    sql = sql_facet_counts(QueryDict("departement=93"), labels=facet_labels())
    shown = browse(QueryDict("departement=93"))
    for facet in shown.facets:
        assert {v.value: v.count for v in facet.values if v.count} == sql[facet.facet.name], facet.facet.name


def test_annex_cases_sit_in_the_town_their_carriers_name(demo):
    expected = {"odas-annexe-ccas-beausoleil-06": "06012", "odas-annexe-ville-arras-62": "62041"}
    for slug, code in expected.items():
        assert Initiative.objects.get(slug=slug).territory.code == code
    annex_at_department = Initiative.objects.filter(slug__startswith="odas-annexe-", precision="department")
    assert annex_at_department.count() == 45  # 63 before the fix


def test_neighbourhoods_the_reports_name_are_territories_with_their_cases(demo):
    assert demo["territories"]["qpv"] >= 4 and demo["territories"]["quartier"] >= 9
    by_precision = demo["initiatives"]["by_precision"]
    assert by_precision["qpv"] + by_precision["quartier"] >= 8
    val_fourre = Territory.objects.get(kind="qpv", name="Val Fourré")
    assert val_fourre.parent.name == "Mantes-la-Jolie"
    assert Initiative.objects.published().filter(territory=val_fourre).exists()
    # The proposal form's own example is a neighbourhood of the base.
    assert resolve_place("Val Fourré").place == val_fourre


def test_named_actors_and_fields_follow_the_text(demo):
    bordet = Initiative.objects.get(slug="anct-lille-reseau-ecoutants-joelle-bordet")
    assert bordet.actors.filter(name__icontains="Joëlle Bordet").exists()
    mecs = Initiative.objects.get(slug="protection-enfance-haute-savoie-organisation")
    partners = set(mecs.actors.filter(involvements__role="partenaire").values_list("name", flat=True))
    assert "Éducation nationale" not in partners
    assert any("prévention spécialisée" in name.lower() for name in partners)
    masks = Initiative.objects.get(slug="saint-denis-regie-quartier-reseau-confection-masques")
    assert not masks.publics.filter(slug="personnes-handicapees").exists()
    assert Initiative.objects.get(slug="evreux-convention-tripartite-aide-alimentaire-invendus").transferability == ""


def test_annex_lines_of_a_coordination_are_their_own_listed_cases(demo):
    fiche = Initiative.objects.get(slug="coordination-grande-precarite-alpes-maritimes")
    for slug in ("odas-annexe-medecins-du-monde-06", "odas-annexe-secours-populaire-francais-06"):
        line = Initiative.objects.get(slug=slug)
        assert line.documentation_level == "listed" and line.territory.code == "06"
        assert fiche in line.related.all()


def test_actions_of_the_anct_synthesis_are_added_and_villiers_cases_linked(demo):
    for slug in ("afev-collectif-mentorat-d-urgence", "education-nationale-recensement-perdus-de-vue"):
        assert Initiative.objects.published().get(slug=slug).precision == "national"
    tool = Initiative.objects.get(slug="villiers-le-bel-outil-collaboratif-familles-eloignees")
    assert tool.related.filter(slug="villiers-le-bel-cellule-veille-educative-pre").exists()
