"""Initiatives (the cases), their actors, themes, publics, periods and sources.

Choices that depart from or refine the DESIGN sketch:
- ``CrisisPeriod`` is a table (the dated reference list), so that a period
  facet and a period page are plain joins, and dates live in one place.
- Key figures are rows (``KeyFigure``), not a JSON list, so the admin edits them
  inline and history (curation issue) tracks them like citations.
- ``precision`` is derived from the territory's kind in ``save()``: a case
  cannot claim "commune" while pointing to a département.
- ``region``/``department`` are denormalised from the territory in ``save()``
  for the facets; the admin and the loaders all go through ``save()``.
- ``save()`` derives only columns of the case's own row (slug, precision,
  région/département keys, curating centre, first publication date). The
  derived data of other tables (``SearchDocument``, ``BrowseKey``: see
  ``initiatives.models.index``) is rebuilt at the write boundary,
  ``initiatives.browse.keys``, which signals tell what each write touched.
- Unnamed actors ("deux résidentes") are rows flagged ``is_unnamed`` whose slug
  carries their case's slug: never merged, never offered elsewhere.
"""

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from taggit.managers import TaggableManager

from initiatives.models.actors import Actor
from initiatives.models.reference import CrisisPeriod, Public, Theme
from initiatives.text import sentence
from territories.models import ResourceCentre, Territory
from territories.services import choose_curating_centre


class InitiativeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Initiative.Status.PUBLISHED)

    def in_territory(self, territory):
        """Cases concerning a place inside ``territory``: their main place, one of their other
        places, or a QPV of theirs that also lies there (a QPV over two communes). Subqueries on the
        indexed path, no join: the case rows are never repeated."""
        places = Territory.objects.inside(territory).values("pk")
        overlapping = Territory.objects.filter(also_in__in=places).values("pk")
        elsewhere = Initiative.other_places.through.objects.filter(territory__in=places).values("initiative_id")
        return self.filter(Q(territory__in=places) | Q(territory__in=overlapping) | Q(pk__in=elsewhere))


def published_count(relation: str) -> models.Count:
    """An annotation counting the published cases reached through ``relation`` (a territory's, a centre's...)."""
    return models.Count(relation, filter=Q(**{f"{relation}__status": Initiative.Status.PUBLISHED}), distinct=True)


def territory_problem(status, territory) -> str | None:
    """Beyond draft a case needs a place (also a database constraint): why not, or None.

    The one wording of the rule, for the form, the workflow and the import.
    """
    if status == Initiative.Status.DRAFT or territory is not None:
        return None
    label = Initiative.Status(status).label
    return f"un territoire est obligatoire pour un cas « {label} » (seul un brouillon s'en passe)"


