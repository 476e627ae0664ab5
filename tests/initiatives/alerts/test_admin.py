"""The alert subscriptions in the admin: administrators only, read-only, addresses masked."""

import pytest
from django.utils import timezone

from initiatives.alerts.admin import mask
from initiatives.models import AlertSubscription
from tests.factories import make_curator, national_network

pytestmark = pytest.mark.django_db

LIST = "/admin/initiatives/alertsubscription/"


@pytest.fixture
def subscription():
    return AlertSubscription.objects.create(
        email="habitante@example.org",
        query="theme=aide-alimentaire",
        label="Thème : Aide alimentaire",
        token="jeton",
        confirmed_at=timezone.now(),
    )


def test_mask_keeps_the_first_letter_and_the_domain():
    assert mask("habitante@example.org") == "h…@example.org"
    assert mask("pas-une-adresse") == "…"


def test_administrators_see_a_read_only_list_with_masked_addresses(admin_client, subscription):
    page = admin_client.get(LIST)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Thème : Aide alimentaire" in html and "h…@example.org" in html
    assert "habitante@example.org" not in html
    found = admin_client.get(LIST, {"q": "habitante@example.org"}).content.decode()
    assert "Thème : Aide alimentaire" in found
    assert "Thème : Aide alimentaire" not in admin_client.get(LIST, {"q": "habitante"}).content.decode()
    detail = admin_client.get(f"{LIST}{subscription.pk}/change/").content.decode()
    assert "habitante@example.org" not in detail and "h…@example.org" in detail
    assert admin_client.get(f"{LIST}add/").status_code == 403


def test_curators_do_not_see_the_alerts_at_all(client, subscription):
    curator = make_curator("curatrice@example.org", [national_network()])
    client.force_login(curator)
    assert client.get(LIST).status_code == 403
    assert client.get(f"{LIST}{subscription.pk}/change/").status_code == 403
    assert "alertsubscription" not in client.get("/admin/").content.decode()
