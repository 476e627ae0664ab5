"""The cooperation and timeline pages on the real cases: they render with their tables, their counts
are those of the database, and every count they link leads to a list of that count."""

import pytest
from django.db.models import Count

from initiatives.models import Actor, Initiative
from tests.initiatives.panorama.pages import H1, assert_links_lead_to_their_counts, table_rows

pytestmark = pytest.mark.django_db(transaction=False)


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert len(H1.findall(html)) == 1
    return html


def test_the_cooperation_page_on_the_real_cases(client, demo):
    html = get(client, "/cooperations/")
    published = Initiative.objects.published()
    facts = table_rows(html, "Coopération ou partenariat inédit")
    assert facts[1] == ["Oui", str(published.filter(unprecedented_cooperation=True).count())]
    assert facts[1] != ["Oui", "0"]
    shared = (
        Actor.objects.named()
        .filter(involvements__initiative__status="published")
        .annotate(n=Count("involvements__initiative", distinct=True))
        .filter(n__gte=2)
    )
    network = table_rows(html, "Les acteurs nommés partagés")
    assert len(network) - 1 == shared.count() >= 10
    assert html.count('<a href="/acteurs/') >= 2 * shared.count()  # each in the picture and in the table
    assert "ce réseau est mince et en dit peu" in html
    assert len(table_rows(html, "Cas de la sélection où un acteur")) == 6
    assert assert_links_lead_to_their_counts(client, html) >= 8


def test_the_timeline_page_on_the_real_cases(client, demo):
    html = get(client, "/chronologie/")
    published = Initiative.objects.published()
    rows = table_rows(html, "Cas situés dans chaque période")
    first_lockdown = published.filter(periods__slug="confinement-1").count()
    assert rows[0][1] == "1. 1er confinement"
    assert rows[1][0] == "Toute la sélection" and rows[1][1].startswith(f"{first_lockdown} (")
    assert len(rows) == 1 + 1 + 7  # header, the whole base, the seven root themes
    assert "<svg" in html and "trop peu pour comparer" in html
    assert assert_links_lead_to_their_counts(client, html) >= 20


def test_thin_real_slices_are_said_not_drawn(client, demo):
    html = get(client, "/chronologie/?periode=sortie-de-crise")
    assert "<strong>1</strong> cas publié pour " in html
    assert "1 cas situé dans une période (moins de 5) : trop peu pour comparer." in html
    assert "<svg" not in html
    html = get(client, "/cooperations/?periode=sortie-de-crise")
    assert "pas de réseau à dessiner" in html and "<svg" not in html
