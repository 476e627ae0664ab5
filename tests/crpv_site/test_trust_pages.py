"""The notices linked from every footer: accessibility, legal notice, personal data.

Each says only what is true: the values shown are the settings in force (« à compléter » while
unset), the retention is the setting's, the accessibility results are those of crpv_site.accessibility,
and the cookies the personal-data page announces are the ones the site sets.
"""

import re
from html import unescape

import pytest
from django.test import override_settings
from django.utils import formats

from crpv_site import accessibility
from tests.factories import national_network

pytestmark = pytest.mark.django_db

H1 = re.compile(r"<h1[\s>]", re.I)
PAGES = ["/accessibilite/", "/mentions-legales/", "/donnees-personnelles/"]
UNSET = {
    "SITE_PUBLISHER": "",
    "SITE_PUBLICATION_DIRECTOR": "",
    "SITE_HOST": "",
    "SITE_CONTACT_EMAIL": "",
    "SITE_PRIVACY_EMAIL": "",
}
SET = {
    "SITE_PUBLISHER": "Association Quartiers Ressources, 12 rue de la Paix, 75002 Paris",
    "SITE_PUBLICATION_DIRECTOR": "Camille Martin, présidente",
    "SITE_HOST": "Hébergeur Exemple SAS, 1 avenue du Port, 59000 Lille, 03 20 00 00 00",
    "SITE_CONTACT_EMAIL": "contact@proximites.example.org",
    "SITE_PRIVACY_EMAIL": "donnees@proximites.example.org",
}


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert len(H1.findall(html)) == 1, url
    return unescape(html)


@pytest.mark.parametrize("url", PAGES)
def test_each_notice_is_linked_from_the_footer_of_every_page(client, url):
    for origin in ["/", "/sources/", *PAGES]:
        footer = page(client, origin).split('<footer class="site-footer">')[1]
        assert f'href="{url}"' in footer, origin


@override_settings(**UNSET)
def test_the_legal_notice_says_a_compléter_until_the_settings_are_set(client):
    html = page(client, "/mentions-legales/")
    main = html.split("<main")[1].split("</main>")[0]
    assert main.count("à compléter") == 4  # publisher, director of publication, host, contact
    assert "Code officiel géographique" in main and "CC BY 4.0" in main


@override_settings(**SET)
def test_the_legal_notice_shows_the_settings(client):
    html = page(client, "/mentions-legales/")
    for name in ("SITE_PUBLISHER", "SITE_PUBLICATION_DIRECTOR", "SITE_HOST"):
        assert SET[name] in html
    assert 'href="mailto:contact@proximites.example.org"' in html
    assert "à compléter" not in html


@override_settings(**UNSET)
def test_the_accessibility_statement_is_honest_about_what_was_checked(client):
    html = page(client, "/accessibilite/")
    assert f"Proximités est <strong>{accessibility.STATE}</strong> avec le RGAA, version 4.1" in html
    assert "aucun audit de conformité n'a encore été réalisé" in html
    checked_on = formats.date_format(accessibility.CHECKED_ON, "F Y")
    assert re.search(rf"établie le (1er|[0-9]+) {checked_on}\.", html)
    assert f"établie le {accessibility.checked_on_label()}." in html
    for text in accessibility.KNOWN_PROBLEMS + accessibility.NOT_CHECKED + accessibility.TOOLS:
        assert text in html
    for heading in (
        "État de conformité",
        "Résultats des tests",
        "Contenus non accessibles",
        "Établissement de cette déclaration",
        "Environnement de test",
        "Voies de recours",
    ):
        assert f">{heading}</h" in html
    assert "Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07" in html
    assert "adresse à compléter" in html


@override_settings(**SET)
def test_the_accessibility_statement_gives_the_contact(client):
    assert 'href="mailto:contact@proximites.example.org"' in page(client, "/accessibilite/")


def test_the_footer_states_the_conformity_of_the_statement(client):
    footer = page(client, "/").split('<footer class="site-footer">')[1]
    assert f"Accessibilité : {accessibility.STATE}</a>" in footer


@pytest.mark.parametrize("days, shown", [(365, "365 jours"), (30, "30 jours"), (1, "1 jour<")])
def test_the_personal_data_page_shows_the_retention_in_force(client, settings, days, shown):
    settings.PROPOSAL_CONTACT_RETENTION_DAYS = days
    html = page(client, "/donnees-personnelles/")
    assert f"vieille de <strong>{shown}" in html


@override_settings(**UNSET)
def test_the_personal_data_page_lists_what_the_form_keeps_and_who_to_ask(client):
    html = page(client, "/donnees-personnelles/")
    for said in (
        "votre adresse e-mail",
        "Le formulaire ne demande pas votre nom",
        "Votre adresse IP n'est pas enregistrée avec la proposition",
        "quel que soit son statut : à traiter, acceptée ou rejetée",
        "consentement (article 6, paragraphe 1, point a",
        "csrftoken",
    ):
        assert said in html
    assert "adresse à compléter" in html
    assert html.count("<em>à compléter</em>") == 2  # the controller (publisher) and the host


@override_settings(**SET)
def test_the_personal_data_page_gives_the_privacy_contact(client):
    html = page(client, "/donnees-personnelles/")
    assert 'href="mailto:donnees@proximites.example.org"' in html
    assert SET["SITE_PUBLISHER"] in html and SET["SITE_HOST"] in html


def test_browsing_sets_no_cookie_and_the_form_only_its_csrf_cookie(client):
    """What the page says under « Cookies »: nothing for readers, one technical cookie on the form."""
    national_network()
    for url in ["/", "/initiatives/", "/sources/", *PAGES]:
        assert not client.get(url).cookies, url
    assert set(client.get("/proposer/").cookies) == {"csrftoken"}
