"""Public case proposals, end to end through real HTTP requests: the form, the routing,
the e-mail to the curators, spam limits, and the admin queue where curators accept or reject."""

import json
import re
import socket

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings
from django.urls import reverse
from reversion.models import Version

from initiatives import services
from initiatives.models import ActorAlias, Initiative, Involvement, Proposal
from initiatives.proposals.services import accept_proposal, reject_proposal, submit_proposal
from tests.factories import (
    ActorFactory,
    CommuneFactory,
    DepartmentFactory,
    InitiativeFactory,
    QpvFactory,
    RegionFactory,
    ResourceCentreFactory,
    ThemeFactory,
    make_curator,
    national_network,
)

pytestmark = pytest.mark.django_db

PROPOSE = "/proposer/"
HOSTILE = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
H1 = re.compile(r"<h1[\s>]", re.I)


@pytest.fixture(autouse=True)
def empty_cache(db):
    cache.clear()  # the rate limit lives in the cache
    yield
    cache.clear()


@pytest.fixture
def routing_map():
    national = national_network()
    pdl = RegionFactory(name="Pays de la Loire", code="52")
    loire_atlantique = DepartmentFactory(name="Loire-Atlantique", code="44", parent=pdl)
    vendee = DepartmentFactory(name="Vendée", code="85", parent=pdl)
    bretagne = RegionFactory(name="Bretagne", code="53")
    finistere = DepartmentFactory(name="Finistère", code="29", parent=bretagne)
    region_centre = ResourceCentreFactory(name="RésO Villes", short_name="RésO Villes", coverage=[pdl])
    dept_centre = ResourceCentreFactory(
        name="Centre de ressources de Loire-Atlantique", short_name="CR 44", coverage=[loire_atlantique]
    )
    nantes = CommuneFactory(name="Nantes", code="44109", parent=loire_atlantique)
    roche = CommuneFactory(name="La Roche-sur-Yon", code="85191", parent=vendee)
    brest = CommuneFactory(name="Brest", code="29019", parent=finistere)
    breil = QpvFactory(name="Le Breil", parent=nantes)
    etienne_44 = CommuneFactory(name="Saint-Étienne", code="44990", parent=loire_atlantique)
    etienne_85 = CommuneFactory(name="Saint-Étienne", code="85990", parent=vendee)
    root = ThemeFactory(name="Besoins de première nécessité", slug="premiere-necessite", position=1)
    food = ThemeFactory(name="Aide alimentaire", slug="aide-alimentaire", parent=root)
    school = ThemeFactory(name="Continuité scolaire", slug="continuite-scolaire", position=2)
    return {
        "national": national,
        "region_centre": region_centre,
        "dept_centre": dept_centre,
        "nantes": nantes,
        "roche": roche,
        "brest": brest,
        "breil": breil,
        "etienne_44": etienne_44,
        "etienne_85": etienne_85,
        "food": food,
        "school": school,
        "root": root,
        "dept_curator": make_curator("loire@example.org", [dept_centre], password=None),
        "national_curator": make_curator("national@example.org", [national], password=None),
    }


def form_data(routing_map, **overrides):
    data = {
        "title": "Paniers solidaires au Breil",
        "description": "Des habitantes livrent des paniers aux familles isolées pendant le confinement.",
        "place": "Nantes (44109)",
        "themes": [routing_map["food"].pk, routing_map["school"].pk],
        "acteur-0-name": "Collectif du Breil",
        "acteur-0-kind": "informal",
        "acteur-0-role": "porteur",
        "acteur-1-name": "AFEV",
        "acteur-1-kind": "formal",
        "acteur-1-role": "partenaire",
        "source": "https://exemple.org/paniers-solidaires",
        "contact_email": "habitante@example.org",
        "website": "",
    }
    data.update(overrides)
    return data


def submit(client, data, captured, address="203.0.113.10"):
    """POST the form like a browser from ``address``, running what waits for the commit (the e-mail)."""
    with captured(execute=True):
        return client.post(PROPOSE, data, REMOTE_ADDR=address)


