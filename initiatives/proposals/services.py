"""Public case proposals: submit, notify, accept, reject (DESIGN, Data flow: services).

A proposal is stored and routed first, in its own transaction; the e-mail to
the curators is sent only once that transaction has committed
(``transaction.on_commit``), and a failing mail server is logged, never
raised: the proposal stays in the queue with ``notified_at`` empty, so nothing
a visitor typed is lost because of the mail. Accepting creates a draft case in
one revision of the history; rejecting keeps the proposal with its reason.
"""

import logging

import reversion
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from crpv_site.models import User
from crpv_site.roles import CURATORS
from initiatives import permissions
from initiatives.browse.keys import writing
from initiatives.models import Actor, Initiative, Involvement, Proposal
from initiatives.services import named_actor, unique_slug
from initiatives.text import normalise_name
from territories.models import ResourceCentre
from territories.services import choose_curating_centre

logger = logging.getLogger(__name__)

REASON_MAX = 2000
SUBJECT_MAX = 150


# Submission and notification


def submit_proposal(
    *,
    title: str,
    description: str,
    contact_email: str,
    place=None,
    place_text: str = "",
    themes=(),
    actors=(),
    source: str = "",
) -> Proposal:
    """Store a visitor's proposal, routed to the most specific centre covering ``place``.

    ``actors`` is a list of ``{"name", "kind", "role"}`` (kind "" when the visitor
    does not know). The curators are told by e-mail after the commit.
    """
    with transaction.atomic():
        centre = choose_curating_centre(territory=place)
        if centre is None:  # loaded by load_territories; without it nothing can route a proposal
            raise ImproperlyConfigured("Aucun centre de ressources national : lancez load_territories.")
        proposal = Proposal.objects.create(
            title=title,
            description=description,
            place=place,
            place_text=place_text,
            actors=[{"name": a["name"], "kind": a.get("kind", ""), "role": a["role"]} for a in actors],
            source=source,
            contact_email=contact_email,
            centre=centre,
        )
        proposal.themes.set(themes)
        transaction.on_commit(lambda: notify_curators(proposal=proposal))
    return proposal


def recipients_for(centre: ResourceCentre) -> list[str]:
    """The active curators of ``centre``, else the administrators.

    Not the national network's curators: the queue shows each curator the
    proposals of their own centres only, so they could not open the link.
    """
    curators = (
        User.objects.filter(is_active=True, is_staff=True)
        .filter(Q(groups__name=CURATORS) | Q(is_superuser=True))
        .exclude(email="")
    )
    for qs in (
        curators.filter(centres=centre),
        User.objects.filter(is_active=True, is_superuser=True).exclude(email=""),
    ):
        emails = sorted(set(qs.values_list("email", flat=True)))
        if emails:
            return emails
    return []


