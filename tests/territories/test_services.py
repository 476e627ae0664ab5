import pytest

from territories.services import choose_curating_centre
from tests.factories import (
    CommuneFactory,
    DepartmentFactory,
    QpvFactory,
    RegionFactory,
    ResourceCentreFactory,
    national_network,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    region = RegionFactory(name="Île-de-France")
    dept = DepartmentFactory(parent=region, name="Seine-Saint-Denis")
    other_dept = DepartmentFactory(parent=region)
    commune = CommuneFactory(parent=dept)
    regional = ResourceCentreFactory(name="Centre régional", coverage=[region])
    departmental = ResourceCentreFactory(name="Profession Banlieue", coverage=[dept])
    return {
        "region": region,
        "dept": dept,
        "other_dept": other_dept,
        "commune": commune,
        "regional": regional,
        "departmental": departmental,
        "national": national_network(),
    }


def test_the_reporting_centre_curates_its_case(network):
    chosen = choose_curating_centre(territory=network["commune"], reporting_centre=network["regional"])
    assert chosen == network["regional"]


def test_a_department_coverage_beats_a_region_coverage(network):
    assert choose_curating_centre(territory=network["commune"]) == network["departmental"]
    assert choose_curating_centre(territory=QpvFactory(parent=network["commune"])) == network["departmental"]


def test_the_region_centre_curates_where_no_department_centre_covers(network):
    commune = CommuneFactory(parent=network["other_dept"])
    assert choose_curating_centre(territory=commune) == network["regional"]
    assert choose_curating_centre(territory=network["region"]) == network["regional"]


def test_the_national_network_is_the_fallback(network):
    uncovered = CommuneFactory()
    assert choose_curating_centre(territory=uncovered) == network["national"]
    assert choose_curating_centre(territory=None) == network["national"]


def test_two_centres_covering_one_region_are_chosen_in_a_stable_order(network):
    region = RegionFactory(name="Occitanie")
    ResourceCentreFactory(name="Villes et Territoires", coverage=[region])
    first = ResourceCentreFactory(name="Ressources et Territoires", coverage=[region])
    commune = CommuneFactory(parent=DepartmentFactory(parent=region))
    assert choose_curating_centre(territory=commune) == first


def test_initiative_save_sets_the_curating_centre(network):
    from tests.factories import InitiativeFactory

    initiative = InitiativeFactory(territory=network["commune"])
    assert initiative.curating_centre == network["departmental"]
    reported = InitiativeFactory(territory=network["commune"], reporting_centre=network["regional"])
    assert reported.curating_centre == network["regional"]
