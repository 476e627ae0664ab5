"""The case-file loader, on small files written by the tests (not the real fixtures)."""

import pytest
import yaml

from initiatives.casefiles.loaders import CaseFileError, load_cases, load_reference_data
from initiatives.models import Actor, Citation, Initiative, Involvement
from territories.loaders import load_resource_centres
from territories.models import Territory
from tests.factories import CommuneFactory, DepartmentFactory, RegionFactory, france

pytestmark = pytest.mark.django_db

CRPV_FILE = "000_a1b8b534513dd09e.txt"
REPORT = (
    "À Nantes, des associations de quartiers ont très vite alerté sur les situations complexes des familles "
    "des quartiers populaires. L'AFEV a organisé du mentorat à distance pour les élèves du quartier. "
    "Deux résidentes ont cousu des masques pour leurs voisins du Breil."
)


@pytest.fixture
def seeds(tmp_path):
    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / CRPV_FILE).write_text(REPORT, "utf-8")
    return folder


@pytest.fixture
def reference():
    """The real editorial lists and centres, on the two territories the files use."""
    france()
    region = RegionFactory(kind="region", code="52", name="Pays de la Loire")
    dept = DepartmentFactory(code="44", name="Loire-Atlantique", parent=region)
    CommuneFactory(code="44109", name="Nantes", parent=dept)
    # Centres point to régions and départements by INSEE code: create those they name.
    for code in ("11", "24", "27", "28", "32", "44", "53", "75", "76", "84", "93", "02", "03", "04", "06"):
        if not Territory.objects.filter(kind="region", code=code).exists():
            RegionFactory(code=code)
    for code in ("75", "77", "78", "91", "92", "93", "94", "95"):
        DepartmentFactory(code=code)
    load_resource_centres()
    load_reference_data()


def case(**overrides):
    data = {
        "slug": "nantes-urgence-alimentaire",
        "title": "Urgence alimentaire à Nantes",
        "summary": "Des associations de quartier repèrent les familles.",
        "documentation_level": "described",
        "precision": "commune",
        "territory": "commune:44109",
        "reporting_centre": "reso-villes",
        "periods": ["confinement-1"],
        "themes": ["aide-alimentaire"],
        "publics": ["familles"],
        "tags": ["aller-vers"],
        "key_figures": ["450 ménages repérés"],
        "sections": {"actions": "Repérage et distribution."},
        "facts": {"volunteers": True},
        "actors": [
            {"name": "Ville de Nantes", "kind": "institutional", "category": "commune", "role": "partenaire"},
            {"name": "L'AFEV", "kind": "formal", "category": "association", "role": "porteur"},
        ],
        "citations": [
            {
                "source": "crpv-2020",
                "locator": "Un décloisonnement au service de l'urgence alimentaire",
                "excerpt": "À Nantes, des associations de quartiers ont très vite alerté sur les situations",
            }
        ],
    }
    data.update(overrides)
    return data


def write(tmp_path, name, cases):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(cases, allow_unicode=True), "utf-8")
    return path


def test_a_case_is_loaded_with_everything_it_says(tmp_path, seeds, reference):
    path = write(tmp_path, "a.yaml", [case()])
    assert load_cases(paths=[path], seeds_dir=seeds) == {"cases": 1, "extensions": 0}
    initiative = Initiative.objects.get(slug="nantes-urgence-alimentaire")
    assert initiative.status == "published" and initiative.published_at
    assert initiative.territory.name == "Nantes" and initiative.precision == "commune"
    assert initiative.curating_centre.slug == "reso-villes" == initiative.reporting_centre.slug
    assert [t.slug for t in initiative.themes.all()] == ["aide-alimentaire"]
    assert initiative.volunteers is True and initiative.new_publics is None
    assert initiative.actions == "Repérage et distribution."
    assert list(initiative.key_figures.values_list("text", flat=True)) == ["450 ménages repérés"]
    roles = {(i.actor.name, i.role, i.actor.kind) for i in initiative.involvements.select_related("actor")}
    assert roles == {("Ville de Nantes", "partenaire", "institutional"), ("L'AFEV", "porteur", "formal")}
    assert list(initiative.tags.names()) == ["aller-vers"]


def test_loading_twice_changes_no_count(tmp_path, seeds, reference):
    path = write(tmp_path, "a.yaml", [case()])
    load_cases(paths=[path], seeds_dir=seeds)
    counts = [m.objects.count() for m in (Initiative, Actor, Involvement, Citation, Territory)]
    load_cases(paths=[path], seeds_dir=seeds)
    assert [m.objects.count() for m in (Initiative, Actor, Involvement, Citation, Territory)] == counts


