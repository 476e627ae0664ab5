"""The admin, through real HTTP requests: every page answers, and a curator's daily task works in one form."""

import json
import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from taggit.models import Tag

from crpv_site.roles import ensure_curator_group
from initiatives.models import (
    Actor,
    AlertSubscription,
    Initiative,
    Lesson,
    LessonEvidence,
    Proposal,
    Resource,
    Source,
    Theme,
    ThesaurusEntry,
)
from territories.models import ResourceCentre
from tests.factories import (
    ActorFactory,
    CitationFactory,
    CommuneFactory,
    DepartmentFactory,
    InvolvementFactory,
    PeriodFactory,
    PublicFactory,
    QpvFactory,
    RegionFactory,
    ResourceCentreFactory,
    SourceFactory,
    ThemeFactory,
    national_network,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_of_each(django_user_model):
    national_network()
    region = RegionFactory(name="Pays de la Loire", code="52")
    dept = DepartmentFactory(name="Loire-Atlantique", code="44", parent=region)
    ResourceCentreFactory(name="RésO Villes", coverage=[region])
    nantes = CommuneFactory(name="Nantes", code="44109", parent=dept)
    for i in range(300):  # many communes: the form must not list them
        CommuneFactory(name=f"Commune témoin {i}", parent=dept)
    QpvFactory(name="Le Breil", parent=nantes)
    root = ThemeFactory(name="Besoins de première nécessité", slug="premiere-necessite")
    ThemeFactory(name="Aide alimentaire", slug="aide-alimentaire", parent=root)
    PublicFactory(name="Familles", slug="familles")
    PeriodFactory(name="1er confinement", slug="confinement-1")
    citation = CitationFactory(initiative__territory=nantes, source=SourceFactory(slug="crpv-2020"))
    InvolvementFactory(initiative=citation.initiative)
    Tag.objects.create(name="aller-vers", slug="aller-vers")
    Group.objects.create(name="Un groupe")
    ThesaurusEntry.objects.create(key="colis", terms="colis\npaniers solidaires")
    Proposal.objects.create(
        title="Une proposition", description="Ce qui a été fait.", contact_email="x@ex.org", centre=national_network()
    )
    AlertSubscription.objects.create(email="abonnee@ex.org", query="region=52", label="Région : Pays de la Loire")
    source = citation.source
    lesson = Lesson.objects.create(slug="cooperer", source=source, kind="finding", statement="Coopérer")
    LessonEvidence.objects.create(lesson=lesson, initiative=citation.initiative, basis="report", excerpt="Nantes")
    Resource.objects.create(slug="guide", source=source, title="Un guide", kind="guide", locator="p. 3", excerpt="x")
    # The security apps' admins (issue 13, finding 5): a lockout record, a login, a failure, two devices.
    staff = django_user_model.objects.create_user(email="securite@example.org", is_staff=True)
    seen = {"username": staff.email, "ip_address": "203.0.113.1", "user_agent": "t", "http_accept": "", "path_info": ""}
    AccessAttempt.objects.create(**seen, get_data="", post_data="", failures_since_start=1)
    AccessLog.objects.create(**seen)
    AccessFailureLog.objects.create(**seen)
    TOTPDevice.objects.create(user=staff, name="Téléphone")
    StaticDevice.objects.create(user=staff, name="Codes de secours")
    return {"nantes": nantes}


# Written out per role, not asked of the admin classes under test.
# A dated reference list; what the public proposes or subscribes to; the login attempts django-axes records.
ADMIN_MAY_NOT_ADD = {
    "initiatives.alertsubscription",
    "initiatives.crisisperiod",
    "initiatives.proposal",
    "axes.accessattempt",
    "axes.accessfailurelog",
    "axes.accesslog",
}
CURATOR_MAY_VIEW = {
    "initiatives.actor",
    "initiatives.crisisperiod",
    "initiatives.initiative",
    "initiatives.lesson",
    "initiatives.proposal",
    "initiatives.public",
    "initiatives.resource",
    "initiatives.source",
    "initiatives.theme",
    "taggit.tag",
    "territories.resourcecentre",
    "territories.territory",
}
CURATOR_MAY_ADD = {
    "initiatives.actor",
    "initiatives.initiative",
    "initiatives.lesson",
    "initiatives.resource",
    "initiatives.source",
    "territories.territory",
}


def label(model):
    return f"{model._meta.app_label}.{model._meta.model_name}"


def test_every_admin_changelist_add_and_change_page_answers_200(admin_client, one_of_each):
    checked = 0
    for model in admin.site._registry:
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        response = admin_client.get(reverse(f"{info}_changelist"))
        assert response.status_code == 200, info
        response = admin_client.get(reverse(f"{info}_add"))
        # Read-only reference lists refuse additions even to administrators.
        assert response.status_code == (403 if label(model) in ADMIN_MAY_NOT_ADD else 200), info
        obj = model._default_manager.order_by("-pk").first()
        assert obj is not None, f"no {info} to open"
        response = admin_client.get(reverse(f"{info}_change", args=[obj.pk]))
        assert response.status_code == 200, info
        checked += 1
    assert checked == len(admin.site._registry) >= 11


def test_changelists_show_facet_counts(admin_client, one_of_each):
    response = admin_client.get(reverse("admin:initiatives_initiative_changelist") + "?_facets=True")
    assert response.status_code == 200
    assert re.search(r"publié \(\d+\)", response.content.decode())


def test_search_finds_a_case_by_actor_name(admin_client, one_of_each):
    case = Initiative.objects.get()
    InvolvementFactory(initiative=case, actor=ActorFactory(name="Épicerie Zéphyrine"))
    other = CitationFactory(initiative__title="Un cas que la recherche ne doit pas donner").initiative
    InvolvementFactory(initiative=other, actor=ActorFactory(name="Secours voisin"))
    response = admin_client.get(reverse("admin:initiatives_initiative_changelist"), {"q": "Zéphyrine"})
    assert response.status_code == 200
    html = response.content.decode()
    assert case.title in html and other.title not in html
    assert response.context["cl"].result_count == 1


def test_a_curator_sees_and_adds_exactly_what_the_role_allows(curator_client):
    checked = 0
    for model in admin.site._registry:
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        response = curator_client.get(reverse(f"{info}_changelist"))
        assert response.status_code == (200 if label(model) in CURATOR_MAY_VIEW else 403), info
        response = curator_client.get(reverse(f"{info}_add"))
        assert response.status_code == (200 if label(model) in CURATOR_MAY_ADD else 403), info
        checked += 1
    assert checked == len(admin.site._registry) == 21


@pytest.fixture
def curator_client(client, django_user_model, one_of_each):
    user = django_user_model.objects.create_user(email="curatrice@crpv.example", password="x", is_staff=True)
    user.groups.add(ensure_curator_group())
    user.centres.set(ResourceCentre.objects.filter(name="RésO Villes"))
    client.force_login(user)
    return client


def management(prefix, total):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_curator_creates_a_case_with_three_actors_two_citations_and_a_typed_commune(curator_client, one_of_each):
    add_url = reverse("admin:initiatives_initiative_add")
    page = curator_client.get(add_url)
    assert page.status_code == 200
    html = page.content.decode()
    # The territory widget is an autocomplete: none of the communes is in the page.
    assert "Commune témoin" not in html
    assert html.count("<option") < 200
    assert 'data-ajax--url="/admin/autocomplete/"' in html

    # Typing "Nant" in the territory box asks the autocomplete endpoint.
    found = curator_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "initiatives", "model_name": "initiative", "field_name": "territory", "term": "Nant"},
    )
    assert found.status_code == 200
    results = json.loads(found.content)["results"]
    assert results[0]["text"].startswith("Nantes")
    nantes_id = results[0]["id"]
    assert str(one_of_each["nantes"].pk) == nantes_id

    # Two existing actors are found by typing; the third is created in the "+" popup.
    existing = [
        ActorFactory(name="L'AFEV"),
        ActorFactory(name="Ville de Nantes", kind="institutional", category="commune"),
    ]
    found = curator_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "initiatives", "model_name": "involvement", "field_name": "actor", "term": "afev"},
    )
    assert [r["text"] for r in json.loads(found.content)["results"]] == ["L'AFEV"]
    popup = curator_client.post(
        reverse("admin:initiatives_actor_add") + "?_to_field=id&_popup=1",
        {
            "name": "Collectif des mamans du Breil",
            "slug": "collectif-des-mamans-du-breil",
            "kind": "informal",
            "category": "collectif-habitants",
            "_popup": "1",
            "_to_field": "id",
            **management("aliases", 0),
        },
    )
    assert popup.status_code == 200, popup.content.decode()[:2000]
    new_actor = Actor.objects.get(name="Collectif des mamans du Breil")

    source = Source.objects.get(slug="crpv-2020")
    themes = Theme.objects.filter(slug__in=["premiere-necessite", "aide-alimentaire"])
    data = {
        "title": "Paniers solidaires au Breil",
        "slug": "paniers-solidaires-au-breil",
        "summary": "Des habitantes livrent des paniers aux familles isolées.",
        "territory": nantes_id,
        "setting": "urbain",
        "themes": [str(t.pk) for t in themes],
        "publics": [],
        "tags": "aller-vers, solidarité",
        "documentation_level": "described",
        "status": "draft",
        "curating_centre": str(ResourceCentre.objects.get(name="RésO Villes").pk),
        **dict.fromkeys(("volunteers", "new_publics", "unprecedented_cooperation", "freed_from_rule", "continued"), ""),
        **management("involvements", 3),
        "involvements-0-actor": str(existing[0].pk),
        "involvements-0-role": "porteur",
        "involvements-1-actor": str(existing[1].pk),
        "involvements-1-role": "partenaire",
        "involvements-2-actor": str(new_actor.pk),
        "involvements-2-role": "porteur",
        **management("citations", 2),
        "citations-0-source": str(source.pk),
        "citations-0-locator": "Encadré « Paniers »",
        "citations-0-excerpt": "Des habitantes du Breil livrent des paniers aux familles isolées.",
        "citations-0-position": "0",
        "citations-1-source": str(source.pk),
        "citations-1-locator": "Bilan",
        "citations-1-excerpt": "Plus de cent familles ont reçu un panier chaque semaine.",
        "citations-1-position": "1",
        **management("key_figures", 0),
        "_save": "Enregistrer",
    }
    response = curator_client.post(add_url, data)
    if response.status_code != 302:
        errors = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode(), re.S)
        pytest.fail(f"form refused: {errors}")
    initiative = Initiative.objects.get(slug="paniers-solidaires-au-breil")
    assert initiative.territory == one_of_each["nantes"]
    assert initiative.precision == "commune"
    assert initiative.curating_centre.name == "RésO Villes"
    assert initiative.involvements.count() == 3
    assert set(initiative.actors.values_list("name", flat=True)) == {
        "L'AFEV",
        "Ville de Nantes",
        "Collectif des mamans du Breil",
    }
    assert initiative.citations.count() == 2
    assert sorted(initiative.tags.names()) == ["aller-vers", "solidarité"]
    assert initiative.themes.count() == 2


