"""History of a case through the real admin: edit, see who changed which fields, see the diff, restore."""

import pytest
import reversion
from django.urls import reverse
from reversion.models import Version

from initiatives.models import Actor, Citation, Initiative, Involvement
from tests.factories import (
    ActorFactory,
    CitationFactory,
    CommuneFactory,
    InitiativeFactory,
    InvolvementFactory,
    ResourceCentreFactory,
    make_curator,
    national_network,
)
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_world(client):
    national_network()
    own, other = ResourceCentreFactory(name="Centre A"), ResourceCentreFactory(name="Centre B")
    case = InitiativeFactory(
        title="Paniers solidaires", summary="Des paniers livrés.", territory=CommuneFactory(), curating_centre=own
    )
    InvolvementFactory(initiative=case, actor=ActorFactory(name="Secours populaire"), role="porteur")
    CitationFactory(initiative=case, excerpt="Des bénévoles livrent des paniers aux familles.")
    curator = make_curator("curatrice@a.example", [own])
    outsider = make_curator("curateur@b.example", [other])
    return {"case": case, "curator": curator, "outsider": outsider}


def change_url(case):
    return reverse("admin:initiatives_initiative_change", args=[case.pk])


def edit(client, case):
    """Retitle the case, remove its actor, reword its citation: one admin save."""
    data = form_data(client.get(change_url(case)).content.decode(), "initiative_form")
    data["title"] = "Paniers solidaires du Breil"
    data["involvements-0-DELETE"] = "on"
    data["citations-0-excerpt"] = "Un autre extrait, retouché."
    response = client.post(change_url(case), data)
    assert response.status_code == 302, response.content.decode()[:3000]


def test_an_edit_is_recorded_with_who_and_which_fields(client, case_world):
    case = case_world["case"]
    client.force_login(case_world["curator"])
    edit(client, case)
    versions = Version.objects.get_for_object(case)
    assert versions.count() == 2  # the state before the first edit, and the edit
    latest = versions.first()
    assert latest.revision.user == case_world["curator"]

    page = client.get(reverse("admin:initiatives_initiative_history", args=[case.pk]))
    assert page.status_code == 200
    table = page.content.decode().split('id="change-history"', 1)[1]
    rows = table.split("<tbody>", 1)[1].split("</tr>")
    row = rows[0]  # newest first
    assert "curatrice@a.example" in row
    for label in ("titre", "Acteurs impliqués", "Citations"):
        assert label in row
    assert "résumé" not in row  # unchanged fields are not listed
    assert "État initial" in rows[1]