def test_named_actors_merge_across_cases_and_unnamed_ones_never_do(tmp_path, seeds, reference):
    resident = {
        "name": "deux résidentes",
        "kind": "informal",
        "category": "habitant",
        "role": "porteur",
        "unnamed": True,
    }
    second = case(
        slug="nantes-masques",
        title="Masques cousus au Breil",
        territory="qpv:44109:Le Breil",
        precision="qpv",
        themes=["masques-et-protection"],
        actors=[{"name": "Afev", "kind": "formal", "category": "association", "role": "partenaire"}, resident],
        citations=[
            {
                "source": "crpv-2020",
                "locator": "Encadré",
                "excerpt": "Deux résidentes ont cousu des masques pour leurs voisins du Breil.",
            }
        ],
    )
    third = case(slug="nantes-masques-bis", actors=[resident])
    load_cases(paths=[write(tmp_path, "a.yaml", [case(), second, third])], seeds_dir=seeds)
    assert Actor.objects.filter(normalised_name="afev").count() == 1
    assert Actor.objects.filter(name="deux résidentes", is_unnamed=True).count() == 2
    qpv = Initiative.objects.get(slug="nantes-masques").territory
    assert qpv.kind == "qpv" and qpv.name == "Le Breil" and qpv.parent.code == "44109"


def test_extensions_add_citations_to_a_case_of_another_file(tmp_path, seeds, reference):
    main = write(tmp_path, "a.yaml", [case()])
    extension = write(
        tmp_path,
        "b.yaml",
        [
            {
                "extends": "nantes-urgence-alimentaire",
                "citations": [
                    {"source": "crpv-2020", "locator": "Annexe", "excerpt": "L'AFEV a organisé du mentorat à distance"}
                ],
            }
        ],
    )
    load_cases(paths=[main, extension], seeds_dir=seeds)
    load_cases(paths=[main, extension], seeds_dir=seeds)
    assert Initiative.objects.get().citations.count() == 2


def test_related_cases_are_linked_both_ways(tmp_path, seeds, reference):
    other = case(slug="nantes-bis", related=["nantes-urgence-alimentaire"])
    load_cases(paths=[write(tmp_path, "a.yaml", [case(), other])], seeds_dir=seeds)
    first = Initiative.objects.get(slug="nantes-urgence-alimentaire")
    assert [i.slug for i in first.related.all()] == ["nantes-bis"]


@pytest.mark.parametrize(
    "overrides, message",
    [
        (
            {
                "citations": [
                    {
                        "source": "crpv-2020",
                        "locator": "x",
                        "excerpt": "À Nantes, des associations ont inventé ceci et cela",
                    }
                ]
            },
            "introuvable mot pour mot",
        ),
        (
            {"citations": [{"source": "crpv-2020", "locator": "x", "excerpt": "À Nantes, des associations"}]},
            "extrait de moins de 8 mots",
        ),
        ({"themes": ["theme-inconnu"]}, "themes : 'theme-inconnu' inconnu"),
        ({"territory": "commune:99999"}, "territoire 'commune:99999' inconnu"),
        ({"precision": "region"}, "ne correspond pas"),
        ({"actors": [{"name": "X", "kind": "bizarre", "category": "association", "role": "porteur"}]}, "kind"),
        ({"themes": []}, "aucun thème"),
    ],
)
def test_a_file_with_a_problem_is_refused_whole(tmp_path, seeds, reference, overrides, message):
    good = case(slug="bonne")
    bad = case(**overrides)
    with pytest.raises(CaseFileError) as excinfo:
        load_cases(paths=[write(tmp_path, "a.yaml", [good, bad])], seeds_dir=seeds)
    assert message in str(excinfo.value)
    assert Initiative.objects.count() == 0


# --- Several places, neighbourhoods, merged cases (fixtures/cases/FORMAT.md) --------------------


@pytest.fixture
def rezé(reference):
    return CommuneFactory(code="44143", name="Rezé", parent=Territory.objects.get(kind="department", code="44"))


def test_a_case_over_several_places_is_one_case_found_from_each(client, tmp_path, seeds, rezé):
    load_cases(paths=[write(tmp_path, "a.yaml", [case(other_places=["commune:44143"])])], seeds_dir=seeds)
    initiative = Initiative.objects.get()
    assert list(initiative.other_places.all()) == [rezé]
    nantes = Territory.objects.get(kind="commune", code="44109")
    for place in (nantes, rezé):
        assert list(Initiative.objects.published().in_territory(place)) == [initiative]
        assert initiative.title in client.get(place.get_absolute_url()).content.decode()
    assert "Rezé" in client.get(initiative.get_absolute_url()).content.decode()


def test_a_merged_case_is_gone_and_its_address_redirects_to_the_kept_case(client, tmp_path, seeds, reference):
    load_cases(paths=[write(tmp_path, "a.yaml", [case(slug="urgence-a-reze")])], seeds_dir=seeds)
    kept = case(merged_from=["urgence-a-reze"])
    load_cases(paths=[write(tmp_path, "a.yaml", [kept])], seeds_dir=seeds)
    assert list(Initiative.objects.values_list("slug", flat=True)) == ["nantes-urgence-alimentaire"]
    response = client.get("/initiatives/urgence-a-reze/?retour=q%3Dmasques")
    assert response.status_code == 301
    assert response["Location"] == "/initiatives/nantes-urgence-alimentaire/?retour=q%3Dmasques"
    assert client.get("/api/initiatives/urgence-a-reze/").status_code == 301
    assert client.get("/initiatives/jamais-existe/").status_code == 404


