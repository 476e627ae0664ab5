"""Onboarding a centre's staff from the command line (`manage.py create_curator`)."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from crpv_site.models import User
from crpv_site.roles import CURATORS
from tests.factories import ResourceCentreFactory

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("create_curator", *args, stdout=out)
    return out.getvalue()


@override_settings(SITE_URL="https://proximites.example.org")
def test_without_password_it_prints_a_one_time_link_that_sets_the_password(client):
    ResourceCentreFactory(slug="oriv", name="ORIV")
    out = run("--email", "Jeanne@ORIV.example", "--centre", "oriv")
    user = User.objects.get(email="jeanne@oriv.example")
    assert user.is_staff and not user.is_superuser and not user.has_usable_password()
    assert user.groups.filter(name=CURATORS).exists()
    assert [c.slug for c in user.centres.all()] == ["oriv"]
    link = re.search(r"https://proximites\.example\.org(/compte/mot-de-passe/\S+/)", out).group(1)

    page = client.get(link, follow=True)  # Django redirects to a token-free URL, then asks for the password
    assert page.status_code == 200
    form_url = page.redirect_chain[-1][0]
    new = "un-mot-de-passe-solide-2026"
    done = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    # Once used, the link no longer works.
    again = client.get(link, follow=True)
    assert "new_password1" not in again.content.decode()
    assert client.login(username="jeanne@oriv.example", password=new)


def test_it_updates_an_existing_curator_and_sets_several_centres():
    ResourceCentreFactory(slug="oriv")
    ResourceCentreFactory(slug="resovilles")
    run("--email", "a@b.example", "--centre", "oriv", "--password", "un-mot-de-passe-solide-2026")
    out = run("--email", "a@b.example", "--centre", "oriv", "--centre", "resovilles")
    user = User.objects.get(email="a@b.example")
    assert "mis à jour" in out
    assert sorted(user.centres.values_list("slug", flat=True)) == ["oriv", "resovilles"]
    assert user.check_password("un-mot-de-passe-solide-2026")  # kept when no new password is given
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--email", "a@b.example", "--centre", "inconnu"], "Centre(s) inconnu(s) : inconnu"),
        (["--email", "pas-un-email", "--centre", "oriv"], "adresse de courriel valide"),
        (["--email", "a@b.example", "--centre", "oriv", "--password", "123"], "trop court"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_creates_nothing(args, message):
    ResourceCentreFactory(slug="oriv")
    with pytest.raises(CommandError, match=re.escape(message)):
        run(*args)
    assert not User.objects.exists()
