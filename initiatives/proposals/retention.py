"""How long a proposal keeps the proposer's e-mail, and its erasure (``manage.py purge_proposal_contacts``).

The rule, said as it is on /donnees-personnelles/: a proposal received more than
``PROPOSAL_CONTACT_RETENTION_DAYS`` days ago loses its contact e-mail, whatever its
status — still to handle, accepted or rejected. A proposal nobody handled in that
time cannot keep a way to reach its author for ever; curators see its age in the
queue. The proposal itself (what the visitor described, its place, themes, the
case it became, the rejection reason) is kept, for the record of the curation.

The e-mail is the only field that identifies the proposer: the form asks no name,
and the client address is never stored with a proposal (only a hash of it, one
hour, in the cache of the rate limit: ``ratelimit.py``). Erasing twice changes
nothing: an erased proposal has no e-mail left to erase.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from initiatives.models import Proposal


@dataclass
class Purge:
    cutoff: datetime  # proposals received before this lose their contact e-mail
    days: int
    by_status: dict = field(default_factory=dict)  # status -> proposals whose e-mail is (or would be) erased

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


def expired_contacts(*, now: datetime | None = None, days: int | None = None):
    """Proposals older than the retention that still hold a contact e-mail."""
    days = settings.PROPOSAL_CONTACT_RETENTION_DAYS if days is None else days
    cutoff = (now or timezone.now()) - timedelta(days=days)
    return Proposal.objects.filter(created_at__lt=cutoff).exclude(contact_email=""), cutoff, days


@transaction.atomic
def purge_contacts(*, now: datetime | None = None, days: int | None = None, dry_run: bool = False) -> Purge:
    """Erase the contact e-mail of every proposal older than ``days`` (the setting by default).

    With ``dry_run``, count what would be erased and change nothing.
    """
    now = now or timezone.now()
    expired, cutoff, days = expired_contacts(now=now, days=days)
    counts = dict(expired.values_list("status").annotate(n=Count("pk")).order_by("status"))
    by_status = {status: counts[status] for status in Proposal.Status.values if status in counts}
    purge = Purge(cutoff=cutoff, days=days, by_status=by_status)
    if not dry_run and purge.total:
        # No signal listens to proposals: they feed no derived data (docs/architecture.md).
        expired.update(contact_email="", contact_erased_at=now)
    return purge