@pytest.fixture
def captured(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nobody listens once the socket is closed


# The form


def test_the_form_answers_with_one_h1_labelled_fields_and_the_honeypot_out_of_reach(client, routing_map):
    response = client.get(PROPOSE)
    assert response.status_code == 200
    html = response.content.decode()
    assert len(H1.findall(html)) == 1
    for field_id in ["id_title", "id_description", "id_place", "id_source", "id_contact_email", "id_acteur-0-name"]:
        assert f'for="{field_id}"' in html, field_id
    assert f'for="id_themes_{routing_map["food"].pk}"' in html
    assert "jamais publiée" in html
    assert "je ne sais pas" in html
    honeypot = re.search(r'<div class="hp" aria-hidden="true">.*?</div>', html, re.S).group(0)
    assert 'tabindex="-1"' in honeypot and 'autocomplete="off"' in honeypot
    # Three actor rows in sight, the others behind "Ajouter d'autres acteurs", up to ACTORS_MAX.
    assert html.count('name="acteur-') // 3 == Proposal.ACTORS_MAX
    assert html.index("id_acteur-3-name") > html.index("<details")


def test_the_site_navigation_and_the_home_page_lead_to_the_form(client, routing_map):
    html = client.get(reverse("home")).content.decode()
    assert html.count(f'href="{PROPOSE}"') >= 2  # the navigation and the home page's own link


def test_a_valid_proposal_is_stored_routed_to_the_departement_centre_and_notified(
    client, routing_map, captured, mailoutbox
):
    response = submit(client, form_data(routing_map), captured)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("proposals:done"))
    assert "habitante" not in response["Location"]

    proposal = Proposal.objects.get()
    assert proposal.title == "Paniers solidaires au Breil"
    assert proposal.place == routing_map["nantes"] and proposal.place_text == "Nantes (44109)"
    # Loire-Atlantique's centre beats the Pays de la Loire centre.
    assert proposal.centre == routing_map["dept_centre"]
    assert set(proposal.themes.all()) == {routing_map["food"], routing_map["school"]}
    assert proposal.actors == [
        {"name": "Collectif du Breil", "kind": "informal", "role": "porteur"},
        {"name": "AFEV", "kind": "formal", "role": "partenaire"},
    ]
    assert proposal.contact_email == "habitante@example.org"
    assert proposal.status == Proposal.Status.NEW and proposal.notified_at is not None

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["loire@example.org"]
    assert "\n" not in message.subject and "Paniers solidaires au Breil" in message.subject
    link = settings.SITE_URL + reverse("admin:initiatives_proposal_change", args=[proposal.pk])
    assert link in message.body
    assert "habitante@example.org" not in message.body  # the contact stays in the admin

    done = client.get(response["Location"])
    assert done.status_code == 200
    html = done.content.decode()
    assert "Centre de ressources de Loire-Atlantique" in html and len(H1.findall(html)) == 1
    assert "habitante@example.org" not in html


@pytest.mark.parametrize(
    ("place", "centre", "recipient"),
    [
        ("La Roche-sur-Yon", "region_centre", "admin@example.org"),  # région centre, nobody curates it yet
        ("Brest (29019)", "national", "national@example.org"),  # no regional centre covers Finistère
        ("", "national", "national@example.org"),  # no place: the national network
    ],
)
def test_routing_falls_back_to_the_region_then_the_national_network(
    client, routing_map, captured, mailoutbox, place, centre, recipient, django_user_model
):
    django_user_model.objects.create_superuser(email="admin@example.org", password=None)
    response = submit(client, form_data(routing_map, place=place), captured)
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.centre == routing_map[centre]
    assert [m.to for m in mailoutbox] == [[recipient]]


def test_the_curators_of_the_region_centre_get_its_proposals(client, routing_map, captured, mailoutbox):
    make_curator("region@example.org", [routing_map["region_centre"]], password=None)
    former = make_curator("ancienne@example.org", [routing_map["region_centre"]], password=None)
    former.is_active = False
    former.save()
    submit(client, form_data(routing_map, place="La Roche-sur-Yon"), captured)
    assert [m.to for m in mailoutbox] == [["region@example.org"]]