@reversion.register(follow=["involvements", "citations", "key_figures"])
class Initiative(models.Model):
    """A local initiative (a "case"), with the Odas analysis grid and questionnaire facts."""

    class Status(models.TextChoices):
        DRAFT = "draft", "brouillon"
        REVIEW = "review", "en relecture"
        PUBLISHED = "published", "publié"
        ARCHIVED = "archived", "archivé"

    class DocumentationLevel(models.TextChoices):
        LISTED = "listed", "simplement listé"
        DESCRIBED = "described", "décrit"
        ANALYSED = "analysed", "analysé en détail"

    class Precision(models.TextChoices):
        QPV = "qpv", "quartier (QPV)"
        QUARTIER = "quartier", "quartier (hors QPV)"
        COMMUNE = "commune", "commune"
        DEPARTMENT = "department", "département"
        REGION = "region", "région"
        NATIONAL = "national", "national"

    class Setting(models.TextChoices):
        URBAN = "urbain", "urbain"
        PERIURBAN = "periurbain", "péri-urbain"
        RURAL = "rural", "rural"

    PRECISION_OF_KIND = {
        Territory.Kind.COUNTRY: Precision.NATIONAL,
        Territory.Kind.REGION: Precision.REGION,
        Territory.Kind.DEPARTMENT: Precision.DEPARTMENT,
        Territory.Kind.EPCI: Precision.DEPARTMENT,
        Territory.Kind.COMMUNE: Precision.COMMUNE,
        Territory.Kind.ARRONDISSEMENT: Precision.COMMUNE,
        Territory.Kind.QPV: Precision.QPV,
        Territory.Kind.QUARTIER: Precision.QUARTIER,
    }
    # The Odas analysis grid (002_f1e431bb47be07c4.txt, Annexe 3), in reading order.
    SECTIONS = [
        ("issues", "Enjeux et besoins repérés"),
        ("context", "Origine et contexte"),
        ("actions", "Actions mises en œuvre"),
        ("partnerships", "Partenariats"),
        ("obstacles", "Freins et difficultés"),
        ("means", "Moyens humains et financiers"),
        ("communication", "Communication"),
        ("practice_change", "Évolution des pratiques professionnelles"),
        ("impacts", "Impacts et résultats"),
        ("steering", "Pilotage et évaluation"),
        ("transferability", "Transférabilité et perspectives"),
        ("people_interviewed", "Personnes rencontrées"),
    ]
    FACTS = [
        ("volunteers", "S'appuie sur des bénévoles"),
        ("new_publics", "Touche de nouveaux publics en précarité"),
        ("unprecedented_cooperation", "Coopération ou partenariat inédit"),
        ("freed_from_rule", "S'est émancipée d'une règle ou d'une norme"),
        ("continued", "Poursuivie après la crise"),
    ]

    title = models.CharField("titre", max_length=255)
    slug = models.SlugField("identifiant d'URL", max_length=140, unique=True)
    summary = models.TextField("résumé", blank=True)

    issues = models.TextField("enjeux et besoins repérés", blank=True)
    context = models.TextField("origine et contexte", blank=True)
    actions = models.TextField("actions mises en œuvre", blank=True)
    partnerships = models.TextField("partenariats", blank=True)
    obstacles = models.TextField("freins et difficultés", blank=True)
    means = models.TextField("moyens humains et financiers", blank=True)
    communication = models.TextField("communication", blank=True)
    practice_change = models.TextField("évolution des pratiques professionnelles", blank=True)
    impacts = models.TextField("impacts et résultats", blank=True)
    steering = models.TextField("pilotage et évaluation", blank=True)
    transferability = models.TextField("transférabilité et perspectives", blank=True)
    people_interviewed = models.TextField("personnes rencontrées", blank=True)

    territory = models.ForeignKey(
        Territory,
        verbose_name="territoire",
        on_delete=models.PROTECT,
        related_name="initiatives",
        null=True,
        blank=True,
        help_text="Obligatoire pour passer en relecture ou publier.",
    )
    other_places = models.ManyToManyField(
        Territory,
        verbose_name="autres lieux concernés",
        blank=True,
        related_name="initiatives_elsewhere",
        help_text="Les autres communes, quartiers ou départements de la même action : un seul cas, "
        "trouvé depuis chacun de ses lieux.",
    )
    precision = models.CharField(
        "précision géographique",
        max_length=16,
        choices=Precision.choices,
        editable=False,
        db_index=True,
        blank=True,
    )
    region = models.ForeignKey(
        Territory,
        verbose_name="région",
        null=True,
        on_delete=models.PROTECT,
        related_name="initiatives_in_region",
        editable=False,
    )
    department = models.ForeignKey(
        Territory,
        verbose_name="département",
        null=True,
        on_delete=models.PROTECT,
        related_name="initiatives_in_department",
        editable=False,
    )
    setting = models.CharField("milieu", max_length=16, choices=Setting.choices, blank=True)

    periods = models.ManyToManyField(
        CrisisPeriod, verbose_name="périodes de la crise", blank=True, related_name="initiatives"
    )
    start_date = models.DateField("date de début", null=True, blank=True)
    end_date = models.DateField("date de fin", null=True, blank=True)

    volunteers = models.BooleanField("s'appuie sur des bénévoles", null=True, blank=True)
    new_publics = models.BooleanField("touche de nouveaux publics en précarité", null=True, blank=True)
    unprecedented_cooperation = models.BooleanField("coopération ou partenariat inédit", null=True, blank=True)
    freed_from_rule = models.BooleanField("s'est émancipée d'une règle ou d'une norme", null=True, blank=True)
    continued = models.BooleanField("poursuivie après la crise", null=True, blank=True)

    documentation_level = models.CharField(
        "niveau de documentation", max_length=16, choices=DocumentationLevel.choices, db_index=True
    )
    status = models.CharField(
        "statut éditorial", max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField("publié le", null=True, blank=True)
    needs_update = models.BooleanField("à mettre à jour", default=False)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="relecteur·rice",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases_to_review",
        help_text="Qui relit le cas en relecture : un·e curateur·rice du centre référent ou un·e administrateur·rice. "
        "Prévenu·e par e-mail.",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="soumis à relecture par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    curating_centre = models.ForeignKey(
        ResourceCentre,
        verbose_name="centre de ressources référent",
        on_delete=models.PROTECT,
        related_name="curated_initiatives",
        null=True,
        blank=True,
        help_text="Laissé vide, il est choisi automatiquement : centre qui a signalé le cas, "
        "sinon centre dont la couverture est la plus précise, sinon le réseau national.",
    )
    reporting_centre = models.ForeignKey(
        ResourceCentre,
        verbose_name="centre de ressources qui l'a signalé",
        on_delete=models.PROTECT,
        related_name="reported_initiatives",
        null=True,
        blank=True,
    )
    themes = models.ManyToManyField(Theme, verbose_name="thèmes", blank=True, related_name="initiatives")
    publics = models.ManyToManyField(Public, verbose_name="publics", blank=True, related_name="initiatives")
    actors = models.ManyToManyField(Actor, through="Involvement", related_name="initiatives", verbose_name="acteurs")
    # One-way: a link shows on the case whose form set it, so a curator never writes onto another
    # centre's case (issue 13). The loaders link the reports' related cases both ways.
    related = models.ManyToManyField(
        "self",
        verbose_name="cas liés",
        blank=True,
        symmetrical=False,
        related_name="related_from",
        help_text="Affichés sur la page de ce cas seulement ; pour un lien dans les deux sens, liez aussi "
        "l'autre cas depuis sa fiche.",
    )
    tags = TaggableManager("mots-clés", blank=True)

    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        verbose_name = "initiative"
        verbose_name_plural = "initiatives"
        ordering = ["-published_at", "title"]
        indexes = [
            # The list's default order ("les plus récents") among published cases.
            models.Index(fields=["status", "-published_at", "id"], name="initiative_published_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="initiative_dates_in_order",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="published_initiative_has_date",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(territory__isnull=False),
                name="initiative_beyond_draft_has_territory",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.title)[:140]
        territory = self.territory
        if territory is None:  # a draft whose place is not known yet
            self.precision, self.region_id, self.department_id = "", None, None
        else:
            self.precision = self.PRECISION_OF_KIND[territory.kind]
            self.region_id = territory.pk if territory.kind == Territory.Kind.REGION else territory.region_id
            self.department_id = (
                territory.pk if territory.kind == Territory.Kind.DEPARTMENT else territory.department_id
            )
        if self.curating_centre_id is None:
            self.curating_centre = choose_curating_centre(territory=territory, reporting_centre=self.reporting_centre)
        note_first_publication(self, kwargs)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("browse:detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        problem = territory_problem(self.status, self.territory_id)
        if problem:
            raise ValidationError({"territory": sentence(problem)})

    def sections(self):
        """(label, text) of the grid sections that have text."""
        return [(label, getattr(self, field)) for field, label in self.SECTIONS if getattr(self, field)]

    def facts(self):
        return [(label, getattr(self, field)) for field, label in self.FACTS if getattr(self, field) is not None]


@reversion.register()
class KeyFigure(models.Model):
    """A short statement with a figure, as the text gives it ("650 repas par jour")."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="key_figures")
    text = models.CharField("chiffre clé", max_length=255)
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "chiffre clé"
        verbose_name_plural = "chiffres clés"
        ordering = ["initiative", "position", "pk"]

    def __str__(self):
        return self.text


class FormerSlug(models.Model):
    """An address a case had before it was merged into another: ``/initiatives/<slug>/`` answers a
    301 to the case it became, so links and citations made to the old page keep working."""

    slug = models.SlugField("ancien identifiant", max_length=140, unique=True)
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="former_slugs")

    class Meta:
        verbose_name = "ancienne adresse"
        verbose_name_plural = "anciennes adresses"

    def __str__(self):
        return f"{self.slug} → {self.initiative.slug}"


def note_first_publication(record, save_kwargs):
    """A case, lesson or resource saved as published for the first time keeps that moment
    (``published_at``, which a published record must have); archiving and publishing again keep it.
    A save limited to some fields (``update_fields`` in ``save_kwargs``) writes it too."""
    if record.status == Initiative.Status.PUBLISHED and record.published_at is None:
        record.published_at = timezone.now()
        if save_kwargs.get("update_fields") is not None:
            save_kwargs["update_fields"] = {*save_kwargs["update_fields"], "published_at"}