def test_the_diff_shows_before_and_after(client, case_world):
    case = case_world["case"]
    client.force_login(case_world["curator"])
    edit(client, case)
    latest = Version.objects.get_for_object(case).first()
    page = client.get(reverse("admin:initiatives_initiative_diff", args=[case.pk, latest.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<del>Paniers solidaires</del>" in html
    assert "<ins>Paniers solidaires du Breil</ins>" in html
    assert "Secours populaire (porteur)" in html  # the removed involvement, on the "before" side
    assert "Un autre extrait, retouché." in html


def test_restoring_brings_back_the_case_its_involvements_and_citations(client, case_world):
    case = case_world["case"]
    client.force_login(case_world["curator"])
    edit(client, case)
    assert not Involvement.objects.filter(initiative=case).exists()
    initial = Version.objects.get_for_object(case).last()
    url = reverse("admin:initiatives_initiative_revision", args=[case.pk, initial.pk])
    page = client.get(url)
    assert page.status_code == 200
    # Looking at an old version changes nothing.
    case.refresh_from_db()
    assert case.title == "Paniers solidaires du Breil"

    response = client.post(url, form_data(page.content.decode(), "initiative_form"))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.title == "Paniers solidaires"
    assert list(case.involvements.values_list("actor__name", "role")) == [("Secours populaire", "porteur")]
    assert list(Citation.objects.filter(initiative=case).values_list("excerpt", flat=True)) == [
        "Des bénévoles livrent des paniers aux familles."
    ]
    # The restore is itself a version, and the public page shows the restored title.
    assert Version.objects.get_for_object(case).count() == 3
    assert "Paniers solidaires</h1>" in client.get(case.get_absolute_url()).content.decode()


def test_a_curator_of_another_centre_cannot_restore(client, case_world):
    case = case_world["case"]
    client.force_login(case_world["curator"])
    edit(client, case)
    initial = Version.objects.get_for_object(case).last()
    url = reverse("admin:initiatives_initiative_revision", args=[case.pk, initial.pk])
    data = form_data(client.get(url).content.decode(), "initiative_form")
    client.force_login(case_world["outsider"])
    assert client.post(url, data).status_code == 403
    case.refresh_from_db()
    assert case.title == "Paniers solidaires du Breil"
    assert not case.involvements.exists()


def test_workflow_actions_are_recorded(client, case_world):
    case = case_world["case"]
    client.force_login(case_world["curator"])
    client.post(
        reverse("admin:initiatives_initiative_changelist"),
        {"action": "status_archived", "_selected_action": [case.pk]},
    )
    latest = Version.objects.get_for_object(case).first()
    assert latest.revision.get_comment() == "Statut : archivé"
    assert latest.revision.user == case_world["curator"]
    assert latest.field_dict["status"] == "archived"


def test_a_deleted_case_can_be_recovered_by_its_centre_only(client, case_world):
    case = case_world["case"]
    client.force_login(case_world["curator"])
    edit(client, case)
    response = client.post(reverse("admin:initiatives_initiative_delete", args=[case.pk]), {"post": "yes"})
    assert response.status_code == 302
    deleted = Version.objects.get_deleted(Initiative).first()
    url = reverse("admin:initiatives_initiative_recover", args=[deleted.pk])
    client.force_login(case_world["outsider"])
    assert client.get(url).status_code == 403
    client.force_login(case_world["curator"])
    page = client.get(url)
    assert page.status_code == 200
    assert client.post(url, form_data(page.content.decode(), "initiative_form")).status_code == 302
    restored = Initiative.objects.get(pk=case.pk)
    assert restored.title == "Paniers solidaires du Breil"


def test_a_live_case_cannot_be_taken_over_through_the_recover_page(client, case_world):
    case = case_world["case"]
    client.force_login(case_world["curator"])
    edit(client, case)
    old = Version.objects.get_for_object(case).last()
    assert client.get(reverse("admin:initiatives_initiative_recover", args=[old.pk])).status_code == 403
    assert client.post(reverse("admin:initiatives_initiative_recover", args=[old.pk]), {}).status_code == 403


def test_restoring_one_case_never_reverts_another(client, case_world, admin_client):
    own = case_world["case"]
    other = InitiativeFactory(title="Cas du centre B", curating_centre=case_world["outsider"].centres.get())
    admin_client.post(
        reverse("admin:initiatives_initiative_changelist"),
        {"action": "flag_needs_update", "_selected_action": [own.pk, other.pk]},
    )
    Initiative.objects.filter(pk=other.pk).update(title="Cas du centre B, corrigé")
    client.force_login(case_world["curator"])
    initial = Version.objects.get_for_object(own).last()
    url = reverse("admin:initiatives_initiative_revision", args=[own.pk, initial.pk])
    assert client.post(url, form_data(client.get(url).content.decode(), "initiative_form")).status_code == 302
    own.refresh_from_db()
    other.refresh_from_db()
    assert own.needs_update is False  # restored to before the flag
    assert other.needs_update is True and other.title == "Cas du centre B, corrigé"


def test_a_revision_holding_another_centres_case_cannot_be_restored(client, case_world):
    own = case_world["case"]
    other = InitiativeFactory(title="Cas du centre B", curating_centre=case_world["outsider"].centres.get())
    with reversion.create_revision():
        reversion.add_to_revision(own)
        reversion.add_to_revision(other)
    Initiative.objects.filter(pk=other.pk).update(title="Changé depuis")
    shared = Version.objects.get_for_object(own).first()
    client.force_login(case_world["curator"])
    url = reverse("admin:initiatives_initiative_revision", args=[own.pk, shared.pk])
    assert client.post(url, form_data(client.get(url).content.decode(), "initiative_form")).status_code == 403
    other.refresh_from_db()
    assert other.title == "Changé depuis"


def test_a_version_citing_a_deleted_actor_is_refused_with_a_message(client, case_world):
    case = case_world["case"]
    client.force_login(case_world["curator"])
    edit(client, case)  # removes the Secours populaire involvement
    Actor.objects.filter(name="Secours populaire").delete()
    initial = Version.objects.get_for_object(case).last()
    url = reverse("admin:initiatives_initiative_revision", args=[case.pk, initial.pk])
    response = client.post(url, {}, follow=True)
    assert response.status_code == 200
    assert "ne peut pas être restaurée" in response.content.decode() and "acteur n°" in response.content.decode()
    case.refresh_from_db()
    assert case.title == "Paniers solidaires du Breil"


def test_the_restore_form_of_another_centres_case_is_refused_on_get_too(client, case_world):
    """Issue 13: the form opened (GET 200) though its POST was refused."""
    case = case_world["case"]
    client.force_login(case_world["curator"])
    edit(client, case)
    initial = Version.objects.get_for_object(case).last()
    url = reverse("admin:initiatives_initiative_revision", args=[case.pk, initial.pk])
    assert client.get(url).status_code == 200
    client.force_login(case_world["outsider"])
    assert client.get(url).status_code == 403