def _one_line(text: str, limit: int) -> str:
    """Header-safe: no line break can reach a subject (Django would refuse it, BadHeaderError)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def notification_messages(proposal: Proposal, recipients: list[str]) -> list[EmailMessage]:
    """Plain text, one message per curator (nobody sees the others' addresses)."""
    link = settings.SITE_URL + reverse("admin:initiatives_proposal_change", args=[proposal.pk])
    place = proposal.place or proposal.place_text or "lieu non précisé"
    subject = _one_line(f"[Proximités] Nouvelle proposition : {proposal.title}", SUBJECT_MAX)
    description = proposal.description if len(proposal.description) <= 1500 else proposal.description[:1500] + "…"
    body = "\n".join(
        [
            "Bonjour,",
            "",
            f"Une nouvelle initiative a été proposée sur Proximités pour {proposal.centre.name}.",
            "",
            f"Titre : {_one_line(proposal.title, 300)}",
            f"Lieu : {place}",
            "",
            description,
            "",
            "Pour la lire en entier, l'accepter (elle devient un brouillon) ou la rejeter :",
            link,
            "",
            "L'adresse de contact de la personne n'est visible que dans l'administration.",
            "",
            "— Proximités",
        ]
    )
    return [EmailMessage(subject=subject, body=body, to=[email]) for email in recipients]


def notify_curators(*, proposal: Proposal) -> bool:
    """E-mail the curators about ``proposal``; True when sent. Never raises on a mail failure."""
    recipients = recipients_for(proposal.centre)
    if not recipients:
        logger.warning("Proposition %s : aucun·e destinataire à prévenir.", proposal.pk)
        return False
    try:
        # A bounded wait: the visitor's request sends it (EMAIL_TIMEOUT when set, else 10 s).
        connection = get_connection(timeout=settings.EMAIL_TIMEOUT or 10)
        sent = connection.send_messages(notification_messages(proposal, recipients))
    except Exception:  # SMTP down, refused, timed out...: the proposal is safe in the database
        logger.exception("Proposition %s : l'e-mail aux curateur·rices n'est pas parti.", proposal.pk)
        return False
    if not sent:
        return False
    proposal.notified_at = timezone.now()
    Proposal.objects.filter(pk=proposal.pk).update(notified_at=proposal.notified_at)
    return True


# Curation


def _actor_for(name: str, kind: str) -> Actor | None:
    """The named actor of that name or alias (as the loaders find it), else a new one of ``kind``."""
    if not normalise_name(name):
        return None
    return named_actor(name, kind=kind if kind in Actor.Kind.values else "")


def _locked_new(proposal: Proposal, user) -> Proposal:
    proposal = Proposal.objects.select_for_update(of=("self",)).select_related("centre", "place").get(pk=proposal.pk)
    if not permissions.may_curate_centre(user, proposal.centre_id):
        raise PermissionDenied("Cette proposition est adressée à un autre centre de ressources.")
    if proposal.status != Proposal.Status.NEW:
        raise ValidationError(f"Cette proposition a déjà été traitée ({proposal.get_status_display()}).")
    return proposal


@writing()
def accept_proposal(*, proposal: Proposal, user) -> Initiative:
    """Create a draft case from ``proposal``, link them, and record who did it, in one revision."""
    proposal = _locked_new(proposal, user)
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(f"Créé depuis la proposition n° {proposal.pk}")
        initiative = Initiative(
            title=proposal.title,
            slug=unique_slug(Initiative, proposal.title, max_length=140, fallback="cas"),
            summary=proposal.description,
            territory=proposal.place,
            curating_centre=proposal.centre,
            documentation_level=Initiative.DocumentationLevel.DESCRIBED,
            status=Initiative.Status.DRAFT,
        )
        initiative.save()
        initiative.themes.set(proposal.themes.all())
        seen = set()
        for item in proposal.actors:
            role = item.get("role") if item.get("role") in Involvement.Role.values else Involvement.Role.PARTNER
            actor = _actor_for(item.get("name", "").strip(), item.get("kind", ""))
            if actor is not None and (actor.pk, role) not in seen:
                Involvement.objects.create(initiative=initiative, actor=actor, role=role)
                seen.add((actor.pk, role))
        reversion.add_to_revision(initiative)  # again, now with its involvements
    proposal.status = Proposal.Status.ACCEPTED
    proposal.initiative = initiative
    proposal.handled_by = user
    proposal.handled_at = timezone.now()
    proposal.save(update_fields=["status", "initiative", "handled_by", "handled_at"])
    return initiative


@transaction.atomic
def reject_proposal(*, proposal: Proposal, user, reason: str) -> Proposal:
    """Mark ``proposal`` rejected with ``reason`` (required): it stays in the queue, for the record."""
    proposal = _locked_new(proposal, user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Indiquez le motif du rejet.")
    if len(reason) > REASON_MAX:
        raise ValidationError(f"Le motif ne doit pas dépasser {REASON_MAX} caractères (il en a {len(reason)}).")
    proposal.status = Proposal.Status.REJECTED
    proposal.rejection_reason = reason
    proposal.handled_by = user
    proposal.handled_at = timezone.now()
    proposal.save(update_fields=["status", "rejection_reason", "handled_by", "handled_at"])
    return proposal