def test_without_any_curator_the_administrators_are_told(client, routing_map, captured, mailoutbox, django_user_model):
    routing_map["national_curator"].delete()
    django_user_model.objects.create_superuser(email="admin@example.org", password=None)
    submit(client, form_data(routing_map, place="Brest"), captured)
    assert [m.to for m in mailoutbox] == [["admin@example.org"]]


def test_a_mail_server_down_keeps_the_proposal_and_leaves_it_unnotified(client, routing_map, captured, caplog):
    smtp = {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": "127.0.0.1"}
    with override_settings(**smtp, EMAIL_PORT=closed_port(), EMAIL_TIMEOUT=5):
        response = submit(client, form_data(routing_map), captured)
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.notified_at is None and proposal.centre == routing_map["dept_centre"]
    assert "n'est pas parti" in caplog.text


def test_a_filled_honeypot_looks_like_success_but_stores_and_sends_nothing(client, routing_map, captured, mailoutbox):
    response = submit(client, form_data(routing_map, website="https://spam.example"), captured)
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    assert Proposal.objects.count() == 0 and mailoutbox == []


def test_the_rate_limit_refuses_the_sixth_submission_of_the_hour_from_one_address(client, routing_map, captured):
    limit = settings.PROPOSALS_PER_HOUR
    for i in range(limit):
        response = submit(client, form_data(routing_map, title=f"Proposition {i}"), captured, address="203.0.113.5")
        assert response.status_code == 302, i
    response = submit(client, form_data(routing_map, title="Une de trop"), captured, address="203.0.113.5")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Trop de propositions" in html and "à partir de" in html and len(H1.findall(html)) == 1
    assert 0 < int(response["Retry-After"]) <= 3600
    assert Proposal.objects.count() == limit
    # Another address still passes; invalid submissions never counted.
    assert submit(client, form_data(routing_map, title=""), captured, address="203.0.113.6").status_code == 200
    assert submit(client, form_data(routing_map), captured, address="203.0.113.6").status_code == 302
    assert Proposal.objects.count() == limit + 1


@pytest.mark.parametrize(
    ("field", "size", "message"),
    [
        ("title", Proposal.TITLE_MAX + 1, "Le titre ne doit pas dépasser 200 caractères (vous en avez saisi 201)"),
        ("description", Proposal.DESCRIPTION_MAX + 1, "La description ne doit pas dépasser 5000 caractères"),
        ("source", Proposal.SOURCE_MAX + 1, "La source ne doit pas dépasser 1000 caractères"),
        ("place", Proposal.PLACE_MAX + 1, "Le lieu ne doit pas dépasser 200 caractères"),
        ("acteur-2-name", Proposal.ACTOR_NAME_MAX + 1, "Le nom ne doit pas dépasser 200 caractères"),
    ],
)
def test_an_oversized_field_gets_a_french_error_and_nothing_is_stored(
    client, routing_map, captured, field, size, message
):
    response = submit(client, form_data(routing_map, **{field: "x" * size}), captured)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Le formulaire n'a pas été envoyé" in html
    assert Proposal.objects.count() == 0


@pytest.mark.parametrize("theme", ["99999999999999999999999", "abc", "-1", "999999"])
def test_a_forged_theme_id_is_a_form_error_not_a_500(client, routing_map, captured, theme):
    response = submit(client, form_data(routing_map, themes=[theme]), captured)
    assert response.status_code == 200
    assert "Ce thème n&#x27;existe pas." in response.content.decode()
    assert Proposal.objects.count() == 0


def test_line_breaks_count_once_as_in_the_browser(client, routing_map, captured):
    description = ("a" * 99 + "\r\n") * 50  # 5,000 characters typed, 5,050 bytes sent
    assert submit(client, form_data(routing_map, description=description), captured).status_code == 302
    assert len(Proposal.objects.get().description) == Proposal.DESCRIPTION_MAX - 1  # the last break is stripped


@pytest.mark.parametrize("content_type", ["multipart", "urlencoded"])
def test_an_oversized_body_gets_a_clean_400_page(client, routing_map, content_type):
    huge = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    if content_type == "multipart":
        response = client.post(PROPOSE, form_data(routing_map, description=huge))
    else:
        response = client.post(PROPOSE, f"title=t&description={huge}", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    html = response.content.decode()
    assert "trop volumineuses" in html and len(H1.findall(html)) == 1
    assert Proposal.objects.count() == 0


def test_missing_fields_and_a_bad_email_get_french_errors(client, routing_map, captured):
    data = form_data(routing_map, title="", description="", contact_email="pas-une-adresse")
    html = submit(client, data, captured).content.decode()
    assert "Donnez un titre à l&#x27;initiative." in html
    assert "Décrivez l&#x27;initiative en quelques phrases." in html
    assert "Cette adresse e-mail n&#x27;est pas valide" in html
    assert 'aria-invalid="true"' in html
    assert Proposal.objects.count() == 0


# Places, without and with JavaScript


def test_an_ambiguous_place_offers_a_choice_then_succeeds_without_javascript(client, routing_map, captured):
    data = form_data(routing_map, place="saint etienne")  # accents and hyphen left out
    response = submit(client, data, captured)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Plusieurs lieux portent ce nom" in html
    for commune in (routing_map["etienne_44"], routing_map["etienne_85"]):
        assert f'name="place_choice" value="{commune.pk}"' in html
    assert "Vendée" in html and "Loire-Atlantique" in html
    assert Proposal.objects.count() == 0

    response = submit(client, {**data, "place_choice": str(routing_map["etienne_85"].pk)}, captured)
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.place == routing_map["etienne_85"] and proposal.centre == routing_map["region_centre"]


@pytest.mark.parametrize(
    ("typed", "place"),
    [("Nantes (44109)", "nantes"), ("nantes", "nantes"), ("Le Breil (QPV, Nantes)", "breil"), ("le breil", "breil")],
)
def test_a_place_is_found_by_its_label_or_its_only_name(client, routing_map, captured, typed, place):
    assert submit(client, form_data(routing_map, place=typed), captured).status_code == 302
    assert Proposal.objects.get().place == routing_map[place]


def test_an_unknown_place_is_a_clear_error_and_typed_text_comes_back_escaped(client, routing_map, captured):
    html = submit(client, form_data(routing_map, place="Atlantide"), captured).content.decode()
    assert "Lieu introuvable" in html
    html = submit(client, form_data(routing_map, place=HOSTILE, title=HOSTILE), captured).content.decode()
    assert ESCAPED in html and "<script>alert(1)" not in html
    assert Proposal.objects.count() == 0


def test_a_partial_place_offers_suggestions(client, routing_map, captured):
    html = submit(client, form_data(routing_map, place="Roche"), captured).content.decode()
    assert "Aucun lieu ne porte exactement ce nom" in html
    assert f'value="{routing_map["roche"].pk}"' in html


def test_place_lookup_answers_communes_and_qpv_accents_ignored(client, routing_map):
    answer = client.get(reverse("proposals:places"), {"q": "nan"})
    assert answer.status_code == 200 and answer["Content-Type"] == "application/json"
    assert answer.json() == [{"id": routing_map["nantes"].pk, "label": "Nantes (44109)"}]
    labels = [item["label"] for item in client.get("/proposer/lieux/", {"q": "etienne"}).json()]
    assert labels == ["Saint-Étienne (44990)", "Saint-Étienne (85990)"]
    assert client.get("/proposer/lieux/", {"q": "BREIL"}).json() == [
        {"id": routing_map["breil"].pk, "label": "Le Breil (QPV, Nantes)"}
    ]
    # Départements and régions are not places of a proposal.
    assert client.get("/proposer/lieux/", {"q": "Vendée"}).json() == []
    assert client.get("/proposer/lieux/", {"q": "n"}).json() == []


def test_place_lookup_gives_twenty_at_most_and_refuses_a_too_long_query(client, routing_map):
    for i in range(25):
        CommuneFactory(name=f"Ville témoin {i}", parent=routing_map["nantes"].parent)
    assert len(client.get("/proposer/lieux/", {"q": "ville temoin"}).json()) == 20
    response = client.get("/proposer/lieux/", {"q": "x" * (Proposal.PLACE_MAX + 1)})
    assert response.status_code == 400 and "error" in json.loads(response.content)


# The admin queue


def proposal_for(routing_map, centre="dept_centre", **fields):
    data = {
        "title": "Paniers solidaires au Breil",
        "description": "Des habitantes livrent des paniers.",
        "contact_email": "habitante@example.org",
        "place": routing_map["nantes"],
        "centre": routing_map[centre],
        **fields,
    }
    actors = data.pop("actors", [])
    themes = data.pop("themes", [])
    proposal = Proposal.objects.create(actors=actors, **data)
    proposal.themes.set(themes)
    return proposal


def accept_url(proposal):
    return reverse("admin:initiatives_proposal_accept", args=[proposal.pk])


def reject_url(proposal):
    return reverse("admin:initiatives_proposal_reject", args=[proposal.pk])


def test_accepting_creates_a_linked_draft_with_themes_involvements_and_a_revision(client, routing_map):
    ActorFactory(name="Afev", slug="afev", kind="formal")
    department = ActorFactory(name="Département de Loire-Atlantique", slug="cd44", kind="institutional")
    ActorAlias.objects.create(actor=department, name="CD 44")
    InitiativeFactory(title="Paniers solidaires au Breil", slug="paniers-solidaires-au-breil")
    proposal = proposal_for(
        routing_map,
        themes=[routing_map["food"]],
        actors=[
            {"name": "Collectif du Breil", "kind": "informal", "role": "porteur"},
            {"name": "l'AFEV", "kind": "", "role": "partenaire"},
            {"name": "CD 44", "kind": "institutional", "role": "financeur"},
        ],
    )
    curator = routing_map["dept_curator"]
    client.force_login(curator)
    page = client.get(reverse("admin:initiatives_proposal_change", args=[proposal.pk])).content.decode()
    assert "Accepter (crée un brouillon)" in page and "Motif du rejet" in page

    response = client.post(accept_url(proposal))
    initiative = Initiative.objects.get(proposals=proposal)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:initiatives_initiative_change", args=[initiative.pk])
    assert "Proposition acceptée" in str(list(get_messages(response.wsgi_request))[0])
    assert client.get(response["Location"]).status_code == 200

    assert initiative.status == Initiative.Status.DRAFT
    assert initiative.slug == "paniers-solidaires-au-breil-2"
    assert initiative.summary == "Des habitantes livrent des paniers."
    assert initiative.territory == routing_map["nantes"] and initiative.curating_centre == routing_map["dept_centre"]
    assert initiative.documentation_level == Initiative.DocumentationLevel.DESCRIBED
    assert list(initiative.themes.all()) == [routing_map["food"]]
    involvements = {(i.actor.name, i.actor.kind, i.role) for i in initiative.involvements.select_related("actor")}
    assert involvements == {
        ("Collectif du Breil", "informal", "porteur"),
        ("Afev", "formal", "partenaire"),  # matched by its normalised name
        ("Département de Loire-Atlantique", "institutional", "financeur"),  # matched by its alias
    }

    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ACCEPTED and proposal.initiative == initiative
    assert proposal.handled_by == curator and proposal.handled_at is not None

    versions = Version.objects.get_for_object(initiative)
    assert versions.count() == 1
    revision = versions.first().revision
    assert revision.user == curator and f"proposition n° {proposal.pk}" in revision.comment
    assert revision.version_set.filter(content_type__model="involvement").count() == 3

    # Accepting twice is refused, and nothing is created again.
    response = client.post(accept_url(proposal))
    assert "déjà été traitée" in str(list(get_messages(response.wsgi_request))[-1])
    assert Initiative.objects.filter(proposals=proposal).count() == 1


def test_a_proposal_without_place_becomes_a_draft_without_territory(routing_map):
    proposal = proposal_for(routing_map, centre="national", place=None)
    initiative = accept_proposal(proposal=proposal, user=routing_map["national_curator"])
    assert initiative.territory is None and initiative.status == "draft"
    assert initiative.curating_centre == routing_map["national"]


def test_rejecting_keeps_the_proposal_with_its_reason(client, routing_map):
    proposal = proposal_for(routing_map)
    client.force_login(routing_map["dept_curator"])
    response = client.post(reject_url(proposal), {"reason": "   "})
    assert "Indiquez le motif du rejet" in str(list(get_messages(response.wsgi_request))[0])
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.NEW

    response = client.post(reject_url(proposal), {"reason": "Hors du champ : initiative de 2015."})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.REJECTED
    assert proposal.rejection_reason == "Hors du champ : initiative de 2015."
    assert proposal.handled_by == routing_map["dept_curator"] and proposal.initiative is None
    page = client.get(reverse("admin:initiatives_proposal_change", args=[proposal.pk])).content.decode()
    assert "Hors du champ" in page and "Accepter (crée un brouillon)" not in page


def test_a_reason_longer_than_2000_characters_is_refused(routing_map):
    proposal = proposal_for(routing_map)
    with pytest.raises(Exception, match="2000 caractères"):
        reject_proposal(proposal=proposal, user=routing_map["dept_curator"], reason="x" * 2001)


def test_a_curator_of_another_centre_gets_403_and_nothing_changes(client, routing_map):
    proposal = proposal_for(routing_map)
    other = make_curator("region@example.org", [routing_map["region_centre"]], password=None)
    client.force_login(other)
    assert client.post(accept_url(proposal)).status_code == 403
    assert client.post(reject_url(proposal), {"reason": "Pas chez nous."}).status_code == 403
    # Not even visible to them: the contact e-mail is private.
    response = client.get(reverse("admin:initiatives_proposal_change", args=[proposal.pk]))
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.NEW and proposal.handled_by is None
    assert Initiative.objects.count() == 0
    with pytest.raises(PermissionDenied):
        accept_proposal(proposal=proposal, user=other)
    with pytest.raises(PermissionDenied):
        reject_proposal(proposal=proposal, user=other, reason="Pas chez nous.")


def test_the_actions_are_post_only_and_csrf_protected(routing_map):
    proposal = proposal_for(routing_map)
    client = Client(enforce_csrf_checks=True)
    client.force_login(routing_map["dept_curator"])
    assert client.get(accept_url(proposal)).status_code == 405
    assert client.post(accept_url(proposal)).status_code == 403  # no CSRF token
    assert client.post(reject_url(proposal), {"reason": "Doublon."}).status_code == 403
    assert Proposal.objects.get().status == Proposal.Status.NEW
    # The real page carries the token: its form goes through.
    page = client.get(reverse("admin:initiatives_proposal_change", args=[proposal.pk])).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert client.post(reject_url(proposal), {"reason": "Doublon.", "csrfmiddlewaretoken": token}).status_code == 302
    assert Proposal.objects.get().status == Proposal.Status.REJECTED


def test_a_staff_member_outside_the_curator_group_is_not_told(
    client, routing_map, captured, mailoutbox, django_user_model
):
    outsider = django_user_model.objects.create_user(email="staff@example.org", password=None, is_staff=True)
    outsider.centres.set([routing_map["dept_centre"]])
    submit(client, form_data(routing_map), captured)
    assert [m.to for m in mailoutbox] == [["loire@example.org"]]


def test_the_queue_lists_own_centre_proposals_with_counts_per_centre(routing_map, admin_client):
    proposal_for(routing_map, title="Paniers du Breil")
    proposal_for(routing_map, title="Tablettes pour les collégiens")
    proposal_for(routing_map, centre="region_centre", title="Masques cousus à La Roche", place=routing_map["roche"])
    proposal_for(routing_map, centre="national", title="Proposition nationale", place=None)
    changelist = reverse("admin:initiatives_proposal_changelist")

    client = Client()
    client.force_login(routing_map["dept_curator"])
    html = client.get(changelist).content.decode()
    assert "Paniers du Breil" in html and "Tablettes pour les collégiens" in html
    assert "Masques cousus" not in html and "Proposition nationale" not in html
    assert "CR 44 (2)" in html and "RésO Villes (" not in html
    assert "à traiter (2)" in html
    assert "aujourd&#x27;hui" in html  # days waiting

    html = admin_client.get(changelist).content.decode()
    assert "CR 44 (2)" in html and "RésO Villes (1)" in html and f"{routing_map['national']} (1)" in html
    assert "à traiter (4)" in html


def test_the_queue_has_no_add_and_deletion_is_for_administrators(routing_map, admin_client):
    proposal = proposal_for(routing_map)
    client = Client()
    client.force_login(routing_map["dept_curator"])
    assert client.get(reverse("admin:initiatives_proposal_add")).status_code == 403
    assert client.get(reverse("admin:initiatives_proposal_delete", args=[proposal.pk])).status_code == 403
    # Nothing the visitor typed can be edited: the change page is read-only.
    page = client.get(reverse("admin:initiatives_proposal_change", args=[proposal.pk])).content.decode()
    assert 'name="title"' not in page and 'name="_save"' not in page
    assert admin_client.get(reverse("admin:initiatives_proposal_delete", args=[proposal.pk])).status_code == 200


# Hostile text, end to end


def test_hostile_text_is_escaped_in_the_admin_and_on_the_published_case(client, routing_map, captured):
    data = form_data(
        routing_map,
        title=HOSTILE,
        description=HOSTILE,
        source=HOSTILE,
        **{"acteur-0-name": HOSTILE, "acteur-1-name": f"Association {HOSTILE}"},
    )
    assert submit(client, data, captured).status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.title == HOSTILE and proposal.actors[0]["name"] == HOSTILE  # stored as typed

    curator = routing_map["dept_curator"]
    client.force_login(curator)
    for url in [
        reverse("admin:initiatives_proposal_changelist"),
        reverse("admin:initiatives_proposal_change", args=[proposal.pk]),
    ]:
        html = client.get(url).content.decode()
        assert ESCAPED in html, url
        assert "<script>alert(1)" not in html, url

    response = client.post(accept_url(proposal))
    assert "<script>alert(1)" not in client.get(response["Location"]).content.decode()
    initiative = Initiative.objects.get(proposals=proposal)
    services.change_status(initiatives=[initiative], to=Initiative.Status.REVIEW, user=curator)
    services.change_status(initiatives=[initiative], to=Initiative.Status.PUBLISHED, user=curator)
    client.logout()
    html = client.get(initiative.get_absolute_url()).content.decode()
    assert html.count(ESCAPED) >= 3  # title, summary, actors
    assert "<script>alert(1)" not in html
    assert Involvement.objects.filter(initiative=initiative).count() == 2


# Services called directly


def test_submit_proposal_commits_before_notifying(routing_map, captured, mailoutbox):
    with captured() as callbacks:
        proposal = submit_proposal(
            title="Aide aux devoirs", description="En visio.", contact_email="a@example.org", place=routing_map["breil"]
        )
        assert mailoutbox == []  # nothing leaves before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    assert [m.to for m in mailoutbox] == [["loire@example.org"]]
    proposal.refresh_from_db()
    assert proposal.centre == routing_map["dept_centre"] and proposal.notified_at is not None


def test_the_confirmation_page_without_a_valid_token_stays_generic(client, routing_map):
    for url in ["/proposer/merci/", "/proposer/merci/?recu=faux"]:
        response = client.get(url)
        assert response.status_code == 200
        assert "transmise au centre de ressources" in response.content.decode()


def test_a_limit_of_zero_closes_the_form_politely(client, routing_map, captured, settings):
    settings.PROPOSALS_PER_HOUR = 0
    response = submit(client, form_data(routing_map), captured)
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert Proposal.objects.count() == 0
