"""Data tests on the real demo fixtures (kept apart from behaviour tests, house rule 7).

These load the committed reference data (35,000 communes) and every case of the
five reports into the test database, then check the base is whole, consistent
and reloadable. The report texts are read from ../shared/seeds when present.
"""

import re
from collections import defaultdict
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from initiatives.casefiles.check import case_files, check_files, read_cases
from initiatives.models import Actor, Initiative
from initiatives.text import normalise_name
from tests.data.conftest import inventory

pytestmark = pytest.mark.django_db(transaction=False)


def test_reference_data_is_complete(demo):
    assert demo["territories"]["region"] == 18
    assert demo["territories"]["department"] == 101
    assert demo["territories"]["commune"] >= 34000
    assert demo["resource_centres"] >= 21
    assert demo["resource_centres_with_coverage"] == demo["resource_centres"]
    assert demo["themes"] >= 7


def test_the_nine_odas_fiches_are_in_fully_analysed(demo):
    analysed = Initiative.objects.filter(documentation_level="analysed")
    assert analysed.count() == 9
    for initiative in analysed.prefetch_related("citations", "involvements", "themes"):
        assert initiative.status == "published"
        assert initiative.citations.count() >= 2, initiative.slug
        assert initiative.involvements.filter(role="porteur").exists(), initiative.slug
        assert initiative.themes.exists(), initiative.slug
        assert len(initiative.sections()) >= 6, initiative.slug


def test_every_case_is_published_and_cited(demo):
    assert demo["initiatives"]["total"] == demo["initiatives"]["by_status"]["published"]
    assert not Initiative.objects.filter(citations__isnull=True).exists()
    assert demo["citations"] >= demo["initiatives"]["total"]


def test_loading_again_changes_no_count(demo):
    call_command("load_demo_data", stdout=StringIO())
    assert inventory() == demo


@pytest.mark.skipif(not settings.SEEDS_DIR.is_dir(), reason="../shared/seeds absent : textes des rapports introuvables")
def test_every_citation_is_verbatim(demo):
    out = StringIO()
    call_command("verify_citations", "--sources", str(settings.SEEDS_DIR), stdout=out)
    assert re.search(r"(?<!\d)0 échec\(s\)", out.getvalue()), out.getvalue()[-500:]  # not "10 échec(s)"


@pytest.mark.skipif(not settings.SEEDS_DIR.is_dir(), reason="../shared/seeds absent : textes des rapports introuvables")
def test_case_files_pass_their_checks():
    errors, count = check_files(case_files(), seeds_dir=settings.SEEDS_DIR)
    assert errors == []
    assert count > 100


def test_no_two_named_actors_share_a_normalised_name(demo):
    names = defaultdict(list)
    for actor in Actor.objects.named():
        names[normalise_name(actor.name)].append(actor.name)
        for alias in actor.aliases.all():
            names[normalise_name(alias.name)].append(f"{alias.name} (alias de {actor.name})")
    assert {k: v for k, v in names.items() if len(v) > 1} == {}


def test_case_slugs_are_unique_across_files():
    slugs = [c["slug"] for _, _, c in read_cases(case_files()) if "slug" in c]
    assert len(slugs) == len(set(slugs))


def test_the_case_form_finds_a_commune_among_all_of_them_by_typing(demo, client, django_user_model):
    from django.urls import reverse

    from crpv_site.roles import ensure_curator_group
    from territories.models import ResourceCentre, Territory

    assert Territory.objects.filter(kind="commune").count() > 34000
    user = django_user_model.objects.create_user(email="curatrice@crpv.example", password="x", is_staff=True)
    user.groups.add(ensure_curator_group())
    user.centres.set(ResourceCentre.objects.filter(slug="reso-villes"))
    client.force_login(user)
    page = client.get(reverse("admin:initiatives_initiative_add"))
    assert page.status_code == 200
    assert len(page.content) < 400_000  # the 35,000 communes are not in the page
    found = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "initiatives", "model_name": "initiative", "field_name": "territory", "term": "Nantes"},
    ).json()["results"]
    assert found[0]["text"] == "Nantes (44109)"


def test_a_centre_curates_its_demo_cases_end_to_end(demo, client, django_user_model):
    """On the real cases: a RésO Villes curator sees its quality page and history, archives its own case only."""
    from django.test import Client
    from django.urls import reverse
    from reversion.models import Version

    from crpv_site.roles import ensure_curator_group
    from territories.models import ResourceCentre

    centre = ResourceCentre.objects.get(slug="reso-villes")
    user = django_user_model.objects.create_user(email="curatrice@resovilles.example", password="x", is_staff=True)
    user.groups.add(ensure_curator_group())
    user.centres.set([centre])
    client.force_login(user)
    own = Initiative.objects.filter(curating_centre=centre, status="published").order_by("pk").first()
    other = Initiative.objects.exclude(curating_centre=centre).filter(status="published").order_by("pk").first()

    # Every demo case starts with a first version, so that a first edit can be undone.
    first = Version.objects.get_for_object(own).get()
    assert first.revision.get_comment() == "Cas chargé depuis les rapports"
    assert client.get(reverse("admin:initiatives_initiative_history", args=[own.pk])).status_code == 200
    page = client.get(reverse("admin:initiatives_initiative_quality"))
    assert page.status_code == 200
    assert "RésO Villes" in page.content.decode()

    changelist = reverse("admin:initiatives_initiative_changelist")
    client.post(changelist, {"action": "status_archived", "_selected_action": [own.pk, other.pk]})
    assert Initiative.objects.get(pk=own.pk).status == "published"  # a mixed selection changes nothing
    client.post(changelist, {"action": "status_archived", "_selected_action": [own.pk]})
    assert Initiative.objects.get(pk=own.pk).status == "archived"
    assert Client().get(own.get_absolute_url()).status_code == 404  # gone from the public site
    assert "Aperçu réservé à l'équipe" in client.get(own.get_absolute_url()).content.decode()  # a preview for staff
    client.post(changelist, {"action": "status_draft", "_selected_action": [own.pk]})
    client.post(changelist, {"action": "status_review", "_selected_action": [own.pk]})
    client.post(changelist, {"action": "status_published", "_selected_action": [own.pk]})
    restored = Initiative.objects.get(pk=own.pk)
    assert restored.status == "published" and restored.published_at == own.published_at
    assert client.get(own.get_absolute_url()).status_code == 200
