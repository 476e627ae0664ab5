"""A curator's daily work through the admin's HTTP endpoints: each friction the walk-through found.

Restore keeps the status and says what changes; the status menu offers the allowed moves only; the
grid folds away; drafts can be previewed; review has a reviewer, notified by e-mail; a centre may ask
for four eyes; curators add sources and neighbourhoods of their coverage; the admin speaks French.
"""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from crpv_site.roles import ensure_curator_group
from initiatives.models import Initiative, Source
from territories.models import Territory
from tests.factories import (
    CitationFactory,
    CommuneFactory,
    DepartmentFactory,
    InitiativeFactory,
    InvolvementFactory,
    RegionFactory,
    ResourceCentreFactory,
    national_network,
)
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre_base(django_user_model):
    national_network()
    region = RegionFactory(name="Pays de la Loire", code="52")
    nantes = CommuneFactory(name="Nantes", code="44109", parent=DepartmentFactory(code="44", parent=region))
    elsewhere = CommuneFactory(name="Nancy", code="54395", parent=DepartmentFactory(code="54", parent=RegionFactory()))
    centre = ResourceCentreFactory(name="RésO Villes", short_name="RésO Villes", coverage=[region])
    people = {}
    for name in ("anne", "bruno"):
        user = django_user_model.objects.create_user(email=f"{name}@reso.example", password="x", is_staff=True)
        user.groups.add(ensure_curator_group())
        user.centres.set([centre])
        people[name] = user
    case = CitationFactory(initiative__territory=nantes, initiative__curating_centre=centre).initiative
    InvolvementFactory(initiative=case)
    return {"centre": centre, "nantes": nantes, "nancy": elsewhere, "case": case, **people}


def as_user(user):
    client = Client()
    client.force_login(user)
    return client


def change_url(case):
    return reverse("admin:initiatives_initiative_change", args=[case.pk])


def save_form(client, url, **changes):
    data = form_data(client.get(url).content.decode(), "initiative_form")
    data.update(changes)
    data["_save"] = "Enregistrer"
    return client.post(url, data)


def test_the_status_menu_offers_only_the_allowed_moves_at_the_top_and_the_grid_folds(centre_base):
    client = as_user(centre_base["anne"])
    html = client.get(change_url(centre_base["case"])).content.decode()
    menu = re.search(r'<select name="status".*?</select>', html, re.S).group(0)
    assert re.findall(r'<option value="(\w+)"', menu) == ["draft", "published", "archived"]  # published: stay, or go
    assert html.index('name="status"') < html.index('name="title"')  # where the case stands, first
    # The grid folds away, and opens without JavaScript (a <details>).
    assert re.search(
        r"<details><summary>\s*<h2[^>]*>Grille d(&#x27;|')analyse", html
    )  # folded, opens without JavaScript


def test_restoring_an_old_version_keeps_a_published_case_published_and_says_what_changes(centre_base):
    case = centre_base["case"]
    client = as_user(centre_base["anne"])
    assert save_form(client, change_url(case), title="Un titre réécrit").status_code == 302  # a first revision
    assert save_form(client, change_url(case), status="archived").status_code == 302
    assert save_form(client, change_url(case), status="draft").status_code == 302
    Initiative.objects.filter(pk=case.pk).update(status="review")
    assert save_form(client, change_url(case), status="published").status_code == 302
    versions = Version.objects.get_for_object(case).order_by("pk")
    draft_version = next(v for v in versions if v.field_dict["status"] == "draft")
    url = reverse("admin:initiatives_initiative_revision", args=[case.pk, draft_version.pk])

    page = client.get(url).content.decode()
    assert "<strong>Le statut reste « publié »</strong> : la restauration ne publie ni ne dépublie le cas." in page
    assert "Ce qui changera par rapport au cas actuel" in page
    assert Initiative.objects.get(pk=case.pk).status == "published"  # looking changes nothing

    data = form_data(page, "initiative_form")
    assert data["status"] == "published"
    data["_save"] = "Enregistrer"
    assert client.post(url, data).status_code == 302
    restored = Initiative.objects.get(pk=case.pk)
    assert restored.status == "published" and restored.title == "Un titre réécrit"
    assert Client().get(restored.get_absolute_url()).status_code == 200  # still public


def test_the_differences_page_says_which_side_each_button_restores(centre_base):
    case = centre_base["case"]
    client = as_user(centre_base["anne"])
    save_form(client, change_url(case), title="Premier titre")
    save_form(client, change_url(case), title="Second titre")
    latest = Version.objects.get_for_object(case).order_by("-pk").first()
    page = client.get(reverse("admin:initiatives_initiative_diff", args=[case.pk, latest.pk])).content.decode()
    assert "Restaurer la colonne « Après »" in page and "Restaurer la colonne « Avant »" in page
    assert "Avant (version précédente)" in page and "Après (cette version)" in page


