"""Who acts in a case, and in which role.

A named organisation is one ``Actor`` row across all cases, found again by
``normalised_name`` or an ``ActorAlias``. Unnamed actors ("deux résidentes")
are rows flagged ``is_unnamed`` whose slug carries their case's slug: never
merged, never offered elsewhere.
"""

import reversion
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify

from initiatives.text import normalise_name
from territories.models import Territory


class ActorQuerySet(models.QuerySet):
    def named(self):
        return self.filter(is_unnamed=False)


class Actor(models.Model):
    """Who acts: formal (associations, companies), informal (residents,
    collectives) or institutional (State, local authorities, CAF, schools,
    social landlords...). A named organisation is one row across all cases,
    found again by ``normalised_name`` or by an alias."""

    class Kind(models.TextChoices):
        FORMAL = "formal", "formel"
        INFORMAL = "informal", "informel"
        INSTITUTIONAL = "institutional", "institutionnel"

    class Category(models.TextChoices):
        ASSOCIATION = "association", "association"
        CENTRE_SOCIAL = "centre-social", "centre social"
        ENTREPRISE = "entreprise", "entreprise"
        FONDATION = "fondation", "fondation"
        CENTRE_DE_RESSOURCES = "centre-de-ressources", "centre de ressources"
        COLLECTIF_HABITANTS = "collectif-habitants", "collectif d'habitant·es"
        HABITANT = "habitant", "habitant·e"
        ETAT = "etat", "État"
        COMMUNE = "commune", "commune"
        INTERCOMMUNALITE = "intercommunalite", "intercommunalité"
        DEPARTEMENT = "departement", "département"
        REGION = "region", "région"
        CAF = "caf", "CAF"
        CCAS = "ccas", "CCAS"
        ETABLISSEMENT_SCOLAIRE = "etablissement-scolaire", "établissement scolaire"
        EDUCATION_NATIONALE = "education-nationale", "Éducation nationale"
        BAILLEUR_SOCIAL = "bailleur-social", "bailleur social"
        SANTE = "sante", "santé"
        SERVICE_PUBLIC = "service-public", "autre service public"

    name = models.CharField("nom", max_length=255)
    slug = models.SlugField("identifiant d'URL", max_length=255, unique=True)
    # Blank = "non précisé": a report that names an organisation without saying
    # what it is establishes neither its kind nor its category (house rule: invent nothing).
    kind = models.CharField("type d'acteur", max_length=16, choices=Kind.choices, blank=True, db_index=True)
    category = models.CharField("catégorie", max_length=32, choices=Category.choices, blank=True, db_index=True)
    territory = models.ForeignKey(
        Territory, verbose_name="territoire", null=True, blank=True, on_delete=models.SET_NULL, related_name="actors"
    )
    is_unnamed = models.BooleanField(
        "acteur non nommé",
        default=False,
        help_text="« Deux résidentes », « une association de commerçants » : propre à un seul cas, jamais fusionné.",
    )
    normalised_name = models.CharField(max_length=255, editable=False, db_index=True)
    website = models.URLField("site internet", blank=True)

    objects = ActorQuerySet.as_manager()

    class Meta:
        verbose_name = "acteur"
        verbose_name_plural = "acteurs"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["normalised_name"], condition=Q(is_unnamed=False), name="named_actor_unique_name"
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.normalised_name = normalise_name(self.name)
        if not self.slug:
            self.slug = slugify(self.name)[:240] or "acteur"
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("browse:actor", kwargs={"slug": self.slug})


class ActorAlias(models.Model):
    """Another name of a named actor ("CD 54" for "Département de Meurthe-et-Moselle")."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField("autre nom", max_length=255)
    normalised_name = models.CharField(max_length=255, unique=True, editable=False)

    class Meta:
        verbose_name = "autre nom"
        verbose_name_plural = "autres noms"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.normalised_name = normalise_name(self.name)
        super().save(*args, **kwargs)


@reversion.register()
class Involvement(models.Model):
    class Role(models.TextChoices):
        CARRIER = "porteur", "porteur"
        PARTNER = "partenaire", "partenaire"
        FUNDER = "financeur", "financeur"
        RELAY = "relais", "relais"

    initiative = models.ForeignKey("initiatives.Initiative", on_delete=models.CASCADE, related_name="involvements")
    actor = models.ForeignKey(Actor, verbose_name="acteur", on_delete=models.PROTECT, related_name="involvements")
    role = models.CharField("rôle", max_length=16, choices=Role.choices, default=Role.CARRIER)
    note = models.CharField("précision", max_length=255, blank=True)

    class Meta:
        verbose_name = "implication"
        verbose_name_plural = "acteurs impliqués"
        ordering = ["initiative", "role", "actor__name"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "actor", "role"], name="involvement_unique_role"),
        ]
        indexes = [models.Index(fields=["actor", "role"], name="involvement_actor_role")]

    def __str__(self):
        return f"{self.actor} ({self.get_role_display()})"
