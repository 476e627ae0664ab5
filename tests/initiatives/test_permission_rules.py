"""The rules of ``initiatives.permissions`` called directly, one role and one record at a time.

``test_permissions.py`` drives every cell through the real admin; these tests pin each rule's
edges (no record, a record without a centre, sibling paths, the message's wording) and are fast
enough for mutation testing to run them on every mutant.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from initiatives import permissions
from initiatives.models import Actor, Initiative, Lesson, Proposal
from tests.factories import (
    ActorFactory,
    CommuneFactory,
    DepartmentFactory,
    InitiativeFactory,
    InvolvementFactory,
    QpvFactory,
    RegionFactory,
    ResourceCentreFactory,
    SourceFactory,
    make_curator,
    national_network,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def base(django_user_model):
    national_network()
    r1, r11 = RegionFactory(name="R1", code="1"), RegionFactory(name="R11", code="11")
    d1 = DepartmentFactory(parent=r1)
    d11 = DepartmentFactory(parent=r11)
    own = ResourceCentreFactory(name="Centre A", coverage=[r1])
    other = ResourceCentreFactory(name="Centre B", coverage=[r11])
    c1, c11 = CommuneFactory(parent=d1), CommuneFactory(parent=d11)
    users = {
        "admin": django_user_model.objects.create_superuser(email="admin@example.org", password="x"),
        "curator": make_curator("a@example.org", [own]),
        "both": make_curator("ab@example.org", [own, other]),
        "nobody": make_curator("sans-centre@example.org", []),
    }
    inactive = make_curator("ancien@example.org", [own])
    inactive.is_active = False
    inactive.save()
    users["inactive"] = inactive
    not_staff = make_curator("pas-staff@example.org", [own])
    not_staff.is_staff = False
    not_staff.save()
    users["not_staff"] = not_staff
    outsider = django_user_model.objects.create_user(email="dehors@example.org", password="x", is_staff=True)
    outsider.centres.set([own])  # a centre, but not in the curators' group: no model permission
    users["outsider"] = outsider
    cases = {
        "own": InitiativeFactory(title="Cas A", territory=c1, curating_centre=own),
        "other": InitiativeFactory(title="Cas B", territory=c11, curating_centre=other),
    }
    return {
        "users": users,
        "centres": {"own": own, "other": other},
        "communes": {"own": c1, "other": c11},
        "cases": cases,
    }


def test_is_admin_needs_an_active_superuser(base, django_user_model):
    assert permissions.is_admin(base["users"]["admin"]) is True
    assert permissions.is_admin(base["users"]["curator"]) is False
    retired = django_user_model.objects.create_superuser(email="retired@example.org", password="x")
    retired.is_active = False
    assert permissions.is_admin(retired) is False


def test_centre_ids_only_for_active_staff(base):
    own = base["centres"]["own"].pk
    users = base["users"]
    assert permissions.centre_ids(users["curator"]) == frozenset({own})
    assert permissions.centre_ids(users["both"]) == frozenset({own, base["centres"]["other"].pk})
    for role in ("inactive", "not_staff"):
        assert permissions.centre_ids(users[role]) == frozenset(), role
    assert permissions.centre_ids(AnonymousUser()) == frozenset()


def test_may_curate_centre(base):
    own, other = base["centres"]["own"].pk, base["centres"]["other"].pk
    curator = base["users"]["curator"]
    assert permissions.may_curate_centre(curator, own) is True
    assert permissions.may_curate_centre(curator, other) is False
    assert permissions.may_curate_centre(curator, None) is False
    assert permissions.may_curate_centre(base["users"]["admin"], None) is True


@pytest.mark.parametrize(
    ("role", "own", "other"),
    [
        ("admin", True, True),
        ("curator", True, False),
        ("both", True, True),
        ("inactive", False, False),
        ("outsider", False, False),  # a centre but no model permission
        ("nobody", False, False),
    ],
)
def test_edit_and_delete_a_case(base, role, own, other):
    user = base["users"][role]
    assert permissions.may_edit_case(user, base["cases"]["own"]) is own
    assert permissions.may_edit_case(user, base["cases"]["other"]) is other
    assert permissions.may_delete_case(user, base["cases"]["own"]) is own
    assert permissions.may_delete_case(user, base["cases"]["other"]) is other


def test_delete_needs_its_own_permission(base):
    curator = base["users"]["curator"]
    curator.groups.first().permissions.remove(*curator.groups.first().permissions.filter(codename="delete_initiative"))
    curator = type(curator).objects.get(pk=curator.pk)  # permissions are cached per instance
    assert permissions.may_edit_case(curator, base["cases"]["own"]) is True
    assert permissions.may_delete_case(curator, base["cases"]["own"]) is False


def test_may_edit_curated_by_the_records_centre_and_action(base):
    own, other = base["centres"]["own"], base["centres"]["other"]
    source = SourceFactory()
    mine = Lesson.objects.create(slug="a", source=source, kind="finding", statement="A", curating_centre=own)
    theirs = Lesson.objects.create(slug="b", source=source, kind="finding", statement="B", curating_centre=other)
    nobodys = Lesson.objects.create(slug="c", source=source, kind="finding", statement="C")
    curator = base["users"]["curator"]
    assert permissions.may_edit_curated(curator, mine) is True
    assert permissions.may_edit_curated(curator, mine, "delete") is True
    assert permissions.may_edit_curated(curator, theirs) is False
    assert permissions.may_edit_curated(curator, nobodys) is False
    assert permissions.may_edit_curated(base["users"]["outsider"], mine) is False
    assert permissions.may_edit_curated(base["users"]["admin"], nobodys) is True


def test_actor_cases_elsewhere(base):
    curator, admin = base["users"]["curator"], base["users"]["admin"]
    shared = ActorFactory(name="Secours populaire")
    InvolvementFactory(initiative=base["cases"]["own"], actor=shared)
    assert permissions.actor_cases_elsewhere(curator, shared) == []
    assert permissions.may_edit_actor(curator, shared) is True
    InvolvementFactory(initiative=base["cases"]["other"], actor=shared)
    orphan = InitiativeFactory(territory=base["communes"]["own"])
    Initiative.objects.filter(pk=orphan.pk).update(curating_centre=None)
    InvolvementFactory(initiative=orphan, actor=shared)
    assert permissions.actor_cases_elsewhere(curator, shared) == ["Centre B", "sans centre"]
    assert permissions.may_edit_actor(curator, shared) is False
    assert permissions.actor_cases_elsewhere(admin, shared) == []
    assert permissions.may_edit_actor(admin, shared) is True
    assert permissions.actor_cases_elsewhere(curator, None) == []
    assert permissions.actor_cases_elsewhere(curator, Actor(name="Nouvel acteur")) == []


def test_covers_by_path_prefix_not_by_sibling_code(base):
    curator, admin = base["users"]["curator"], base["users"]["admin"]
    inside = QpvFactory(parent=base["communes"]["own"])
    assert permissions.covers(curator, inside) is True
    assert permissions.covers(curator, base["communes"]["own"]) is True
    assert permissions.covers(curator, base["communes"]["other"]) is False  # R11 is not inside R1
    assert permissions.covers(curator, None) is False
    assert permissions.covers(base["users"]["nobody"], inside) is False
    assert permissions.covers(admin, base["communes"]["other"]) is True
    assert permissions.covers(admin, None) is True


def test_may_add_neighbourhood(base):
    curator = base["users"]["curator"]
    own, other = base["communes"]["own"], base["communes"]["other"]
    assert permissions.may_add_neighbourhood(curator, own) is True
    assert permissions.may_add_neighbourhood(curator, other) is False
    assert permissions.may_add_neighbourhood(curator, None) is False
    assert permissions.may_add_neighbourhood(curator, own.parent) is False  # a département, not a commune
    arrondissement = CommuneFactory(kind="arrondissement", parent=own.parent)
    assert permissions.may_add_neighbourhood(curator, arrondissement) is True
    assert permissions.may_add_neighbourhood(base["users"]["outsider"], own) is False


def test_may_add_case(base):
    users = base["users"]
    assert permissions.may_add_case(users["admin"]) is True
    assert permissions.may_add_case(users["curator"]) is True
    assert permissions.may_add_case(users["nobody"]) is False
    assert permissions.may_add_case(users["outsider"]) is False


def test_check_may_edit_names_the_refused_cases(base):
    curator = base["users"]["curator"]
    permissions.check_may_edit(curator, [base["cases"]["own"]])  # allowed: no exception
    others = [InitiativeFactory(title=f"Autre {n}", territory=base["communes"]["other"]) for n in range(6)]
    with pytest.raises(PermissionDenied) as refused:
        permissions.check_may_edit(curator, [base["cases"]["own"], base["cases"]["other"]])
    assert str(refused.value) == "Ces cas ne relèvent pas de vos centres de ressources : « Cas B »."
    long_title = InitiativeFactory(title="T" * 59 + "-fin du titre", territory=base["communes"]["other"])
    with pytest.raises(PermissionDenied) as refused:
        permissions.check_may_edit(curator, [base["cases"]["other"], long_title])
    assert str(refused.value) == f"Ces cas ne relèvent pas de vos centres de ressources : « Cas B », « {'T' * 59}- »."
    with pytest.raises(PermissionDenied) as refused:
        permissions.check_may_edit(curator, others)
    message = str(refused.value)
    assert message.count("« Autre") == 5 and message.endswith(" et 1 autre(s).")
    with pytest.raises(PermissionDenied) as refused:
        permissions.check_may_edit(curator, others[:5])
    assert "autre(s)" not in str(refused.value)


def test_proposals_visible_to(base):
    own, other = base["centres"]["own"], base["centres"]["other"]
    fields = {"title": "Une idée", "description": "Des voisins livrent des repas.", "contact_email": "x@example.org"}
    mine = Proposal.objects.create(centre=own, **fields)
    theirs = Proposal.objects.create(centre=other, **fields)
    everything = Proposal.objects.all()
    assert list(permissions.proposals_visible_to(base["users"]["curator"], everything)) == [mine]
    assert set(permissions.proposals_visible_to(base["users"]["admin"], everything)) == {mine, theirs}
