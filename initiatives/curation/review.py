"""Review of a case before publication: who may review it, and the e-mail that tells them.

A case "en relecture" has a reviewer: a curator of its curating centre or an
administrator, chosen in the case form and shown in the list. The reviewer is
e-mailed when assigned, once the change is committed. Whether the person who
submitted a case may also publish it is the centre's setting
(``ResourceCentre.requires_second_person``, checked by ``services.publication_problem``).
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from crpv_site.models import User

logger = logging.getLogger(__name__)


def eligible_reviewers(centre):
    """Active administrators, and the active curators of ``centre``."""
    people = User.objects.filter(is_active=True, is_staff=True)
    return people.filter(Q(is_superuser=True) | Q(centres=centre)).distinct().order_by("email")


def reviewer_problem(reviewer, centre) -> str | None:
    if reviewer is None or eligible_reviewers(centre).filter(pk=reviewer.pk).exists():
        return None
    return (
        f"{reviewer.email} ne curate pas {centre} : choisissez l'un·e de ses curateur·rices ou un·e administrateur·rice"
    )


def review_message(initiative, reviewer, assigned_by) -> EmailMessage:
    link = settings.SITE_URL + reverse("admin:initiatives_initiative_change", args=[initiative.pk])
    title = " ".join(initiative.title.split())
    body = "\n".join(
        [
            "Bonjour,",
            "",
            f"{assigned_by.email} vous confie la relecture d'un cas de {initiative.curating_centre} :",
            "",
            f"« {title} » ({initiative.get_status_display()})",
            "",
            "Pour le relire, le corriger, le publier ou le renvoyer en brouillon :",
            link,
            "",
            "— Proximités",
        ]
    )
    return EmailMessage(subject=f"[Proximités] Relecture : {title[:120]}", body=body, to=[reviewer.email])


def notify_reviewer(initiative, *, assigned_by) -> None:
    """E-mail the reviewer of ``initiative`` once the assignment is committed; a mail failure is logged."""
    reviewer = initiative.reviewer
    if reviewer is None or not reviewer.email:
        return

    def send():
        try:
            connection = get_connection(timeout=settings.EMAIL_TIMEOUT or 10)
            connection.send_messages([review_message(initiative, reviewer, assigned_by)])
        except Exception:  # the assignment is saved and shown in the list: the mail is a courtesy
            logger.exception("Cas %s : l'e-mail à la relectrice ou au relecteur n'est pas parti.", initiative.pk)

    transaction.on_commit(send)
