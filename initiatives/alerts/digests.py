"""The digests: for each confirmed subscription whose period is due, one e-mail with the published
cases of its search that are new or updated since the last period (``manage.py send_alerts``).

When is a subscription due? A period (a day, a week) after ``checked_until``, the end of the last
period examined (the confirmation for the first), less ``SLACK``: a daily cron that starts a few
minutes earlier than the day before still finds its daily subscriptions due. A due subscription
whose search has nothing new gets no e-mail; its period is closed all the same.

Safe from cron, and idempotent: each subscription is handled in its own transaction, its row locked
(``select_for_update(skip_locked=True)`` on PostgreSQL: a second run skips what the first holds) and
its digest recorded before the e-mail leaves, under a unique (subscription, start of period)
constraint (on SQLite, which has no row locks, the second run's insert fails there and it sends
nothing). Then ``checked_until`` moves to the end of the period, so running again sends nothing. If
the e-mail fails, the transaction is rolled back: no record, the period stays open, the next run
tries again. A search that no longer parses (a theme or territory since removed) is reported and
left open: sending it wider than what was asked would be wrong.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from initiatives.alerts.mail import digest_message
from initiatives.alerts.search import latest, understand_saved
from initiatives.models import AlertDigest, AlertSubscription

logger = logging.getLogger(__name__)

Frequency = AlertSubscription.Frequency
PERIODS = {Frequency.DAILY: timedelta(days=1), Frequency.WEEKLY: timedelta(days=7)}
SLACK = timedelta(hours=1)
DIGEST_MAX = 30  # cases listed in one e-mail; the others are behind the link to the list

SENT, NOTHING_NEW, INVALID, SKIPPED, FAILED = "sent", "nothing_new", "invalid", "skipped", "failed"


@dataclass
class Report:
    now: datetime
    due: int = 0
    outcomes: dict = field(default_factory=lambda: dict.fromkeys((SENT, NOTHING_NEW, INVALID, SKIPPED, FAILED), 0))
    cases_sent: int = 0


def due_at(subscription) -> datetime | None:
    """When ``subscription`` is next due (None while unconfirmed)."""
    if subscription.confirmed_at is None or subscription.checked_until is None:
        return None
    return subscription.checked_until + PERIODS[Frequency(subscription.frequency)] - SLACK


def is_due(subscription, now: datetime) -> bool:
    moment = due_at(subscription)
    return moment is not None and moment <= now


def due_subscriptions(now: datetime):
    """The confirmed subscriptions due at ``now``, oldest period first."""
    periods = Q()
    for frequency, period in PERIODS.items():
        periods |= Q(frequency=frequency, checked_until__lte=now - period + SLACK)
    return (
        AlertSubscription.objects.filter(confirmed_at__isnull=False, checked_until__isnull=False)
        .filter(periods)
        .order_by(F("checked_until").asc(), "pk")
    )


def send_due(*, now: datetime | None = None, progress=None) -> Report:
    """Send the digest of every subscription due at ``now``; ``progress(subscription, outcome, n)``
    is told of each one."""
    now = now or timezone.now()
    report = Report(now=now)
    searches = {}  # the same search followed by several people is understood once
    connection = get_connection()
    for pk in list(due_subscriptions(now).values_list("pk", flat=True)):
        report.due += 1
        try:
            outcome, count = _send_one(pk, now, searches, connection)
        except IntegrityError:  # another run recorded this period first: it sends, not us
            outcome, count = SKIPPED, 0
        except Exception:  # the mail server: rolled back, the next run tries again
            logger.exception("Alertes : l'envoi de l'abonnement %s a échoué.", pk)
            outcome, count = FAILED, 0
        report.outcomes[outcome] += 1
        report.cases_sent += count
        if progress is not None:
            progress(pk, outcome, count)
    return report


def _send_one(pk, now, searches, connection) -> tuple[str, int]:
    with transaction.atomic():
        subscription = AlertSubscription.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
        if subscription is None or not is_due(subscription, now):  # unsubscribed, held or sent by another run
            return SKIPPED, 0
        if subscription.query not in searches:
            searches[subscription.query] = understand_saved(subscription.query)
        search = searches[subscription.query]
        if search.errors:
            logger.warning("Alertes : la recherche « %s » n'est plus comprise : %s", subscription.query, search.errors)
            return INVALID, 0
        since = subscription.checked_until
        cases, total = latest(search, limit=DIGEST_MAX, since=since, until=now)
        subscription.checked_until = now
        if cases:
            AlertDigest.objects.create(
                subscription=subscription, period_start=since, period_end=now, cases=[c.pk for c in cases]
            )
            message = digest_message(subscription, cases=cases, total=total, since=since, list_url=search.list_url)
            connection.send_messages([message])
            subscription.last_digest_at = now
        subscription.save(update_fields=["checked_until", "last_digest_at"])
        return (SENT, len(cases)) if cases else (NOTHING_NEW, 0)
