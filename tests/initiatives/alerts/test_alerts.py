"""E-mail alerts without an account, through real HTTP: subscribe, confirm from the e-mail's link,
digests by ``manage.py send_alerts``, unsubscribe; and what goes wrong (bad address, bad link,
expired request, too many requests)."""

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory
from django.utils import timezone

from initiatives import services
from initiatives.models import AlertDigest, AlertSubscription, Initiative
from initiatives.proposals import ratelimit
from tests.initiatives.alerts.conftest import SEARCH

pytestmark = pytest.mark.django_db

SUBSCRIBE = f"/alertes/abonner/?{SEARCH}"
ADDRESS = "habitante@example.org"
CONFIRM_LINK = re.compile(r"http://alertes\.test(/alertes/confirmer/[\w-]+/)")
UNSUBSCRIBE_LINK = re.compile(r"http://alertes\.test(/alertes/desabonner/[\w-]+/)")


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "http://alertes.test"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def admin(django_user_model):
    return django_user_model.objects.create_superuser(email="admin@example.org", password="x")


def subscribe(client, email=ADDRESS, frequency="weekly", address="203.0.113.10", url=SUBSCRIBE):
    return client.post(url, {"email": email, "frequency": frequency, "website": ""}, REMOTE_ADDR=address)


def confirm_from_mail(client, message):
    (path,) = CONFIRM_LINK.findall(message.body)
    assert client.get(path).status_code == 200  # a page with a button: opening the link confirms nothing
    response = client.post(path)
    assert response.status_code == 200
    assert "Alerte confirmée" in response.content.decode()
    return path


def publish(case, admin):
    """Through the workflow service, as curators do: the derived browse data is rebuilt at its boundary."""
    services.change_status(initiatives=[Initiative.objects.get(pk=case.pk)], to=Initiative.Status.PUBLISHED, user=admin)


def send_alerts(now):
    out = io.StringIO()
    call_command("send_alerts", f"--now={now.isoformat()}", stdout=out)
    return out.getvalue()


def test_subscribe_confirm_publish_and_send_twice_gives_exactly_one_digest(client, world, admin):
    """The acceptance test of issue 14, part 5."""
    page = client.get(SUBSCRIBE)
    assert page.status_code == 200
    assert "Thème : Aide alimentaire ; Région : Pays de la Loire" in page.content.decode()
    response = subscribe(client)
    assert response.status_code == 302 and response["Location"] == "/alertes/abonner/verifiez-vos-e-mails/"
    (confirmation,) = mail.outbox
    assert confirmation.to == [ADDRESS]
    assert AlertSubscription.objects.get().confirmed_at is None
    confirm_from_mail(client, confirmation)

    matching = world.case("Paniers solidaires du Breil", status=Initiative.Status.REVIEW)
    other_theme = world.case("Soutien scolaire à Nantes", theme="school", status=Initiative.Status.REVIEW)
    other_region = world.case("Colis alimentaires à Brest", place="brest", status=Initiative.Status.REVIEW)
    draft = world.case("Cantine solidaire à Nantes", status=Initiative.Status.DRAFT)
    for case in (matching, other_theme, other_region):
        publish(case, admin)

    in_a_week = timezone.now() + timedelta(days=7)
    first = send_alerts(in_a_week)
    second = send_alerts(in_a_week)

    digests = mail.outbox[1:]
    assert len(digests) == 1
    (digest,) = digests
    assert digest.to == [ADDRESS]
    assert digest.subject == "[Proximités] 1 initiative nouvelle ou mise à jour : " + (
        "Thème : Aide alimentaire ; Région : Pays de la Loire"
    )
    assert "Paniers solidaires du Breil (Nantes) — nouvelle" in digest.body
    assert f"http://alertes.test/initiatives/{matching.slug}/" in digest.body
    html = digest.alternatives[0].content
    assert f'<a href="http://alertes.test/initiatives/{matching.slug}/">Paniers solidaires du Breil</a>' in html
    for case in (other_theme, other_region, draft):
        assert case.title not in digest.body and case.slug not in digest.body and case.title not in html
    assert UNSUBSCRIBE_LINK.findall(digest.body) and UNSUBSCRIBE_LINK.findall(html)
    assert re.fullmatch(r"<http://alertes\.test/alertes/desabonner/[\w-]+/>", digest.extra_headers["List-Unsubscribe"])
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    (record,) = AlertDigest.objects.all()
    assert record.cases == [matching.pk]
    assert "1 abonnement dû, 1 e-mail envoyé (1 cas)" in first
    assert "0 abonnement dû, 0 e-mail envoyé (0 cas)" in second


