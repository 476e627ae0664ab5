"""The rules of ``initiatives.services`` called directly: the workflow's wording, four eyes, the
needs-update flag, first versions, unique slugs, named actors. Fast, so that mutation testing runs
them on every mutant (``test_workflow.py`` drives the sixteen pairs through the service)."""

import pytest
import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from reversion.models import Version

from initiatives import services
from initiatives.models import Actor, ActorAlias, Initiative, Lesson
from tests.factories import (
    ActorFactory,
    CommuneFactory,
    InitiativeFactory,
    RegionFactory,
    ResourceCentreFactory,
    SourceFactory,
    make_curator,
    national_network,
)

pytestmark = pytest.mark.django_db
D, R, P, A = "draft", "review", "published", "archived"


def test_next_statuses_in_workflow_order():
    assert services.next_statuses(D) == "en relecture"
    assert services.next_statuses(R) == "brouillon, publié"
    assert services.next_statuses(P) == "brouillon, archivé"
    assert services.next_statuses(A) == "brouillon"


def test_status_problem_wording():
    assert services.status_problem(None, A) == "un nouveau cas ne peut pas être archivé"
    assert services.status_problem(None, D) is None
    assert services.status_problem(None, P) is None
    assert services.status_problem(D, D) is None
    assert services.status_problem(R, P) is None
    assert services.status_problem(D, P) == "un cas « brouillon » peut passer à : en relecture ; pas à « publié »"
    assert services.status_problem(A, P) == "un cas « archivé » peut passer à : brouillon ; pas à « publié »"


def test_status_problem_agrees_with_a_feminine_record():
    sheet = services.SHEET  # a lesson or a resource
    assert services.status_problem(None, A, sheet) == "une nouvelle fiche ne peut pas être archivée"
    assert services.status_problem(None, R, sheet) is None
    assert services.status_problem(R, P, sheet) is None
    assert (
        services.status_problem(D, P, sheet)
        == "une fiche « brouillon » peut passer à : en relecture ; pas à « publié »"
    )


@pytest.fixture
def four_eyes(django_user_model):
    national_network()
    region = RegionFactory()
    centre = ResourceCentreFactory(name="Centre à quatre yeux", short_name="C4Y", coverage=[region])
    centre.requires_second_person = True
    centre.save()
    first = make_curator("premiere@example.org", [centre])
    second = make_curator("seconde@example.org", [centre])
    case = InitiativeFactory(title="Un cas à relire", territory=CommuneFactory(parent__parent=region), status=D)
    return {"centre": centre, "first": first, "second": second, "case": case}


def test_four_eyes(four_eyes):
    case, first, second = four_eyes["case"], four_eyes["first"], four_eyes["second"]
    assert case.curating_centre == four_eyes["centre"]
    services.change_status(initiatives=[case], to=R, user=first)
    case.refresh_from_db()
    assert case.submitted_by == first
    problem = services.publication_problem(case, P, first)
    assert problem == "C4Y publie à quatre yeux : vous avez soumis ce cas à relecture, une autre personne le publie"
    assert services.transition_error(case, P, first) == f"« Un cas à relire » : {problem}."
    with pytest.raises(ValidationError):
        services.change_status(initiatives=[case], to=P, user=first)
    assert services.publication_problem(case, P, None) is None
    assert services.publication_problem(case, D, first) is None
    assert services.publication_problem(case, P, second) is None
    services.change_status(initiatives=[case], to=P, user=second)
    case.refresh_from_db()
    assert case.status == P and case.submitted_by == first
    assert services.publication_problem(case, P, first) is None  # already published: no new publication


def test_four_eyes_only_where_the_centre_asks(four_eyes):
    centre, case, first = four_eyes["centre"], four_eyes["case"], four_eyes["first"]
    centre.requires_second_person = False
    centre.save()
    services.change_status(initiatives=[case], to=R, user=first)
    case.refresh_from_db()
    assert services.publication_problem(case, P, first) is None
    case.curating_centre = None
    assert services.publication_problem(case, P, first) is None


def test_note_status_change_records_who_submitted(django_user_model):
    first = django_user_model.objects.create_user(email="une@example.org", password="x")
    other = django_user_model.objects.create_user(email="autre@example.org", password="x")
    case = Initiative(status=D)
    services.note_status_change(case, D, R, first)
    assert case.submitted_by == first
    services.note_status_change(case, R, R, other)  # already in review: kept as it was
    services.note_status_change(case, R, P, other)
    assert case.submitted_by == first


def test_transition_error_names_the_case_and_a_missing_place(django_user_model):
    national_network()
    case = InitiativeFactory(title="X" * 70, territory=None, status=D)
    assert services.transition_error(case, R) == (
        f"« {'X' * 60} » : un territoire est obligatoire pour un cas « en relecture » (seul un brouillon s'en passe)."
    )
    assert services.transition_error(case, D) is None


def test_set_needs_update_counts_what_changed_and_keeps_history(django_user_model):
    national_network()
    admin = django_user_model.objects.create_superuser(email="admin@example.org", password="x")
    commune = CommuneFactory()
    first, second = InitiativeFactory(territory=commune), InitiativeFactory(territory=commune)
    assert services.set_needs_update(initiatives=[first, second], value=True, user=admin) == 2
    assert services.set_needs_update(initiatives=[first, second], value=True, user=admin) == 0
    assert set(Initiative.objects.values_list("needs_update", flat=True)) == {True}
    versions = Version.objects.get_for_object(first)
    assert versions.count() == 2  # the initial state, then the flag
    assert versions.first().revision.comment == "Marqué « à mettre à jour »"
    assert services.set_needs_update(initiatives=[first], value=False, user=admin) == 1
    assert Version.objects.get_for_object(first).first().revision.comment == "Marque « à mettre à jour » retirée"


