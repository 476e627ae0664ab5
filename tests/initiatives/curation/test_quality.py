"""The data-quality page of a curator's centres, through the admin."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from initiatives.models import Proposal
from tests.factories import (
    CitationFactory,
    CommuneFactory,
    InitiativeFactory,
    InvolvementFactory,
    QpvFactory,
    ResourceCentreFactory,
    ThemeFactory,
    make_curator,
    national_network,
)

pytestmark = pytest.mark.django_db


def complete(case):
    case.themes.add(ThemeFactory())
    InvolvementFactory(initiative=case)
    CitationFactory(initiative=case)
    return case


@pytest.fixture
def quality_world():
    national_network()
    own, other = ResourceCentreFactory(name="Centre A"), ResourceCentreFactory(name="Centre B")
    commune = CommuneFactory(name="Charleville-Mézières")
    complete(InitiativeFactory(title="Page Facebook de Ronde-Couture", territory=commune, curating_centre=own))
    complete(
        InitiativeFactory(
            title="Page Facebook Ronde Couture",
            territory=QpvFactory(name="Ronde-Couture", parent=commune),
            curating_centre=own,
        )
    )
    complete(InitiativeFactory(title="Page Facebook de Ronde-Couture", territory=CommuneFactory(), curating_centre=own))
    InitiativeFactory(title="Cas nu", curating_centre=own)
    InitiativeFactory(title="Brouillon sans lieu", territory=None, status="draft", curating_centre=own)
    complete(InitiativeFactory(title="Cas à revoir", needs_update=True, curating_centre=own))
    InitiativeFactory(title="Cas nu d'un autre centre", curating_centre=other)
    old = Proposal.objects.create(title="Vieille proposition", description="…", contact_email="a@b.fr", centre=own)
    Proposal.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=40))
    Proposal.objects.create(title="Proposition récente", description="…", contact_email="a@b.fr", centre=own)
    return {"own": own, "curator": make_curator("c@a.example", [own])}


def section(html, title):
    return html.split(title, 1)[1].split("<h2>", 1)[0]


def test_a_curator_sees_what_to_fix_in_their_centres(client, quality_world):
    client.force_login(quality_world["curator"])
    page = client.get(reverse("admin:initiatives_initiative_quality"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Brouillon sans lieu" in section(html, "Cas sans territoire (1)")
    for missing in ("Cas sans thème (2)", "Cas sans acteur (2)", "Cas sans citation (2)"):
        assert "Cas nu<" in section(html, missing)
    duplicates = section(html, "Doublons possibles (1)")
    assert "Page Facebook de Ronde-Couture" in duplicates and "Page Facebook Ronde Couture" in duplicates
    assert "Cas à revoir" in section(html, "Cas « à mettre à jour » (1)")
    stale = section(html, "Propositions en attente depuis plus de 30 jours (1)")
    assert "Vieille proposition" in stale and "Proposition récente" not in stale
    assert "d'un autre centre" not in html


def test_an_administrator_sees_every_centre_or_one(client, quality_world, admin_client):
    html = admin_client.get(reverse("admin:initiatives_initiative_quality")).content.decode()
    assert "Cas nu d&#x27;un autre centre" in html
    html = admin_client.get(
        reverse("admin:initiatives_initiative_quality"), {"centre": quality_world["own"].slug}
    ).content.decode()
    assert "un autre centre" not in html


def test_anonymous_visitors_are_sent_to_the_login(client, quality_world):
    response = client.get(reverse("admin:initiatives_initiative_quality"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
