"""When a digest is due (daily, weekly), what it holds, and why it is never sent twice: the service
``initiatives.alerts.digests.send_due`` with the time given, as ``send_alerts --now`` gives it."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connections
from django.utils import timezone

from initiatives.alerts import digests
from initiatives.alerts.search import understand_saved
from initiatives.alerts.services import confirm
from initiatives.models import AlertDigest, AlertSubscription, Initiative
from tests.initiatives.alerts import slow_mail
from tests.initiatives.alerts.conftest import SEARCH

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "http://alertes.test"


def follow(email, frequency):
    search = understand_saved(SEARCH)
    subscription = AlertSubscription.objects.create(
        email=email, query=search.query, label=search.label, frequency=frequency, token=f"jeton-{email.split('@')[0]}"
    )
    confirm(subscription)
    return AlertSubscription.objects.get(pk=subscription.pk)


def sent_to():
    return sorted(address for message in mail.outbox for address in message.to)


def test_daily_is_due_a_day_after_weekly_a_week_after_with_an_hour_of_slack(world):
    daily = follow("quotidien@example.org", "daily")
    weekly = follow("hebdo@example.org", "weekly")
    start = daily.checked_until
    assert digests.due_at(daily) == start + timedelta(hours=23)
    assert digests.due_at(weekly) == weekly.checked_until + timedelta(days=7, hours=-1)
    unconfirmed = AlertSubscription.objects.create(email="x@example.org", token="pas-confirme")
    assert digests.due_at(unconfirmed) is None

    world.case("Paniers solidaires du Breil")
    world.case("Soutien scolaire à Nantes", theme="school")  # not followed

    before = digests.send_due(now=start + timedelta(hours=22, minutes=59))
    assert before.due == 0 and mail.outbox == []

    day = digests.send_due(now=start + timedelta(days=1))
    assert (day.due, day.outcomes[digests.SENT], day.cases_sent) == (1, 1, 1)
    assert sent_to() == ["quotidien@example.org"]

    week = digests.send_due(now=weekly.checked_until + timedelta(days=7))
    # The weekly one gets the case; the daily one is due again but has nothing new: no e-mail.
    assert (week.due, week.outcomes[digests.SENT], week.outcomes[digests.NOTHING_NEW]) == (2, 1, 1)
    assert sent_to() == ["hebdo@example.org", "quotidien@example.org"]
    assert "Paniers solidaires du Breil" in mail.outbox[1].body
    assert "Soutien scolaire" not in mail.outbox[0].body + mail.outbox[1].body

    again = digests.send_due(now=weekly.checked_until + timedelta(days=7))
    assert again.due == 0 and len(mail.outbox) == 2


def test_a_digest_holds_what_changed_since_the_last_one_only(world):
    daily = follow("quotidien@example.org", "daily")
    start = daily.checked_until
    first = world.case("Paniers solidaires du Breil")
    digests.send_due(now=start + timedelta(days=1))
    second = world.case("Épicerie solidaire de Nantes")
    Initiative.objects.filter(pk=second.pk).update(updated_at=start + timedelta(days=1, hours=2))
    digests.send_due(now=start + timedelta(days=2))
    assert [d.cases for d in AlertDigest.objects.order_by("sent_at", "pk")] == [[first.pk], [second.pk]]
    assert first.title not in mail.outbox[1].body and second.title in mail.outbox[1].body


def test_a_period_recorded_by_another_run_is_not_sent_again(world):
    """Two runs that read the same state: the second one's record breaks the unique constraint
    before its e-mail leaves (on PostgreSQL the row lock already holds it back)."""
    daily = follow("quotidien@example.org", "daily")
    world.case("Paniers solidaires du Breil")
    AlertDigest.objects.create(
        subscription=daily, period_start=daily.checked_until, period_end=daily.checked_until, cases=[]
    )
    report = digests.send_due(now=daily.checked_until + timedelta(days=1))
    assert report.outcomes[digests.SKIPPED] == 1 and mail.outbox == []
    assert AlertSubscription.objects.get(pk=daily.pk).checked_until == daily.checked_until


def test_a_failing_mail_server_leaves_the_period_open_for_the_next_run(world, settings):
    daily = follow("quotidien@example.org", "daily")
    world.case("Paniers solidaires du Breil")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1  # nobody listens
    report = digests.send_due(now=daily.checked_until + timedelta(days=1))
    assert report.outcomes[digests.FAILED] == 1
    assert not AlertDigest.objects.exists()
    assert AlertSubscription.objects.get(pk=daily.pk).checked_until == daily.checked_until
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    retry = digests.send_due(now=daily.checked_until + timedelta(days=1, hours=1))
    assert retry.outcomes[digests.SENT] == 1 and len(mail.outbox) == 1


def test_a_search_that_no_longer_parses_is_reported_and_left_open(world):
    daily = follow("quotidien@example.org", "daily")
    world.case("Paniers solidaires du Breil")
    world.themes["food"].delete()  # the followed theme is gone: sending the wider search would be wrong
    report = digests.send_due(now=daily.checked_until + timedelta(days=1))
    assert report.outcomes[digests.INVALID] == 1 and mail.outbox == []
    assert AlertSubscription.objects.get(pk=daily.pk).checked_until == daily.checked_until


def test_a_long_digest_lists_the_newest_and_links_the_rest(world):
    daily = follow("quotidien@example.org", "daily")
    start = timezone.now()
    for n in range(digests.DIGEST_MAX + 2):
        case = world.case(f"Distribution alimentaire numéro {n}")
        Initiative.objects.filter(pk=case.pk).update(updated_at=start + timedelta(minutes=n))
    digests.send_due(now=daily.checked_until + timedelta(days=1))
    (message,) = mail.outbox
    assert message.subject.startswith(f"[Proximités] {digests.DIGEST_MAX + 2} initiatives nouvelles ou mises à jour")
    assert message.body.count("http://alertes.test/initiatives/initiative-") == digests.DIGEST_MAX
    assert f"numéro {digests.DIGEST_MAX + 1} (Nantes)" in message.body and "numéro 0 (Nantes)" not in message.body
    assert f"Et 2 autres : http://alertes.test/initiatives/?{SEARCH}" in message.body


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_second_run_while_the_first_one_sends_skips_the_held_subscription(world, settings):
    """Two ``send_alerts`` at once on PostgreSQL: the first holds the subscription's row while its
    e-mail leaves; the second skips it (``skip_locked``) instead of sending it again."""
    daily = follow("quotidien@example.org", "daily")
    world.case("Paniers solidaires du Breil")
    settings.EMAIL_BACKEND = "tests.initiatives.alerts.slow_mail.HeldBackend"
    slow_mail.sending.clear()
    slow_mail.go_on.clear()
    now = daily.checked_until + timedelta(days=1)
    reports = {}

    def run(name):
        try:
            reports[name] = digests.send_due(now=now)
        finally:
            connections.close_all()

    first = threading.Thread(target=run, args=("first",))
    first.start()
    assert slow_mail.sending.wait(timeout=30)  # the first run holds the row and is sending
    second = threading.Thread(target=run, args=("second",))
    second.start()
    second.join(timeout=10)
    finished_first = not second.is_alive()  # it skipped the held row instead of waiting for it
    slow_mail.go_on.set()
    first.join(timeout=30)
    second.join(timeout=30)
    assert finished_first
    assert reports["second"].outcomes[digests.SKIPPED] == 1 and reports["second"].outcomes[digests.SENT] == 0
    assert reports["first"].outcomes[digests.SENT] == 1
    assert len(mail.outbox) == 1 and AlertDigest.objects.count() == 1
