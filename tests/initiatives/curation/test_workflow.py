"""The workflow, every pair of statuses: brouillon → en relecture → publié → archivé, back to
brouillon from anywhere. The expected matrix is written out here, not read from the code's
``TRANSITIONS``, so that a transition added or dropped by mistake fails a test.

The service is tried on all 16 pairs; the case form and the spreadsheet import, which reach the
same rule by their own paths (a form field, a cell), on a sample of four allowed moves and four
refused ones."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from initiatives import services
from initiatives.models import Initiative
from tests.factories import CommuneFactory, InitiativeFactory, national_network
from tests.html_forms import form_data
from tests.initiatives.spreadsheet.test_import_export import confirm, csv_upload, preview, row_errors

pytestmark = pytest.mark.django_db

D, R, P, A = "draft", "review", "published", "archived"
ALLOWED = {
    (D, D), (D, R),
    (R, R), (R, D), (R, P),
    (P, P), (P, D), (P, A),
    (A, A), (A, D),
}  # fmt: skip
PAIRS = [(before, after) for before in (D, R, P, A) for after in (D, R, P, A)]
SAMPLE = [(D, R), (R, P), (P, A), (A, D), (D, P), (D, A), (R, A), (A, P)]  # four allowed moves, four refused
LABEL = {D: "brouillon", R: "en relecture", P: "publié", A: "archivé"}
NEXT = {D: "en relecture", R: "brouillon, publié", P: "brouillon, archivé", A: "brouillon"}


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


def refusal(before, after):
    """The workflow's message, written out (not read from ``services``)."""
    return f"un cas « {LABEL[before]} » peut passer à : {NEXT[before]} ; pas à « {LABEL[after]} »"


def test_the_sample_holds_four_allowed_moves_and_four_refused():
    assert sum(pair in ALLOWED for pair in SAMPLE) == 4 and all(b != a for b, a in SAMPLE)


@pytest.mark.parametrize(("before", "after"), SAMPLE, ids=[f"{b}->{a}" for b, a in SAMPLE])
def test_a_sample_of_pairs_through_the_case_form(admin, before, after):
    case = InitiativeFactory(title="Paniers solidaires", territory=CommuneFactory(), status=before)
    client = Client()
    client.force_login(admin)
    url = reverse("admin:initiatives_initiative_change", args=[case.pk])
    data = form_data(client.get(url).content.decode(), "initiative_form")
    data.update(status=after, _save="Enregistrer")
    response = client.post(url, data)
    if (before, after) in ALLOWED:
        assert response.status_code == 302
        assert Initiative.objects.get(pk=case.pk).status == after
    else:
        assert response.status_code == 200
        errors = response.context["adminform"].form.errors
        sentence = refusal(before, after)
        assert errors == {"status": [sentence[0].upper() + sentence[1:] + "."]}  # the form writes a sentence
        assert Initiative.objects.get(pk=case.pk).status == before


def test_the_same_sample_through_the_import_refused_rows_named_allowed_ones_written(admin, client):
    commune = CommuneFactory()
    cases = {
        (b, a): InitiativeFactory(title=f"Cas {b} vers {a}", slug=f"cas-{b}-{a}", territory=commune, status=b)
        for b, a in SAMPLE
    }
    rows = [{"identifiant": case.slug, "titre": case.title, "statut": pair[1]} for pair, case in cases.items()]
    client.force_login(admin)
    response = preview(client, csv_upload(rows))
    assert row_errors(response) == {
        line: {"statut": [refusal(*pair)]} for line, pair in enumerate(SAMPLE, start=2) if pair not in ALLOWED
    }
    assert response.context.get("confirm_form") is None
    allowed = [row for row, pair in zip(rows, SAMPLE, strict=True) if pair in ALLOWED]
    assert confirm(client, preview(client, csv_upload(allowed))).status_code == 302
    statuses = dict(Initiative.objects.values_list("slug", "status"))
    assert statuses == {case.slug: (a if (b, a) in ALLOWED else b) for (b, a), case in cases.items()}