def test_an_unconfirmed_subscription_gets_nothing_and_is_erased_after_the_delay(client, world, admin, settings):
    subscribe(client)
    assert len(mail.outbox) == 1
    publish(world.case("Paniers solidaires du Breil", status=Initiative.Status.REVIEW), admin)
    soon = send_alerts(timezone.now() + timedelta(hours=settings.ALERT_CONFIRMATION_HOURS - 1))
    assert "0 abonnement dû" in soon and "0 demande non confirmée effacée" in soon
    assert AlertSubscription.objects.filter(email=ADDRESS).count() == 1
    later = send_alerts(timezone.now() + timedelta(days=8))
    assert len(mail.outbox) == 1  # the confirmation only
    assert "1 demande non confirmée effacée" in later
    assert not AlertSubscription.objects.exists()


def test_an_expired_confirmation_link_says_so_and_erases_the_request(client, world, settings):
    subscribe(client)
    hours = settings.ALERT_CONFIRMATION_HOURS
    AlertSubscription.objects.update(created_at=timezone.now() - timedelta(hours=hours, minutes=1))
    (path,) = CONFIRM_LINK.findall(mail.outbox[0].body)
    response = client.get(path)
    assert response.status_code == 410
    assert "Ce lien de confirmation a expiré" in response.content.decode()
    assert f"dans les {hours} heures" in response.content.decode()
    assert not AlertSubscription.objects.exists()


def test_unsubscribing_in_one_click_deletes_the_address_and_its_digests(client, world, admin):
    subscribe(client)
    confirm_from_mail(client, mail.outbox[0])
    publish(world.case("Paniers solidaires du Breil", status=Initiative.Status.REVIEW), admin)
    send_alerts(timezone.now() + timedelta(days=7))
    assert AlertDigest.objects.count() == 1
    (path,) = UNSUBSCRIBE_LINK.findall(mail.outbox[1].body)
    page = client.get(path)
    assert page.status_code == 200 and "Me désabonner et effacer mon adresse" in page.content.decode()
    assert AlertSubscription.objects.filter(email=ADDRESS).exists()  # a GET deletes nothing
    done = client.post(path)
    assert done.status_code == 200 and "Vous êtes désabonné·e" in done.content.decode()
    assert not AlertSubscription.objects.filter(email=ADDRESS).exists()
    assert not AlertDigest.objects.exists()
    assert client.post(path).status_code == 404  # twice: the link now leads to the "unknown link" page


def test_the_rfc_8058_one_click_post_unsubscribes_without_a_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    subscribe(client)  # refused: no CSRF token
    assert not AlertSubscription.objects.exists()
    subscription = AlertSubscription.objects.create(email=ADDRESS, token="jeton-de-test", confirmed_at=timezone.now())
    response = client.post("/alertes/desabonner/jeton-de-test/", {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not AlertSubscription.objects.filter(pk=subscription.pk).exists()


@pytest.mark.parametrize("kind", ["confirmer", "desabonner"])
@pytest.mark.parametrize("token", ["inconnu", "x" * 65, "%00"])
def test_a_bad_token_gets_a_clear_page_not_a_500(client, world, kind, token):
    AlertSubscription.objects.create(email=ADDRESS, token="le-vrai-jeton")
    for method in (client.get, client.post):
        response = method(f"/alertes/{kind}/{token}/")
        assert response.status_code == 404
        assert "Ce lien ne correspond à aucune alerte" in response.content.decode()
    assert AlertSubscription.objects.get().confirmed_at is None


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("pas-une-adresse", "Cette adresse e-mail n&#x27;est pas valide"),
        ("", "Indiquez l&#x27;adresse e-mail où recevoir les alertes."),
        ("a@" + "b" * 260 + ".fr", "L&#x27;adresse ne doit pas dépasser 254 caractères."),
    ],
)
def test_a_malformed_address_is_a_form_error_and_nothing_is_sent(client, world, email, message):
    response = subscribe(client, email=email)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not AlertSubscription.objects.exists() and mail.outbox == []


