import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from territories.models import Territory, path_prefixes
from territories.services import get_or_create_qpv
from tests.factories import CommuneFactory, DepartmentFactory, QpvFactory, RegionFactory, ResourceCentreFactory, france

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    """Two régions; the first with two départements; communes and a QPV below."""
    r1, r2 = RegionFactory(), RegionFactory()
    d1, d2, d3 = DepartmentFactory(parent=r1), DepartmentFactory(parent=r1), DepartmentFactory(parent=r2)
    c1, c2, c3 = CommuneFactory(parent=d1), CommuneFactory(parent=d2), CommuneFactory(parent=d3)
    q1 = QpvFactory(parent=c1)
    return {"r1": r1, "r2": r2, "d1": d1, "d2": d2, "d3": d3, "c1": c1, "c2": c2, "c3": c3, "q1": q1}


@pytest.mark.parametrize(
    "root, expected",
    [
        ("r1", {"r1", "d1", "d2", "c1", "c2", "q1"}),
        ("r2", {"r2", "d3", "c3"}),
        ("d1", {"d1", "c1", "q1"}),
        ("d2", {"d2", "c2"}),
        ("c1", {"c1", "q1"}),
        ("q1", {"q1"}),
    ],
)
def test_inside_returns_the_territory_and_everything_below_it(tree, root, expected):
    found = set(Territory.objects.inside(tree[root]).values_list("pk", flat=True))
    assert found == {tree[name].pk for name in expected}


def test_france_contains_every_territory(tree):
    assert Territory.objects.inside(france()).count() == Territory.objects.count()


def test_inside_is_one_query(tree):
    with CaptureQueriesContext(connection) as queries:
        list(Territory.objects.inside(tree["r1"]))
    assert len(queries) == 1


def test_inside_does_not_match_a_sibling_whose_code_shares_a_prefix():
    region = RegionFactory(code="1")
    sibling = RegionFactory(code="11")
    assert sibling not in Territory.objects.inside(region)


def test_ancestors_run_from_france_down(tree):
    chain = list(Territory.objects.ancestors_of(tree["q1"]))
    assert chain == [france(), tree["r1"], tree["d1"], tree["c1"], tree["q1"]]


def test_ancestors_without_the_territory_itself(tree):
    chain = list(Territory.objects.ancestors_of(tree["q1"], include_self=False))
    full = list(Territory.objects.ancestors_of(tree["q1"]))
    assert chain == full[:-1] and len(chain) == len(full) - 1 >= 3


def test_denormalised_region_and_department_follow_the_parent_chain(tree):
    q1 = tree["q1"]
    assert q1.region == tree["r1"]
    assert q1.department == tree["d1"]
    assert tree["d1"].region == tree["r1"]
    assert tree["d1"].department is None
    assert tree["r1"].region is None


def test_kind_and_code_are_unique():
    RegionFactory(code="44")
    with pytest.raises(IntegrityError):
        RegionFactory(code="44")


def test_two_qpv_without_code_do_not_collide(tree):
    QpvFactory(parent=tree["c2"], code=None)
    QpvFactory(parent=tree["c2"], code=None)
    assert Territory.objects.filter(kind="qpv", code__isnull=True).count() == 3


def test_only_the_country_may_be_a_root():
    with pytest.raises(IntegrityError):
        Territory.objects.create(kind="region", code="99", name="Orpheline", slug="orpheline", path="/R99/")


def test_get_or_create_qpv_finds_the_same_neighbourhood_whatever_the_case(tree):
    first = get_or_create_qpv(commune=tree["c1"], name="Les  Tarterêts")
    again = get_or_create_qpv(commune=tree["c1"], name="les tarterêts")
    assert first.pk == again.pk
    assert first.kind == "qpv" and first.parent == tree["c1"]
    assert first in Territory.objects.inside(tree["r1"])


