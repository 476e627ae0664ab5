"""Who may write what, through the real admin: every role × own / other centre × operation.

An administrator may do everything; a curator of centre A sees every case but
writes only the cases curated by A. Refused writes are crafted the way a
curator could craft them (the admin's own form data for another centre's case),
answer with a refusal, and change nothing.
"""

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from reversion.models import Version

from crpv_site.roles import ensure_curator_group
from initiatives.models import Initiative, Theme
from tests.factories import (
    ActorFactory,
    CitationFactory,
    CommuneFactory,
    DepartmentFactory,
    InitiativeFactory,
    InvolvementFactory,
    RegionFactory,
    ResourceCentreFactory,
    ThemeFactory,
    make_curator,
    national_network,
)
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db

ROLES = ["admin", "curator", "curator_of_both"]  # the last one curates both centres
CENTRES = ["own", "other"]


@pytest.fixture
def two_centres(django_user_model, client):
    national_network()
    regions = {
        "own": RegionFactory(name="Grand Est", code="44"),
        "other": RegionFactory(name="Occitanie", code="76"),
    }
    centres = {key: ResourceCentreFactory(name=f"Centre {key}", coverage=[r]) for key, r in regions.items()}
    communes = {
        key: CommuneFactory(name=f"Commune {key}", parent=DepartmentFactory(parent=r, code=f"D{key}"))
        for key, r in regions.items()
    }
    ThemeFactory(name="Aide alimentaire", slug="aide-alimentaire")
    cases = {}
    for key in CENTRES:
        case = InitiativeFactory(
            title=f"Cas {key}", slug=f"cas-{key}", territory=communes[key], curating_centre=centres[key]
        )
        CitationFactory(initiative=case)
        InvolvementFactory(initiative=case)
        cases[key] = case
    admin = django_user_model.objects.create_superuser(email="admin@example.org", password="x")
    curator = make_curator("curatrice@centre-own.example", [centres["own"]])
    both = make_curator("curateur@deux-centres.example", [centres["own"], centres["other"]])
    inactive = make_curator("ancienne@centre-own.example", [centres["own"]])
    inactive.is_active = False
    inactive.save()
    outsider = django_user_model.objects.create_user(email="stagiaire@centre-own.example", password="x", is_staff=True)
    outsider.centres.set([centres["own"]])  # a centre, but not in the curators' group: no rights
    users = {"admin": admin, "curator": curator, "curator_of_both": both, "inactive": inactive, "outsider": outsider}
    return {"centres": centres, "communes": communes, "cases": cases, "users": users}


def client_for(client, two_centres, role):
    client.force_login(two_centres["users"][role])
    return client


def allowed(role, centre):
    return role in ("admin", "curator_of_both") or centre == "own"


def change_url(case):
    return reverse("admin:initiatives_initiative_change", args=[case.pk])


def admin_form(client, two_centres, url):
    """The form as an administrator sees it: what a crafted POST would carry."""
    client.force_login(two_centres["users"]["admin"])
    page = client.get(url)
    assert page.status_code == 200
    return form_data(page.content.decode(), "initiative_form")


@pytest.mark.parametrize("centre", CENTRES)
@pytest.mark.parametrize("role", ROLES)
def test_view_every_case_edit_only_own(client, two_centres, role, centre):
    case = two_centres["cases"][centre]
    response = client_for(client, two_centres, role).get(change_url(case))
    assert response.status_code == 200
    html = response.content.decode()
    assert case.title in html
    assert ('name="_save"' in html) is allowed(role, centre)
    # The changelist lists every case, whoever curates it.
    listing = client.get(reverse("admin:initiatives_initiative_changelist")).content.decode()
    assert "Cas own" in listing and "Cas other" in listing