def test_curators_cannot_change_reference_data(curator_client, one_of_each):
    territory = one_of_each["nantes"]
    url = reverse("admin:territories_territory_change", args=[territory.pk])
    assert curator_client.get(url).status_code == 200  # view only
    response = curator_client.post(url, {"name": "Nantes la Belle", "kind": "commune"})
    assert response.status_code == 403
    territory.refresh_from_db()
    assert territory.name == "Nantes"
    assert curator_client.get(reverse("admin:territories_resourcecentre_add")).status_code == 403
    for name in ("theme", "public", "crisisperiod"):
        assert curator_client.get(reverse(f"admin:initiatives_{name}_add")).status_code == 403
    # They add neighbourhoods (under a commune of their coverage) and sources; they change neither.
    assert curator_client.get(reverse("admin:territories_territory_add")).status_code == 200
    assert curator_client.get(reverse("admin:initiatives_source_add")).status_code == 200
    source = Source.objects.get(slug="crpv-2020")
    response = curator_client.post(reverse("admin:initiatives_source_change", args=[source.pk]), {"title": "x"})
    assert response.status_code == 403


def test_insee_territories_are_read_only_even_for_administrators(admin_client, one_of_each):
    nantes = one_of_each["nantes"]
    response = admin_client.post(
        reverse("admin:territories_territory_change", args=[nantes.pk]), {"name": "Autre", "kind": "commune"}
    )
    assert response.status_code == 403
    nantes.refresh_from_db()
    assert nantes.name == "Nantes"


def test_unnamed_actors_are_not_offered_for_other_cases(curator_client, one_of_each):
    ActorFactory(name="deux résidentes", is_unnamed=True, kind="informal", category="habitant")
    ActorFactory(name="Résidences solidaires")
    found = curator_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "initiatives", "model_name": "involvement", "field_name": "actor", "term": "résid"},
    )
    assert [r["text"] for r in json.loads(found.content)["results"]] == ["Résidences solidaires"]