def test_get_or_create_qpv_records_an_official_code_when_it_arrives(tree):
    qpv = get_or_create_qpv(commune=tree["c1"], name="La Source")
    get_or_create_qpv(commune=tree["c1"], name="La Source", code="QP045001")
    qpv.refresh_from_db()
    assert qpv.code == "QP045001"


def test_inside_without_the_territory_itself(tree):
    assert set(Territory.objects.inside(tree["d1"], include_self=False)) == {tree["c1"], tree["q1"]}


def test_a_commune_and_a_department_are_named_with_their_code_other_places_without():
    region = RegionFactory(name="Pays de la Loire", code="52")
    department = DepartmentFactory(name="Loire-Atlantique", code="44", parent=region)
    commune = CommuneFactory(name="Nantes", code="44109", parent=department)
    qpv = QpvFactory(name="Le Breil", code="QN04407M", parent=commune)
    assert [str(t) for t in (region, department, commune, qpv)] == [
        "Pays de la Loire",
        "Loire-Atlantique (44)",
        "Nantes (44109)",
        "Le Breil",
    ]


def test_a_resource_centre_is_named_by_its_short_name_else_its_name():
    assert str(ResourceCentreFactory(name="Observatoire régional de l'intégration", short_name="ORIV")) == "ORIV"
    assert str(ResourceCentreFactory(name="Profession Banlieue", short_name="")) == "Profession Banlieue"
    assert ResourceCentreFactory(slug="oriv").get_absolute_url() == "/centres-de-ressources/oriv/"


def test_each_kind_of_territory_gets_its_address_and_its_place_in_the_tree():
    region = RegionFactory(name="Pays de la Loire", code="52")
    department = DepartmentFactory(name="Loire-Atlantique", code="44", parent=region)
    commune = CommuneFactory(name="Nantes", code="44109", parent=department)
    qpv = QpvFactory(name="Le Breil", code="QN04407M", parent=commune)
    quartier = QpvFactory(kind="quartier", name="Secteur 6", parent=commune)
    rows = [
        (t.slug, t.path, t.depth, t.region_id, t.department_id) for t in (france(), region, department, commune, qpv)
    ]
    assert rows == [
        ("france", "/FR/", 0, None, None),
        ("region-pays-de-la-loire", "/FR/R52/", 1, None, None),
        ("loire-atlantique-44", "/FR/R52/D44/", 2, region.pk, None),
        ("nantes-44109", "/FR/R52/D44/C44109/", 3, region.pk, department.pk),
        ("qpv-le-breil-44109", "/FR/R52/D44/C44109/QQN04407M/", 4, region.pk, department.pk),
    ]
    assert quartier.slug == "quartier-secteur-6-44109" and quartier.depth == 4
    assert region.get_absolute_url() == "/territoires/region-pays-de-la-loire/"
    assert qpv.path_prefixes() == ["/FR/", "/FR/R52/", "/FR/R52/D44/", "/FR/R52/D44/C44109/", qpv.path]


def test_a_default_address_is_cut_at_180_characters_before_its_code():
    assert Territory.default_slug("commune", "a" * 200, "12345") == "a" * 180 + "-12345"
    assert Territory.default_slug("commune", "Nulle part") == "nulle-part"
    assert Territory.default_slug("qpv", "Sans commune") == "qpv-sans-commune"
    assert Territory.default_slug("country", "France", "FR") == "france"
    assert CommuneFactory(name="Nantes", slug="ma-nantes").slug == "ma-nantes"  # a slug given is kept


def test_a_save_passes_its_arguments_on():
    commune = CommuneFactory(name="Nantes", code="44109")
    commune.name, commune.code = "Nantes (ville)", "99999"
    commune.save(update_fields=["name"])
    commune.refresh_from_db()
    assert (commune.name, commune.code) == ("Nantes (ville)", "44109")  # only the field asked for


def test_path_prefixes_of_nothing_is_nothing():
    assert path_prefixes("") == [] and path_prefixes(None) == []
    assert path_prefixes("/FR/R44/") == ["/FR/", "/FR/R44/"]