@pytest.mark.parametrize("centre", CENTRES)
@pytest.mark.parametrize("role", ROLES)
def test_add_a_case_for_a_centre(client, two_centres, role, centre):
    url = reverse("admin:initiatives_initiative_add")
    data = admin_form(client, two_centres, url)
    data.update(
        title="Nouveau cas",
        slug="nouveau-cas",
        territory=str(two_centres["communes"][centre].pk),
        documentation_level="described",
        status="draft",
        curating_centre=str(two_centres["centres"][centre].pk),
    )
    response = client_for(client, two_centres, role).post(url, data)
    created = Initiative.objects.filter(slug="nouveau-cas").first()
    if allowed(role, centre):
        assert response.status_code == 302, response.content.decode()[:2000]
        assert created.curating_centre == two_centres["centres"][centre]
    else:
        assert response.status_code == 200
        assert "Sélectionnez un choix valide" in response.content.decode()
        assert created is None


@pytest.mark.parametrize("centre", CENTRES)
@pytest.mark.parametrize("role", ROLES)
def test_change_a_case(client, two_centres, role, centre):
    case = two_centres["cases"][centre]
    data = admin_form(client, two_centres, change_url(case))
    data["title"] = "Titre corrigé"
    response = client_for(client, two_centres, role).post(change_url(case), data)
    case.refresh_from_db()
    if allowed(role, centre):
        assert response.status_code == 302
        assert case.title == "Titre corrigé"
    else:
        assert response.status_code == 403
        assert case.title == f"Cas {centre}"


def delete_by_view(client, case):
    return client.post(reverse("admin:initiatives_initiative_delete", args=[case.pk]), {"post": "yes"})


def delete_by_action(client, case):
    return client.post(
        reverse("admin:initiatives_initiative_changelist"),
        {"action": "delete_selected", "_selected_action": [case.pk], "post": "yes"},
    )


@pytest.mark.parametrize("delete", [delete_by_view, delete_by_action])
@pytest.mark.parametrize("centre", CENTRES)
@pytest.mark.parametrize("role", ROLES)
def test_delete_a_case(client, two_centres, role, centre, delete):
    case = two_centres["cases"][centre]
    response = delete(client_for(client, two_centres, role), case)
    exists = Initiative.objects.filter(pk=case.pk).exists()
    if allowed(role, centre):
        assert response.status_code == 302
        assert not exists
    else:
        assert response.status_code == 403
        assert exists


