import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from initiatives.models import Actor, Initiative, Lesson, Resource
from initiatives.text import normalise_name
from tests.factories import (
    ActorFactory,
    CommuneFactory,
    DepartmentFactory,
    InitiativeFactory,
    QpvFactory,
    RegionFactory,
    SourceFactory,
    ThemeFactory,
    france,
    national_network,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "make_territory, precision",
    [
        (lambda: QpvFactory(), "qpv"),
        (lambda: CommuneFactory(), "commune"),
        (lambda: DepartmentFactory(), "department"),
        (lambda: RegionFactory(), "region"),
        (france, "national"),
    ],
)
def test_precision_follows_the_territory_kind(make_territory, precision):
    national_network()
    initiative = InitiativeFactory(territory=make_territory())
    assert initiative.precision == precision


def test_region_and_department_are_denormalised_from_the_territory():
    qpv = QpvFactory()
    initiative = InitiativeFactory(territory=qpv)
    assert initiative.region == qpv.region
    assert initiative.department == qpv.department
    regional = InitiativeFactory(territory=qpv.region)
    assert regional.region == qpv.region and regional.department is None


def test_in_territory_includes_cases_below_but_not_wider_ones():
    qpv = QpvFactory()
    commune, dept, region = qpv.parent, qpv.department, qpv.region
    in_qpv = InitiativeFactory(territory=qpv)
    in_dept = InitiativeFactory(territory=dept)
    in_region = InitiativeFactory(territory=region)
    elsewhere = InitiativeFactory()
    assert set(Initiative.objects.in_territory(region)) == {in_qpv, in_dept, in_region}
    assert set(Initiative.objects.in_territory(dept)) == {in_qpv, in_dept}
    assert set(Initiative.objects.in_territory(commune)) == {in_qpv}
    assert elsewhere not in Initiative.objects.in_territory(region)


def test_in_territory_does_not_take_a_sibling_whose_code_starts_alike():
    """R1 does not contain R11, nor département 1 département 11: the path ends with its "/"."""
    r1, r11 = RegionFactory(code="1"), RegionFactory(code="11")
    d1, d11 = DepartmentFactory(code="1", parent=r1), DepartmentFactory(code="11", parent=r11)
    in_r11 = InitiativeFactory(territory=CommuneFactory(parent=d11))
    in_r1 = InitiativeFactory(territory=CommuneFactory(parent=d1))
    other_place_in_r11 = InitiativeFactory(territory=r1)
    other_place_in_r11.other_places.set([d11])
    assert set(Initiative.objects.in_territory(r1)) == {in_r1, other_place_in_r11}
    assert set(Initiative.objects.in_territory(r11)) == {in_r11, other_place_in_r11}
    assert set(Initiative.objects.in_territory(d1)) == {in_r1}
    assert set(Initiative.objects.in_territory(d11)) == {in_r11, other_place_in_r11}


def test_published_excludes_every_other_status():
    published = InitiativeFactory(status="published")
    for status in ("draft", "review", "archived"):
        InitiativeFactory(status=status)
    assert list(Initiative.objects.published()) == [published]


def _lesson(status):
    return Lesson.objects.create(slug=f"l-{status}", source=SourceFactory(), statement="Énoncé", status=status)


def _resource(status):
    return Resource.objects.create(
        slug=f"r-{status}", title="Guide", source=SourceFactory(), kind="guide", status=status
    )


@pytest.mark.parametrize(
    "make",
    [lambda status: InitiativeFactory(status=status), _lesson, _resource],
    ids=["cas", "enseignement", "ressource"],
)
def test_the_first_publication_is_stamped_once_even_by_a_save_of_some_fields(make):
    record = make("draft")
    assert record.published_at is None
    record.status = "published"
    record.save(update_fields=["status"])  # the date is written too, though not named
    first = type(record).objects.get(pk=record.pk).published_at
    assert first is not None
    for status in ("archived", "draft", "review", "published"):  # archived, then published again
        record.status = status
        record.save()
    assert type(record).objects.get(pk=record.pk).published_at == first
    assert make("review").published_at is None


def test_end_date_before_start_date_is_refused():
    with pytest.raises(IntegrityError):
        InitiativeFactory(start_date="2020-05-01", end_date="2020-03-01")


def test_themes_have_two_levels_only():
    root = ThemeFactory()
    child = ThemeFactory(parent=root)
    with pytest.raises(ValidationError):
        ThemeFactory(parent=child)


def test_two_named_actors_cannot_share_a_normalised_name():
    ActorFactory(name="L'AFEV")
    with pytest.raises(IntegrityError), transaction.atomic():
        ActorFactory(name="Afev")


def test_unnamed_actors_may_share_a_name():
    ActorFactory(name="deux résidentes", is_unnamed=True, kind=Actor.Kind.INFORMAL, category="habitant")
    ActorFactory(name="deux résidentes", is_unnamed=True, kind=Actor.Kind.INFORMAL, category="habitant")
    assert Actor.objects.filter(name="deux résidentes").count() == 2


@pytest.mark.parametrize(
    "a, b",
    [
        ("L'AFEV", "Afev"),
        ("La Croix-Rouge française", "Croix Rouge Française"),
        ("Département de Meurthe-et-Moselle", "département de meurthe et moselle"),
        ("Ville d'Évry", "Ville d’Evry"),
    ],
)
def test_normalised_names_ignore_case_accents_punctuation_and_articles(a, b):
    assert normalise_name(a) == normalise_name(b)


def test_search_text_is_accent_folded_and_covers_sections():
    initiative = InitiativeFactory(title="Réussite éducative", actions="Prêt d'ordinateurs portables")
    text = initiative.search_document.text
    assert " reussite educative " in text
    assert " ordinateurs " in text