def test_set_needs_update_refuses_another_centres_case(django_user_model):
    national_network()
    curator = make_curator("c@example.org", [ResourceCentreFactory()])
    case = InitiativeFactory(territory=CommuneFactory())
    with pytest.raises(PermissionDenied):
        services.set_needs_update(initiatives=[case], value=True, user=curator)
    assert Initiative.objects.get(pk=case.pk).needs_update is False


def test_ensure_initial_versions_once_and_never_inside_a_revision(django_user_model):
    national_network()
    case = InitiativeFactory(territory=CommuneFactory())
    services.ensure_initial_versions([case])
    services.ensure_initial_versions([case])
    versions = Version.objects.get_for_object(case)
    assert versions.count() == 1
    assert versions.get().revision.comment == "État initial (avant la première modification enregistrée)"
    other = InitiativeFactory(territory=CommuneFactory())
    with reversion.create_revision():
        services.ensure_initial_versions([other])
    assert Version.objects.get_for_object(other).count() == 0


def test_ensure_initial_versions_tells_a_lesson_from_a_case_of_the_same_number(django_user_model):
    national_network()
    case = InitiativeFactory(territory=CommuneFactory())
    services.ensure_initial_versions([case])
    lesson = Lesson.objects.create(pk=case.pk, slug="cooperer", source=SourceFactory(), statement="Coopérer")
    services.ensure_initial_versions([case, lesson])
    assert Version.objects.get_for_object(case).count() == 1
    assert Version.objects.get_for_object(lesson).get().field_dict["statement"] == "Coopérer"
    # Of two models, each one's versioned records are remembered, whichever is read first.
    new_case = InitiativeFactory(territory=CommuneFactory())
    new_lesson = Lesson.objects.create(slug="faire-confiance", source=lesson.source, statement="Faire confiance")
    services.ensure_initial_versions([case, lesson, new_case, new_lesson])
    assert [Version.objects.get_for_object(r).count() for r in (case, lesson, new_case, new_lesson)] == [1, 1, 1, 1]


def test_unique_slug(django_user_model):
    national_network()
    InitiativeFactory(slug="paniers-solidaires", territory=CommuneFactory())
    assert (
        services.unique_slug(Initiative, "Paniers solidaires", max_length=50, fallback="cas") == "paniers-solidaires-2"
    )
    InitiativeFactory(slug="paniers-solidaires-2", territory=CommuneFactory())
    assert (
        services.unique_slug(Initiative, "Paniers solidaires", max_length=50, fallback="cas") == "paniers-solidaires-3"
    )
    assert services.unique_slug(Initiative, "Paniers solidaires", max_length=8, fallback="cas") == "paniers"
    InitiativeFactory(slug="paniers", territory=CommuneFactory())
    assert services.unique_slug(Initiative, "Paniers solidaires", max_length=8, fallback="cas") == "panier-2"
    assert services.unique_slug(Initiative, "!!!", max_length=50, fallback="cas") == "cas"
    assert services.unique_slug(Initiative, "--- a", max_length=50, fallback="cas") == "a"


def test_named_actors_are_one_row_by_normalised_name_or_alias():
    actor = services.named_actor("Le Secours populaire", kind="formal", category="association")
    assert (actor.kind, actor.category, actor.slug) == ("formal", "association", "le-secours-populaire")
    assert services.named_actor("secours POPULAIRE", kind="institutional") == actor
    assert Actor.objects.get(pk=actor.pk).kind == "formal"  # an existing actor keeps its kind
    ActorAlias.objects.create(actor=actor, name="SPF", normalised_name="spf")
    assert services.find_named_actor("S.P.F") != actor  # "s p f": the alias is "spf"
    assert services.find_named_actor("Spf") == actor
    assert services.find_named_actor("Croix-Rouge") is None
    ActorFactory(name="Croix-Rouge", slug="croix-rouge", kind="formal")
    other = services.named_actor("Croix Rouge")
    assert other.slug == "croix-rouge"
    new = services.named_actor("Croix-Rouge française")
    assert new.slug == "croix-rouge-francaise" and new.kind == "" and new.category == ""


def test_a_new_named_actor_gets_a_free_slug_within_its_field(django_assert_num_queries):
    ActorFactory(name="Une autre association", slug="secours-voisin")
    assert services.named_actor("Secours voisin").slug == "secours-voisin-2"
    assert services.named_actor("???").slug == "acteur"
    long_name = ("Association " + "des habitants " * 17).strip()  # 249 characters: within the name, not the slug
    slug = services.named_actor(long_name).slug
    assert len(slug) == 200 and slug.startswith("association-des-habitants-")
    actor = services.named_actor("Secours voisin")
    ActorAlias.objects.create(actor=actor, name="SV", normalised_name="sv")
    with django_assert_num_queries(2):  # the name, then the alias with its actor: one query each
        assert services.find_named_actor("SV").name == "Secours voisin"