def test_staff_preview_drafts_the_public_does_not(centre_base):
    draft = InitiativeFactory(status="draft", territory=None, curating_centre=centre_base["centre"])
    assert Client().get(draft.get_absolute_url()).status_code == 404
    page = as_user(centre_base["anne"]).get(draft.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "Aperçu réservé à l'équipe" in html and 'content="noindex"' in html


def test_a_reviewer_of_the_centre_is_assigned_notified_and_shown_in_the_list(
    centre_base, django_capture_on_commit_callbacks
):
    case, bruno = centre_base["case"], centre_base["bruno"]
    Initiative.objects.filter(pk=case.pk).update(status="draft")
    client = as_user(centre_base["anne"])
    refused = save_form(client, change_url(case), reviewer=str(outsider_user().pk))  # another centre's curator
    assert refused.status_code == 200 and Initiative.objects.get(pk=case.pk).reviewer is None
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail leaves once the change is committed
        response = save_form(client, change_url(case), status="review", reviewer=str(bruno.pk))
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.reviewer, case.submitted_by) == ("review", bruno, centre_base["anne"])
    assert [m.to for m in mail.outbox] == [[bruno.email]]
    assert "vous confie la relecture" in mail.outbox[0].body and change_url(case) in mail.outbox[0].body
    listing = client.get(reverse("admin:initiatives_initiative_changelist")).content.decode()
    assert "relecture" in listing and "bruno@reso.example" in listing


def outsider_user():
    from crpv_site.models import User

    other = ResourceCentreFactory(name="Autre centre")
    user = User.objects.create_user(email="zoe@autre.example", password="x", is_staff=True)
    user.groups.add(ensure_curator_group())
    user.centres.set([other])
    return user


def test_four_eyes_the_submitter_cannot_publish_another_curator_can(centre_base):
    centre, case = centre_base["centre"], centre_base["case"]
    centre.requires_second_person = True
    centre.save()
    Initiative.objects.filter(pk=case.pk).update(status="draft")
    anne, bruno = as_user(centre_base["anne"]), as_user(centre_base["bruno"])
    assert save_form(anne, change_url(case), status="review").status_code == 302
    refused = save_form(anne, change_url(case), status="published")
    assert refused.status_code == 200 and "publie à quatre yeux" in refused.content.decode()
    changelist = reverse("admin:initiatives_initiative_changelist")
    anne.post(changelist, {"action": "status_published", "_selected_action": [case.pk]})
    assert Initiative.objects.get(pk=case.pk).status == "review"  # nor by the list's action
    assert save_form(bruno, change_url(case), status="published").status_code == 302
    assert Initiative.objects.get(pk=case.pk).status == "published"


def test_without_four_eyes_one_curator_may_submit_and_publish(centre_base):
    case = centre_base["case"]
    Initiative.objects.filter(pk=case.pk).update(status="draft")
    anne = as_user(centre_base["anne"])
    assert save_form(anne, change_url(case), status="review").status_code == 302
    assert save_form(anne, change_url(case), status="published").status_code == 302


def test_curators_add_a_source_and_a_neighbourhood_of_their_coverage(centre_base):
    client = as_user(centre_base["anne"])
    response = client.post(
        reverse("admin:initiatives_source_add"),
        {"slug": "rapport-2023", "publisher": "Un centre", "title": "Un rapport", "year": "2023", "_save": "1"},
    )
    assert response.status_code == 302 and Source.objects.filter(slug="rapport-2023").exists()
    add = reverse("admin:territories_territory_add")
    fields = {"kind": "qpv", "name": "Bellevue", "code": "", "source": "", "_save": "1"}
    assert client.post(add, {**fields, "parent": centre_base["nancy"].pk}).status_code == 200  # not theirs
    assert not Territory.objects.filter(name="Bellevue").exists()
    assert client.post(add, {**fields, "parent": centre_base["nantes"].pk}).status_code == 302
    bellevue = Territory.objects.get(name="Bellevue")
    assert (bellevue.kind, bellevue.parent) == ("qpv", centre_base["nantes"])
    change = reverse("admin:territories_territory_change", args=[bellevue.pk])
    assert client.post(change, {**fields, "name": "Autre", "parent": bellevue.parent_id}).status_code == 403


def test_the_admin_speaks_french_with_articles(centre_base):
    client = as_user(centre_base["anne"])
    add = client.get(reverse("admin:initiatives_initiative_add")).content.decode()
    assert "<h1>Ajouter une initiative</h1>" in add and "Ajout de initiative" not in add
    recover = client.get(reverse("admin:initiatives_initiative_recoverlist")).content.decode()
    assert "Récupérer les initiatives supprimées" in recover
    listing = client.get(reverse("admin:initiatives_initiative_changelist")).content.decode()
    assert "Choisir une initiative à modifier" in listing
    assert 'id="nav-sidebar"' not in listing  # the list gets the whole width