@pytest.mark.parametrize("centre", CENTRES)
@pytest.mark.parametrize("role", ROLES)
def test_change_status_by_action(client, two_centres, role, centre):
    case = two_centres["cases"][centre]
    published_at = case.published_at
    response = client_for(client, two_centres, role).post(
        reverse("admin:initiatives_initiative_changelist"),
        {"action": "status_archived", "_selected_action": [case.pk]},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    notes = [str(m) for m in get_messages(response.wsgi_request)]
    if allowed(role, centre):
        assert case.status == "archived"
        assert notes == ["1 cas modifié(s)."]
    else:
        assert case.status == "published"
        assert "Action refusée, rien n'a changé" in notes[0] and "Cas other" in notes[0]
    assert case.published_at == published_at  # the publication date is kept


@pytest.mark.parametrize("centre", CENTRES)
@pytest.mark.parametrize("role", ROLES)
def test_change_status_in_the_form(client, two_centres, role, centre):
    case = two_centres["cases"][centre]
    data = admin_form(client, two_centres, change_url(case))
    data["status"] = "archived"
    response = client_for(client, two_centres, role).post(change_url(case), data)
    case.refresh_from_db()
    assert response.status_code == (302 if allowed(role, centre) else 403)
    assert case.status == ("archived" if allowed(role, centre) else "published")


@pytest.mark.parametrize("centre", CENTRES)
@pytest.mark.parametrize("role", ROLES)
def test_flag_needs_update(client, two_centres, role, centre):
    case = two_centres["cases"][centre]
    client_for(client, two_centres, role).post(
        reverse("admin:initiatives_initiative_changelist"),
        {"action": "flag_needs_update", "_selected_action": [case.pk]},
    )
    case.refresh_from_db()
    assert case.needs_update is allowed(role, centre)


def import_sheet(client, rows):
    """Preview then, when offered, confirm a CSV through the admin; returns the preview's row errors."""
    text = "identifiant,titre,territoire,centre_referent,niveau_documentation\n" + "".join(
        ",".join(row) + "\n" for row in rows
    )
    upload = SimpleUploadedFile("cas.csv", text.encode(), content_type="text/csv")
    response = client.post(
        reverse("admin:initiatives_initiative_import"), {"import_file": upload, "format": "0", "resource": "0"}
    )
    assert response.status_code == 200
    errors = {row.number: row.error_dict for row in response.context["result"].invalid_rows}
    form = response.context.get("confirm_form")
    if form is not None:
        fields = ("import_file_name", "original_file_name", "format", "resource")
        confirmed = client.post(
            reverse("admin:initiatives_initiative_process_import"), {name: form.initial[name] for name in fields}
        )
        assert confirmed.status_code == 302
    return errors


@pytest.mark.parametrize("centre", CENTRES)
@pytest.mark.parametrize("role", ROLES)
def test_import_changes_and_creates_cases_of_a_centre(client, two_centres, role, centre):
    case, centre_obj = two_centres["cases"][centre], two_centres["centres"][centre]
    territory = f"commune:{two_centres['communes'][centre].code}"
    errors = import_sheet(
        client_for(client, two_centres, role),
        [
            [case.slug, "Titre importé", territory, centre_obj.slug, "described"],
            ["cas-importe", "Cas importé", territory, centre_obj.slug, "described"],
        ],
    )
    case.refresh_from_db()
    created = Initiative.objects.filter(slug="cas-importe").first()
    if allowed(role, centre):
        assert errors == {}
        assert case.title == "Titre importé"
        assert created.curating_centre == centre_obj
    else:
        assert set(errors) == {1, 2}  # both rows refused, each naming its column
        assert "identifiant" in errors[1] and "centre_referent" in errors[2]
        assert case.title == f"Cas {centre}"
        assert created is None


def test_a_mixed_selection_is_refused_whole(client, two_centres):
    own, other = two_centres["cases"]["own"], two_centres["cases"]["other"]
    client_for(client, two_centres, "curator").post(
        reverse("admin:initiatives_initiative_changelist"),
        {"action": "status_archived", "_selected_action": [own.pk, other.pk]},
    )
    assert set(Initiative.objects.values_list("status", flat=True)) == {"published"}


def test_a_curator_cannot_move_an_own_case_to_another_centre(client, two_centres):
    case = two_centres["cases"]["own"]
    data = admin_form(client, two_centres, change_url(case))
    data["curating_centre"] = str(two_centres["centres"]["other"].pk)
    response = client_for(client, two_centres, "curator").post(change_url(case), data)
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.curating_centre == two_centres["centres"]["own"]


def test_the_workflow_refuses_a_skipped_step_and_publication_without_territory(client, two_centres):
    client_for(client, two_centres, "curator")
    draft = InitiativeFactory(
        status="draft", territory=None, curating_centre=two_centres["centres"]["own"], published_at=None
    )
    changelist = reverse("admin:initiatives_initiative_changelist")
    response = client.post(changelist, {"action": "status_published", "_selected_action": [draft.pk]})
    assert "un cas « brouillon » peut passer à : en relecture ; pas à « publié »" in str(
        list(get_messages(response.wsgi_request))[0]
    )
    response = client.post(changelist, {"action": "status_review", "_selected_action": [draft.pk]})
    assert "un territoire est obligatoire pour un cas « en relecture »" in str(
        list(get_messages(response.wsgi_request))[-1]
    )
    draft.refresh_from_db()
    assert draft.status == "draft"

    draft.territory = two_centres["communes"]["own"]
    draft.save()
    for step in ("review", "published", "archived", "draft", "review", "published"):
        client.post(changelist, {"action": f"status_{step}", "_selected_action": [draft.pk]})
        draft.refresh_from_db()
        assert draft.status == step
    first_published = Initiative.objects.get(pk=draft.pk).published_at
    assert first_published is not None


def test_a_published_case_cannot_go_back_to_review_in_the_form(client, two_centres):
    case = two_centres["cases"]["own"]
    data = admin_form(client, two_centres, change_url(case))
    data["status"] = "review"
    response = client_for(client, two_centres, "curator").post(change_url(case), data)
    assert response.status_code == 200
    assert "peut passer à" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "published"


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:initiatives_theme_change",
        "admin:territories_resourcecentre_change",
        "admin:territories_territory_change",
        "admin:crpv_site_user_change",
    ],
)
def test_curators_cannot_change_reference_data_or_users(client, two_centres, url_name):
    target = {
        "admin:initiatives_theme_change": Theme.objects.first(),
        "admin:territories_resourcecentre_change": two_centres["centres"]["own"],
        "admin:territories_territory_change": two_centres["communes"]["own"],
        "admin:crpv_site_user_change": two_centres["users"]["curator"],
    }[url_name]
    url = reverse(url_name, args=[target.pk])
    data = admin_form_any(client, two_centres, url)
    client_for(client, two_centres, "curator")
    response = client.post(url, data)
    assert response.status_code == 403
    # Nor give themselves more centres or rights.
    curator = two_centres["users"]["curator"]
    curator.refresh_from_db()
    assert not curator.is_superuser
    assert list(curator.centres.all()) == [two_centres["centres"]["own"]]


