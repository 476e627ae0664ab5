"""The admin login (issue 13, finding 5): a lockout per account and address after repeated wrong passwords
(django-axes), and a second factor for staff (django-otp TOTP) when ``OTP_REQUIRED`` is on.

tests/conftest.py turns both off for the rest of the suite; each test here turns on what it covers.
"""

import base64
import logging
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from crpv_site.models import User
from initiatives.models import Theme
from tests.factories import ResourceCentreFactory, ThemeFactory, make_curator

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
SECOND_FACTOR = "/compte/second-facteur/"
PASSWORD = "un-mot-de-passe-solide-2020"
H1 = re.compile(r"<h1[\s>]", re.I)


def log_in(client, email, password, address="203.0.113.20"):
    return client.post(f"{LOGIN}?next=/admin/", {"username": email, "password": password}, REMOTE_ADDR=address)


def logged_in(client):
    return "_auth_user_id" in client.session


def current_code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"


@pytest.fixture
def admin_user():
    return User.objects.create_superuser(email="admin@example.org", password=PASSWORD)


# Lockout


@pytest.fixture
def lockout(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5


def test_sixty_wrong_passwords_lock_that_account_from_that_address(client, lockout, admin_user, caplog):
    caplog.set_level(logging.WARNING, logger="axes")
    for i in range(60):
        response = log_in(client, "admin@example.org", f"faux-{i}")
        assert response.status_code in (200, 429), i  # the form again, then the lockout page
    assert response.status_code == 429
    failures = [r for r in caplog.records if "login failure" in r.getMessage()]
    assert len(failures) >= 5 and all("\n" not in r.getMessage() for r in failures)  # one line each

    response = log_in(client, "admin@example.org", PASSWORD)  # the right password, too late
    assert response.status_code == 429 and not logged_in(client)
    html = response.content.decode()
    assert "Connexion temporairement bloquée" in html and "15 minutes" in html and len(H1.findall(html)) == 1
    # The case of the e-mail does not open another counter.
    assert log_in(client, "ADMIN@example.org", PASSWORD).status_code == 429 and not logged_in(client)


def test_the_lockout_spares_other_accounts_and_other_addresses(client, lockout, admin_user):
    User.objects.create_superuser(email="autre@example.org", password=PASSWORD)
    for i in range(6):
        log_in(client, "admin@example.org", f"faux-{i}")
    assert log_in(client, "admin@example.org", PASSWORD).status_code == 429
    assert log_in(client, "autre@example.org", PASSWORD).status_code == 302 and logged_in(client)
    client.logout()
    assert log_in(client, "admin@example.org", PASSWORD, address="198.51.100.30").status_code == 302
    assert logged_in(client)


def test_axes_reset_username_unlocks_the_account(client, lockout, admin_user):
    for i in range(6):
        log_in(client, "admin@example.org", f"faux-{i}")
    assert log_in(client, "admin@example.org", PASSWORD).status_code == 429
    call_command("axes_reset_username", "admin@example.org", stdout=StringIO())
    assert log_in(client, "admin@example.org", PASSWORD).status_code == 302 and logged_in(client)


def test_the_lockout_follows_the_trusted_proxy_address(client, lockout, admin_user, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for i in range(6):
        client.post(
            LOGIN,
            {"username": "admin@example.org", "password": f"faux-{i}"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"6.6.6.{i}, 198.51.100.40",  # forged leftmost entries change nothing
        )
    blocked = client.post(
        LOGIN, {"username": "admin@example.org", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="198.51.100.40"
    )
    assert blocked.status_code == 429
    other = client.post(
        LOGIN, {"username": "admin@example.org", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="198.51.100.41"
    )
    assert other.status_code == 302  # another visitor behind the same proxy


# Second factor


@pytest.fixture
def otp_required(settings):
    settings.OTP_REQUIRED = True


@pytest.fixture
def device(admin_user):
    return TOTPDevice.objects.create(user=admin_user, name="Téléphone", confirmed=True)


def test_staff_without_the_second_factor_cannot_reach_the_admin(client, otp_required, admin_user):
    curator = make_curator("curatrice@example.org", [ResourceCentreFactory()])
    for user in (admin_user, curator):
        client.force_login(user)
        for path in ["/admin/", "/admin/initiatives/initiative/", "/admin/initiatives/theme/add/"]:
            response = client.get(path)
            assert response.status_code == 302, (user, path)
            assert response["Location"].startswith(f"{SECOND_FACTOR}?next=")
        # Nor write: the POST is turned back before any admin view.
        response = client.post("/admin/initiatives/theme/add/", {"name": "Écrit sans code", "position": 9})
        assert response.status_code == 302 and not Theme.objects.filter(name="Écrit sans code").exists()
        client.logout()


def test_a_wrong_code_is_refused(client, otp_required, admin_user, device):
    assert log_in(client, "admin@example.org", PASSWORD).status_code == 302
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(SECOND_FACTOR, {"code": wrong, "next": "/admin/"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Code incorrect ou expiré" in html and len(H1.findall(html)) == 1
    assert client.get("/admin/").status_code == 302


def test_the_right_code_admits_after_the_password(client, otp_required, admin_user, device):
    response = log_in(client, "admin@example.org", PASSWORD)
    assert response.status_code == 302
    response = client.get(response["Location"])  # /admin/ sends to the code page
    assert response.status_code == 302 and response["Location"] == f"{SECOND_FACTOR}?next=%2Fadmin%2F"
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Code de vérification" in page.content.decode()
    response = client.post(SECOND_FACTOR, {"code": current_code(device), "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/initiatives/initiative/").status_code == 200


def test_the_code_page_never_sends_elsewhere(client, otp_required, admin_user, device):
    client.force_login(admin_user)
    response = client.post(SECOND_FACTOR, {"code": current_code(device), "next": "https://ailleurs.example/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_enrolment_shows_a_qr_code_and_confirms_the_device_with_a_code(client, otp_required, admin_user):
    log_in(client, "admin@example.org", PASSWORD)
    response = client.get("/admin/", follow=True)
    html = response.content.decode()
    assert response.status_code == 200 and "Activer la double authentification" in html
    assert '<svg class="qr-code"' in html and "<script" not in html and len(H1.findall(html)) == 1
    pending = TOTPDevice.objects.get(user=admin_user)
    assert not pending.confirmed
    secret = base64.b32encode(pending.bin_key).decode()
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in html
    assert client.get(SECOND_FACTOR).content.decode().count(secret[:4]) >= 1  # a reload keeps the same key
    assert TOTPDevice.objects.filter(user=admin_user).count() == 1

    refused = client.post(SECOND_FACTOR, {"code": "000000" if current_code(pending) != "000000" else "111111"})
    assert refused.status_code == 200 and not TOTPDevice.objects.get(pk=pending.pk).confirmed
    pending.refresh_from_db()
    pending.throttling_failure_count = 0  # a wrong code delays the next try; the test does not wait
    pending.throttling_failure_timestamp = None
    pending.save()
    response = client.post(SECOND_FACTOR, {"code": current_code(pending), "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert TOTPDevice.objects.get(pk=pending.pk).confirmed
    assert client.get("/admin/").status_code == 200


def test_a_backup_code_from_addstatictoken_admits_once(client, otp_required, admin_user, device):
    out = StringIO()
    call_command("addstatictoken", "admin@example.org", stdout=out)
    code = out.getvalue().strip()
    client.force_login(admin_user)
    assert client.post(SECOND_FACTOR, {"code": code}).status_code == 302
    assert client.get("/admin/").status_code == 200
    client.logout()
    client.force_login(admin_user)
    assert client.post(SECOND_FACTOR, {"code": code}).status_code == 200  # used up


def test_reset_second_factor_removes_the_devices_and_the_next_login_enrols_again(
    client, otp_required, admin_user, device
):
    out = StringIO()
    call_command("reset_second_factor", "--email", "ADMIN@example.org", stdout=out)
    assert "1 dispositif" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=admin_user, confirmed=True).exists()
    client.force_login(admin_user)
    assert "Activer la double authentification" in client.get(SECOND_FACTOR).content.decode()


def test_with_otp_required_off_the_password_is_enough(client, admin_user, settings):
    settings.OTP_REQUIRED = False
    response = log_in(client, "admin@example.org", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    ThemeFactory(name="Thème", slug="theme")
    assert client.get("/admin/initiatives/theme/").status_code == 200


def test_a_visitor_without_staff_rights_is_not_asked_for_a_code(client, otp_required, django_user_model):
    user = django_user_model.objects.create_user(email="lectrice@example.org", password=PASSWORD)
    client.force_login(user)
    assert client.get(SECOND_FACTOR)["Location"] == "/"