def test_an_unknown_frequency_is_a_form_error(client, world):
    response = subscribe(client, frequency="horaire")
    assert "Choisissez une fréquence : hebdomadaire ou quotidienne." in response.content.decode()
    assert not AlertSubscription.objects.exists()


def test_a_malformed_search_cannot_be_followed(client, world):
    for method in (client.get, client.post):
        response = method("/alertes/abonner/?theme=inconnu")
        assert response.status_code == 400
        assert "Alerte impossible" in response.content.decode()
    assert not AlertSubscription.objects.exists()


def test_the_honeypot_looks_like_success_and_sends_nothing(client, world):
    response = client.post(SUBSCRIBE, {"email": ADDRESS, "frequency": "weekly", "website": "http://spam"})
    assert response.status_code == 302
    assert not AlertSubscription.objects.exists() and mail.outbox == []


def test_requests_are_limited_per_address_and_hour_apart_from_proposals(client, world, settings, monkeypatch):
    now = 1_590_000_000 - 1_590_000_000 % 3600 + 60  # one minute into an hour: the burst stays in one window
    monkeypatch.setattr(ratelimit, "clock", lambda: now)  # the limit's clock, as its own tests set it
    settings.ALERT_SUBSCRIPTIONS_PER_HOUR = 2
    request = RequestFactory().post("/proposer/", REMOTE_ADDR="203.0.113.10")
    for _ in range(3):  # the proposal form's own count, from the same address: not the alerts'
        ratelimit.count_submission(request)
    assert subscribe(client, email="une@example.org").status_code == 302
    assert subscribe(client, email="deux@example.org").status_code == 302
    refused = subscribe(client, email="trois@example.org")
    assert refused.status_code == 429
    assert "au plus 2 demandes d'alerte par heure" in refused.content.decode()
    assert subscribe(client, email="trois@example.org", address="198.51.100.7").status_code == 302
    assert sorted(AlertSubscription.objects.values_list("email", flat=True)) == [
        "deux@example.org",
        "trois@example.org",
        "une@example.org",
    ]


def test_subscribing_again_replaces_the_request_and_the_confirmation_changes_the_frequency(client, world):
    subscribe(client)
    confirm_from_mail(client, mail.outbox[0])
    subscribe(client, email=ADDRESS.upper(), frequency="daily")
    assert AlertSubscription.objects.count() == 2  # the confirmed one is untouched until confirmation
    assert AlertSubscription.objects.get(confirmed_at__isnull=False).frequency == "weekly"
    confirm_from_mail(client, mail.outbox[1])
    assert list(AlertSubscription.objects.values_list("frequency", flat=True)) == ["daily"]


def test_a_full_queue_of_requests_for_one_address_sends_no_more(client, world):
    for n, query in enumerate(["theme=aide-alimentaire", "region=52", "region=53", "theme=continuite-scolaire"]):
        subscribe(client, url=f"/alertes/abonner/?{query}", address=f"203.0.113.{n + 1}")
    assert len(mail.outbox) == 3
    assert AlertSubscription.objects.count() == 3


def test_the_personal_data_page_says_what_the_alerts_keep(client, settings):
    settings.ALERT_CONFIRMATION_HOURS = 36
    text = client.get("/donnees-personnelles/").content.decode()
    assert 'id="alertes"' in text
    assert "36 heures" in text and "désabonner" in text


@pytest.mark.parametrize(
    "url", ["/alertes/abonner/?q=caf%00", "/initiatives/flux.atom?theme=%00", "/alertes/abonner/?%00=1"]
)
def test_a_nul_character_in_the_search_gets_a_400_not_a_500(client, url):
    assert client.get(url).status_code == 400


def test_a_nul_character_in_the_address_gets_the_sites_400(client, world):
    response = subscribe(client, email="habitante\x00@example.org")
    assert response.status_code == 400 and "caractère nul" in response.content.decode()
    assert not AlertSubscription.objects.exists()


def test_send_alerts_refuses_a_malformed_time():
    with pytest.raises(CommandError, match="« demain » n'est pas une date-heure ISO"):
        call_command("send_alerts", "--now=demain")
