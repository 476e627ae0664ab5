"""Subscribing, confirming, unsubscribing, and deleting the requests nobody confirmed.

Double opt-in: ``subscribe`` stores an unconfirmed subscription and sends the confirmation e-mail,
the only e-mail an unconfirmed address ever gets; ``confirm`` (the link of that e-mail, then a
button) starts the alerts. An unconfirmed request expires after ``ALERT_CONFIRMATION_HOURS``: its
link no longer works and ``purge_unconfirmed`` (run by ``send_alerts``) deletes it with its address.
``unsubscribe`` deletes the subscription and its digests: the address is not kept.

Subscribing again to the same search with the same address replaces the earlier request once the
new one is confirmed (that is how one changes the frequency); a confirmed subscription is never
changed by a request that was not confirmed. At most ``PENDING_MAX`` requests wait per address, so
the form cannot be used to flood someone's mailbox with confirmation requests.
"""

import logging
import re
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone

from initiatives.alerts.mail import confirmation_message
from initiatives.models import AlertSubscription

logger = logging.getLogger(__name__)

PENDING_MAX = 3
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,64}")  # what secrets.token_urlsafe makes


class MailNotSent(Exception):
    """The confirmation e-mail could not leave (the request is not kept)."""


def confirmation_delay() -> timedelta:
    return timedelta(hours=settings.ALERT_CONFIRMATION_HOURS)


def is_expired(subscription, now: datetime | None = None) -> bool:
    """An unconfirmed request older than the confirmation delay."""
    now = now or timezone.now()
    return subscription.confirmed_at is None and subscription.created_at <= now - confirmation_delay()


def subscribe(*, email: str, search, frequency: str) -> AlertSubscription | None:
    """Store an unconfirmed subscription to ``search`` and e-mail the confirmation link.

    Returns the subscription, or None when too many requests already wait for this address (answered
    like a success: the form tells nobody what others asked). Raises ``MailNotSent`` when the mail
    server refused (logged; the request is then not kept)."""
    email = email.strip()
    pending = AlertSubscription.objects.filter(email__iexact=email, confirmed_at__isnull=True)
    pending.filter(query=search.query).delete()  # an earlier request for the same search: replaced
    if pending.count() >= PENDING_MAX:
        logger.warning("Alertes : demande non envoyée, %d demandes attendent déjà pour cette adresse.", PENDING_MAX)
        return None
    subscription = AlertSubscription.objects.create(
        email=email,
        query=search.query[: AlertSubscription.QUERY_MAX],
        label=search.label[: AlertSubscription.LABEL_MAX],
        frequency=frequency,
        token=secrets.token_urlsafe(32),
    )
    message = confirmation_message(subscription, list_url=search.list_url, hours=settings.ALERT_CONFIRMATION_HOURS)
    try:
        get_connection(timeout=settings.EMAIL_TIMEOUT or 10).send_messages([message])
    except Exception as error:  # SMTP down, refused, timed out: say so to the visitor, keep nothing
        logger.exception("Alertes : l'e-mail de confirmation n'est pas parti.")
        subscription.delete()
        raise MailNotSent from error
    return subscription


def by_token(token: str) -> AlertSubscription | None:
    """The subscription of a link's token; None for anything that is not one (never reaches the
    database: PostgreSQL refuses a NUL character with an error)."""
    if not TOKEN_SHAPE.fullmatch(token or ""):
        return None
    return AlertSubscription.objects.filter(token=token).first()


@transaction.atomic
def confirm(subscription, now: datetime | None = None) -> bool:
    """Start the alerts of ``subscription``: from now on, its new and updated cases are sent.

    False when the request expired (it is deleted). Confirming twice changes nothing."""
    now = now or timezone.now()
    subscription = AlertSubscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.confirmed_at is not None:
        return True
    if is_expired(subscription, now):
        subscription.delete()
        return False
    AlertSubscription.objects.filter(
        email__iexact=subscription.email, query=subscription.query, confirmed_at__isnull=False
    ).delete()  # the same search followed again: the new frequency replaces the old
    subscription.confirmed_at = now
    subscription.checked_until = now
    subscription.save(update_fields=["confirmed_at", "checked_until"])
    return True


def unsubscribe(subscription) -> None:
    """Delete the subscription, its address and its digests."""
    AlertSubscription.objects.filter(pk=subscription.pk).delete()


def purge_unconfirmed(now: datetime | None = None) -> int:
    """Delete the requests not confirmed within the delay, with their addresses; how many."""
    now = now or timezone.now()
    expired = AlertSubscription.objects.filter(confirmed_at__isnull=True, created_at__lte=now - confirmation_delay())
    _, by_model = expired.delete()
    return by_model.get(AlertSubscription._meta.label, 0)
