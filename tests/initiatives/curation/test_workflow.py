"""The workflow, every pair of statuses: brouillon → en relecture → publié → archivé, back to
brouillon from anywhere. The expected matrix is written out here, not read from the code's
``TRANSITIONS``, so that a transition added or dropped by mistake fails a test."""

import pytest
from django.core.exceptions import ValidationError

from initiatives import services
from initiatives.models import Initiative
from tests.factories import CommuneFactory, InitiativeFactory, national_network

pytestmark = pytest.mark.django_db

D, R, P, A = "draft", "review", "published", "archived"
ALLOWED = {
    (D, D), (D, R),
    (R, R), (R, D), (R, P),
    (P, P), (P, D), (P, A),
    (A, A), (A, D),
}  # fmt: skip
PAIRS = [(before, after) for before in (D, R, P, A) for after in (D, R, P, A)]


@pytest.fixture
def admin(django_user_model):
    national_network()
    return django_user_model.objects.create_superuser(email="admin@example.org", password="x")


@pytest.mark.parametrize(("before", "after"), PAIRS, ids=[f"{b}->{a}" for b, a in PAIRS])
def test_every_pair_of_statuses_through_the_service(admin, before, after):
    case = InitiativeFactory(title="Paniers solidaires", territory=CommuneFactory(), status=before)
    if (before, after) in ALLOWED:
        moved = services.change_status(initiatives=[case], to=after, user=admin)
        assert moved == (0 if before == after else 1)
        assert Initiative.objects.get(pk=case.pk).status == after
    else:
        with pytest.raises(ValidationError) as refused:
            services.change_status(initiatives=[case], to=after, user=admin)
        assert "Paniers solidaires" in str(refused.value)
        assert Initiative.objects.get(pk=case.pk).status == before


def test_sixteen_pairs_ten_allowed():
    assert len(PAIRS) == 16 and len(ALLOWED) == 10
    assert {(b, a) for b, a in PAIRS if services.may_move(b, a)} == ALLOWED


def test_a_refused_pair_in_a_selection_moves_none_of_it(admin):
    commune = CommuneFactory()
    review = InitiativeFactory(title="En relecture", territory=commune, status=R)
    archived = InitiativeFactory(title="Archivé", territory=commune, status=A)
    with pytest.raises(ValidationError) as refused:
        services.change_status(initiatives=[review, archived], to=P, user=admin)
    assert "Archivé" in str(refused.value) and "En relecture" not in str(refused.value)
    assert list(Initiative.objects.order_by("title").values_list("status", flat=True)) == [A, R]


def test_the_first_publication_date_survives_archive_and_republication(admin):
    case = InitiativeFactory(territory=CommuneFactory(), status=R)
    services.change_status(initiatives=[case], to=P, user=admin)
    first = Initiative.objects.get(pk=case.pk).published_at
    assert first is not None
    for to in (A, D, R, P):
        services.change_status(initiatives=[Initiative.objects.get(pk=case.pk)], to=to, user=admin)
    assert Initiative.objects.get(pk=case.pk).published_at == first