def admin_form_any(client, two_centres, url):
    client.force_login(two_centres["users"]["admin"])
    page = client.get(url)
    assert page.status_code == 200
    data = form_data(page.content.decode())
    data.pop("csrfmiddlewaretoken", None)
    if "centres" in data or url.endswith(f"/{two_centres['users']['curator'].pk}/change/"):
        data["is_superuser"] = "on"
        data["centres"] = [str(c.pk) for c in two_centres["centres"].values()]
    return data


def test_the_curator_group_is_what_the_role_gives(two_centres):
    group = ensure_curator_group()
    codes = set(group.permissions.values_list("codename", flat=True))
    assert {"change_initiative", "delete_initiative", "add_initiative", "view_theme"} <= codes
    assert not {"change_theme", "change_territory", "change_resourcecentre", "change_user"} & codes


def test_an_unnamed_actor_follows_its_case(client, two_centres):
    other_case = two_centres["cases"]["other"]
    unnamed = ActorFactory(name="deux résidentes", slug="deux-residentes-cas-other", is_unnamed=True, kind="informal")
    InvolvementFactory(initiative=other_case, actor=unnamed)
    client_for(client, two_centres, "curator")
    url = reverse("admin:initiatives_actor_change", args=[unnamed.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.post(url, {"name": "renommé", "slug": "x", **_management("aliases")}).status_code == 403
    unnamed.refresh_from_db()
    assert unnamed.name == "deux résidentes"

    # Nor can the curator's own case borrow it through a crafted inline.
    own = two_centres["cases"]["own"]
    data = admin_form(client, two_centres, change_url(own))
    data.update(
        {"involvements-TOTAL_FORMS": "2", "involvements-1-actor": str(unnamed.pk), "involvements-1-role": "porteur"}
    )
    client_for(client, two_centres, "curator")
    response = client.post(change_url(own), data)
    assert response.status_code == 200
    assert "appartient à un autre cas" in response.content.decode()
    assert not own.involvements.filter(actor=unnamed).exists()


def _management(prefix):
    return {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}


def test_a_curators_link_to_another_centres_case_shows_on_their_side_only(client, two_centres):
    """Issue 13, leak (a): linking one's own case to another centre's case wrote onto that case (the
    link was symmetrical) and showed on its public page, without a history entry for it."""
    own, other = two_centres["cases"]["own"], two_centres["cases"]["other"]
    other_versions = Version.objects.get_for_object(other).count()
    data = admin_form(client, two_centres, change_url(own))
    data["related"] = [str(other.pk)]
    client_for(client, two_centres, "curator")
    assert client.post(change_url(own), data).status_code == 302
    assert list(own.related.all()) == [other]
    assert not other.related.exists()
    assert own.title not in client.get(other.get_absolute_url()).content.decode()
    assert other.title in client.get(own.get_absolute_url()).content.decode()
    assert Version.objects.get_for_object(other).count() == other_versions  # nothing written onto it
    assert Version.objects.get_for_object(own).first().field_dict["related"] == [other.pk]  # in its history


def test_a_curator_changes_only_the_actors_of_their_own_cases(client, two_centres):
    """Issue 13, leak (b): a curator renamed a named actor used only by another centre's cases."""
    shared = ActorFactory(name="Secours populaire", slug="secours-populaire")
    InvolvementFactory(initiative=two_centres["cases"]["other"], actor=shared)
    own_actor = ActorFactory(name="Épicerie du quartier", slug="epicerie-du-quartier")
    InvolvementFactory(initiative=two_centres["cases"]["own"], actor=own_actor)
    client_for(client, two_centres, "curator")
    url = reverse("admin:initiatives_actor_change", args=[shared.pk])
    page = client.get(url, follow=True).content.decode()
    assert 'name="_save"' not in page and "Centre other" in page and "demandez-le à un administrateur" in page
    post = {"name": "Renommé", "slug": "secours-populaire", "kind": shared.kind, **_management("aliases")}
    assert client.post(url, post).status_code == 403
    shared.refresh_from_db()
    assert shared.name == "Secours populaire"
    # Their own actor stays theirs to correct.
    url = reverse("admin:initiatives_actor_change", args=[own_actor.pk])
    data = form_data(client.get(url).content.decode(), "actor_form")
    data["name"] = "Épicerie solidaire du quartier"
    assert client.post(url, data).status_code == 302
    own_actor.refresh_from_db()
    assert own_actor.name == "Épicerie solidaire du quartier"


def every_admin_write(case):
    """Each way the admin writes a case (all POSTs), as (name, url, data)."""
    changelist = reverse("admin:initiatives_initiative_changelist")
    return [
        ("change", change_url(case), {"title": "Titre corrigé"}),
        ("delete", reverse("admin:initiatives_initiative_delete", args=[case.pk]), {"post": "yes"}),
        ("action", changelist, {"action": "status_archived", "_selected_action": [case.pk]}),
        ("add", reverse("admin:initiatives_initiative_add"), {"title": "Nouveau cas", "slug": "nouveau"}),
    ]


@pytest.mark.parametrize("role", ["inactive", "outsider"])
def test_an_inactive_curator_and_staff_outside_the_group_read_and_write_nothing(client, two_centres, role):
    """An inactive account is logged out (sent to the login page); a staff account outside the curators'
    group, even attached to a centre, gets a 403 everywhere. Nothing changes either way."""
    case = two_centres["cases"]["own"]
    client.force_login(two_centres["users"][role])
    before = list(Initiative.objects.order_by("pk").values_list("pk", "title", "status"))
    reads = [reverse("admin:initiatives_initiative_changelist"), change_url(case)]
    writes = every_admin_write(case)
    for url in reads:
        response = client.get(url)
        if role == "inactive":
            assert response.status_code == 302 and response["Location"].startswith("/admin/login/"), url
        else:
            assert response.status_code == 403, url
    for name, url, data in writes:
        response = client.post(url, data)
        if role == "inactive":
            assert response.status_code == 302 and response["Location"].startswith("/admin/login/"), name
        else:
            assert response.status_code == 403, name
    assert list(Initiative.objects.order_by("pk").values_list("pk", "title", "status")) == before
