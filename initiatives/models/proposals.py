"""Cases proposed by visitors on /proposer/ (see ``initiatives.proposals``)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from initiatives.models.cases import Initiative
from initiatives.models.reference import Theme
from territories.models import ResourceCentre, Territory


class Proposal(models.Model):
    """A case proposed by a visitor on /proposer/, without an account.

    Stored first, then routed to the centre whose coverage is the most
    specific for the place (national network as fallback) and notified to its
    curators (``initiatives.proposals``). Accepting it creates a draft case
    linked here; rejecting it keeps it with the reason. The contact e-mail is
    private: it never leaves the admin, and is erased once the proposal is
    older than the retention (``manage.py purge_proposal_contacts``). Every
    text is stored as typed and rendered escaped.
    """

    class Status(models.TextChoices):
        NEW = "new", "à traiter"
        ACCEPTED = "accepted", "acceptée"
        REJECTED = "rejected", "rejetée"

    # Size limits of the public form (also the columns' lengths).
    TITLE_MAX = 200
    DESCRIPTION_MAX = 5000
    PLACE_MAX = 200
    SOURCE_MAX = 1000
    ACTOR_NAME_MAX = 200
    ACTORS_MAX = 8

    title = models.CharField("titre", max_length=TITLE_MAX)
    description = models.TextField("description")
    place = models.ForeignKey(
        Territory, verbose_name="lieu", on_delete=models.PROTECT, related_name="proposals", null=True, blank=True
    )
    place_text = models.CharField("lieu saisi", max_length=PLACE_MAX, blank=True)
    themes = models.ManyToManyField(Theme, verbose_name="thèmes", blank=True, related_name="proposals")
    actors = models.JSONField(
        "acteurs", default=list, blank=True, help_text="Liste de {name, kind, role} saisie par la personne."
    )
    source = models.TextField("source ou lien", blank=True)
    # Erased once the proposal is older than PROPOSAL_CONTACT_RETENTION_DAYS (initiatives.proposals.retention).
    contact_email = models.EmailField("e-mail de contact (privé)", blank=True)
    contact_erased_at = models.DateTimeField("e-mail de contact effacé le", null=True, blank=True)
    centre = models.ForeignKey(
        ResourceCentre,
        verbose_name="centre de ressources destinataire",
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    status = models.CharField("statut", max_length=16, choices=Status.choices, default=Status.NEW, db_index=True)
    rejection_reason = models.TextField("motif du rejet", blank=True)
    initiative = models.ForeignKey(
        Initiative,
        verbose_name="cas créé",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
    )
    created_at = models.DateTimeField("reçue le", auto_now_add=True, db_index=True)
    notified_at = models.DateTimeField("curateur·rices prévenu·es le", null=True, blank=True)
    handled_at = models.DateTimeField("traitée le", null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="traitée par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handled_proposals",
    )

    class Meta:
        verbose_name = "proposition"
        verbose_name_plural = "propositions"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="rejected_proposal_has_reason",
            ),
        ]

    def __str__(self):
        return self.title


class ProposalCounter(models.Model):
    """How many proposals one client address sent in one window of the rate limit, when no Redis is
    configured (``initiatives.proposals.ratelimit``). Incremented by one SQL upsert, so that
    simultaneous submissions can never read the same count; rows of past windows are purged there."""

    client = models.CharField("client (empreinte de l'adresse)", max_length=64)
    window_start = models.BigIntegerField("début de la fenêtre (secondes Unix)", db_index=True)
    count = models.PositiveIntegerField("propositions", default=0)

    class Meta:
        verbose_name = "compteur de propositions"
        verbose_name_plural = "compteurs de propositions"
        constraints = [
            models.UniqueConstraint(fields=["client", "window_start"], name="one_proposal_counter_per_window"),
        ]

    def __str__(self):
        return f"{self.client[:8]}… {self.window_start} : {self.count}"
