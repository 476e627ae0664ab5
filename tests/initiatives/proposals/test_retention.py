"""The proposer's e-mail is erased once the proposal is older than PROPOSAL_CONTACT_RETENTION_DAYS
(``manage.py purge_proposal_contacts``), whatever its status; the proposals themselves stay."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from initiatives.models import Proposal
from tests.factories import national_network

pytestmark = pytest.mark.django_db


def proposal(days_old, status=Proposal.Status.NEW, email=None):
    made = Proposal.objects.create(
        title=f"Proposition de {days_old} jours ({status})",
        description="Une épicerie solidaire ouverte par des habitantes.",
        contact_email=email or f"personne-{days_old}-{status}@example.org",
        centre=national_network(),
        status=status,
        rejection_reason="Hors sujet." if status == Proposal.Status.REJECTED else "",
    )
    # created_at is auto_now_add: age it in the database, as time would have.
    Proposal.objects.filter(pk=made.pk).update(created_at=timezone.now() - timedelta(days=days_old))
    return made


def purge(*args):
    out = StringIO()
    call_command("purge_proposal_contacts", *args, stdout=out)
    return out.getvalue()


def emails():
    return dict(Proposal.objects.values_list("title", "contact_email"))


@override_settings(PROPOSAL_CONTACT_RETENTION_DAYS=30)
def test_old_contacts_are_erased_whatever_the_status_and_recent_ones_kept():
    old = [proposal(31, status) for status in Proposal.Status.values]
    recent = proposal(29)
    before = Proposal.objects.count()

    output = purge()

    assert Proposal.objects.count() == before  # the proposals themselves stay
    for made in old:
        made.refresh_from_db()
        assert made.contact_email == ""
        assert made.contact_erased_at is not None
        assert made.title.startswith("Proposition de 31 jours")  # what the visitor described is kept
    recent.refresh_from_db()
    assert recent.contact_email == "personne-29-new@example.org"
    assert recent.contact_erased_at is None
    assert "3 e-mails de contact effacés" in output
    assert "durée de conservation : 30 jours" in output
    assert "dont 1 à traiter, 1 acceptée, 1 rejetée." in output


@override_settings(PROPOSAL_CONTACT_RETENTION_DAYS=30)
def test_a_dry_run_counts_and_changes_nothing():
    proposal(40)
    proposal(45, Proposal.Status.ACCEPTED)
    proposal(5)
    before = emails()

    output = purge("--dry-run")

    assert emails() == before
    assert not Proposal.objects.filter(contact_erased_at__isnull=False).exists()
    assert "Simulation" in output and "2 e-mails de contact seraient effacés" in output


@override_settings(PROPOSAL_CONTACT_RETENTION_DAYS=30)
def test_a_second_run_changes_nothing():
    proposal(40)
    proposal(3)
    purge()
    after_first = list(Proposal.objects.order_by("pk").values_list("contact_email", "contact_erased_at"))

    output = purge()

    assert list(Proposal.objects.order_by("pk").values_list("contact_email", "contact_erased_at")) == after_first
    assert "0 e-mail de contact effacé" in output


def test_the_retention_is_the_setting_365_days_by_default():
    proposal(364)
    proposal(366)
    purge()
    assert sorted(e != "" for e in emails().values()) == [False, True]
    with override_settings(PROPOSAL_CONTACT_RETENTION_DAYS=7):
        purge()
    assert set(emails().values()) == {""}


@override_settings(PROPOSAL_CONTACT_RETENTION_DAYS=30)
def test_the_queue_says_when_the_contact_was_erased(admin_client):
    kept, erased = proposal(2), proposal(60, Proposal.Status.REJECTED)
    purge()
    html = admin_client.get(reverse("admin:initiatives_proposal_change", args=[erased.pk])).content.decode()
    assert "effacé le" in html and "mailto:" not in html
    html = admin_client.get(reverse("admin:initiatives_proposal_change", args=[kept.pk])).content.decode()
    assert "mailto:personne-2-new@example.org" in html