def test_a_neighbourhood_named_a_qpv_later_is_upgraded_not_duplicated(tmp_path, seeds, reference):
    first = case(territory="quartier:44109:Le Breil", precision="quartier")
    load_cases(paths=[write(tmp_path, "a.yaml", [first])], seeds_dir=seeds)
    breil = Territory.objects.get(name="Le Breil")
    assert breil.kind == "quartier" and breil.parent.code == "44109"
    assert Initiative.objects.get().precision == "quartier"
    second = case(territory="qpv:44109:Le Breil", precision="qpv", qpv_code="QN04409M")
    load_cases(paths=[write(tmp_path, "a.yaml", [second])], seeds_dir=seeds)
    upgraded = Territory.objects.get(name="Le Breil")
    assert (upgraded.pk, upgraded.kind, upgraded.code) == (breil.pk, "qpv", "QN04409M")
    assert Initiative.objects.get().precision == "qpv"


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"other_places": ["commune:99999"]}, "other_places : territoire 'commune:99999' inconnu"),
        ({"other_places": ["commune:44109"]}, "répète le territoire"),
        ({"territory": "arrondissement:75119"}, "un arrondissement s'écrit commune:75119"),
        ({"territory": "quartier:99999:Nulle part", "precision": "quartier"}, "commune '99999' inconnue"),
        ({"territory": "quartier:44109:Le Breil"}, "ne correspond pas au territoire de type 'quartier'"),
        ({"related": ["nantes-urgence-alimentaire"]}, "le cas se cite lui-même"),
    ],
)
def test_places_are_checked_before_anything_is_loaded(tmp_path, seeds, reference, overrides, message):
    with pytest.raises(CaseFileError) as refused:
        load_cases(paths=[write(tmp_path, "a.yaml", [case(**overrides)])], seeds_dir=seeds)
    assert any(message in problem for problem in refused.value.errors), refused.value.errors
    assert not Initiative.objects.exists()


def test_a_merged_slug_may_not_be_used_or_pointed_to(tmp_path, seeds, reference):
    kept = case(merged_from=["ancien-cas"])
    other = case(slug="autre-cas", related=["ancien-cas"])
    reused = case(slug="ancien-cas")
    with pytest.raises(CaseFileError) as refused:
        load_cases(paths=[write(tmp_path, "a.yaml", [kept, other, reused])], seeds_dir=seeds)
    problems = " | ".join(refused.value.errors)
    assert "related : 'ancien-cas' a été fusionné dans ['nantes-urgence-alimentaire']" in problems
    assert "(ancien-cas) : cet identifiant est listé dans merged_from de ['nantes-urgence-alimentaire']" in problems


def carrier(name):
    return [{"name": name, "kind": "institutional", "category": "ccas", "role": "porteur"}]


def test_a_departement_case_whose_carrier_names_a_town_of_it_is_flagged(tmp_path, seeds, reference):
    flagged = case(territory="department:44", precision="department", actors=carrier("CCAS de Rezé"))
    with pytest.raises(CaseFileError) as refused:
        load_cases(paths=[write(tmp_path, "a.yaml", [flagged])], seeds_dir=seeds)
    assert any("nomme la commune Rezé (44143) du département 44" in p for p in refused.value.errors)


@pytest.mark.parametrize(
    "overrides",
    [
        {"other_places": ["commune:44143"]},  # the town is one of its places already
        {"actors": carrier("Département de Loire-Atlantique")},  # no commune in the name
        {"territory": "commune:44143", "precision": "commune"},  # placed in the town
    ],
)
def test_a_carrier_naming_a_town_is_fine_once_the_town_is_a_place(tmp_path, seeds, rezé, overrides):
    base = {"territory": "department:44", "precision": "department", "actors": carrier("CCAS de Rezé")}
    load_cases(paths=[write(tmp_path, "a.yaml", [case(**{**base, **overrides})])], seeds_dir=seeds)
    assert Initiative.objects.count() == 1


def test_names_that_only_resemble_a_commune_are_waived(tmp_path, seeds, reference):
    # fixtures/reference/place_name_waivers.yaml: « Pas-de-Calais » is the département, not Calais.
    DepartmentFactory(code="62", name="Pas-de-Calais")
    waived = case(territory="department:62", precision="department", actors=carrier("Département du Pas-de-Calais"))
    load_cases(paths=[write(tmp_path, "a.yaml", [waived])], seeds_dir=seeds)
    assert Initiative.objects.get().territory.code == "62"
