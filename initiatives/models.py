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
- ``SearchDocument`` (one narrow row per case: accent-folded text and, on
  PostgreSQL, weighted ``french_unaccent`` vectors) covers title, summary,
  sections, actor names and places. ``BrowseKey`` rows are the precomputed
  facet index of published cases. Both are derived data rebuilt by
  ``initiatives.browse_index.refresh`` after every write: ``save()`` calls it,
  and so do the admin (after inlines and many-to-many fields are saved) and
  the loaders.
- Unnamed actors ("deux résidentes") are rows flagged ``is_unnamed`` whose slug
  carries their case's slug: never merged, never offered elsewhere.
"""

import reversion
from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from taggit.managers import TaggableManager

from initiatives.text import normalise_name
from territories.models import ResourceCentre, Territory


class Theme(models.Model):
    """Two levels: the seven Odas action natures as roots, finer themes below."""

    name = models.CharField("nom", max_length=150)
    slug = models.SlugField("identifiant d'URL", max_length=100, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="thème parent",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        limit_choices_to={"parent__isnull": True},
    )
    description = models.TextField("description", blank=True)
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "thème"
        verbose_name_plural = "thèmes"
        ordering = ["position", "name"]

    def __str__(self):
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    def save(self, *args, **kwargs):
        self.clean()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("initiatives:theme", kwargs={"slug": self.slug})

    def clean(self):
        if self.parent_id and (self.parent.parent_id or self.parent_id == self.pk):
            raise ValidationError(
                {"parent": "Les thèmes n'ont que deux niveaux : le parent doit être un thème racine."}
            )

    @property
    def is_root(self):
        return self.parent_id is None


class Public(models.Model):
    name = models.CharField("nom", max_length=150, unique=True)
    slug = models.SlugField("identifiant d'URL", max_length=100, unique=True)
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "public"
        verbose_name_plural = "publics"
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class CrisisPeriod(models.Model):
    """A dated period of the crisis (reference list of DESIGN)."""

    name = models.CharField("nom", max_length=100, unique=True)
    slug = models.SlugField("identifiant d'URL", max_length=60, unique=True)
    start = models.DateField("début")
    end = models.DateField("fin", null=True, blank=True)
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "période de la crise"
        verbose_name_plural = "périodes de la crise"
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="period_dates")
        ]

    def __str__(self):
        return self.name


class Source(models.Model):
    """A report the cases come from."""

    slug = models.SlugField("identifiant", max_length=60, unique=True)
    publisher = models.CharField("éditeur", max_length=255)
    title = models.CharField("titre", max_length=300)
    year = models.PositiveSmallIntegerField("année")
    date_label = models.CharField("date", max_length=60, blank=True)
    url = models.URLField("adresse", blank=True)
    file_name = models.CharField("fichier texte", max_length=100, blank=True)

    class Meta:
        verbose_name = "source"
        verbose_name_plural = "sources"
        ordering = ["year", "slug"]

    def __str__(self):
        return f"{self.publisher}, {self.date_label or self.year}"


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
        return reverse("initiatives:actor", kwargs={"slug": self.slug})


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


class InitiativeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Initiative.Status.PUBLISHED)

    def in_territory(self, territory):
        """Cases whose place lies inside ``territory`` (one indexed join)."""
        return self.filter(territory__path__startswith=territory.path)


@reversion.register(follow=["involvements", "citations", "key_figures"], exclude=["search_extra"])
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
    related = models.ManyToManyField("self", verbose_name="cas liés", blank=True, symmetrical=True)
    tags = TaggableManager("mots-clés", blank=True)

    search_extra = models.TextField(editable=False, blank=True)  # actor names and places, for both searches
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
        from territories.services import choose_curating_centre

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
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)
        from initiatives.browse_index import refresh_after_save

        refresh_after_save([self.pk])

    def get_absolute_url(self):
        return reverse("initiatives:detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.status != self.Status.DRAFT and self.territory_id is None:
            raise ValidationError(
                {"territory": "Un cas doit avoir un territoire pour passer en relecture ou être publié."}
            )

    def sections(self):
        """(label, text) of the grid sections that have text."""
        return [(label, getattr(self, field)) for field, label in self.SECTIONS if getattr(self, field)]

    def facts(self):
        return [(label, getattr(self, field)) for field, label in self.FACTS if getattr(self, field) is not None]


@reversion.register()
class Involvement(models.Model):
    class Role(models.TextChoices):
        CARRIER = "porteur", "porteur"
        PARTNER = "partenaire", "partenaire"
        FUNDER = "financeur", "financeur"
        RELAY = "relais", "relais"

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="involvements")
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


@reversion.register()
class Citation(models.Model):
    """Where a case comes from: a verbatim excerpt of a report, located."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="citations")
    source = models.ForeignKey(Source, verbose_name="source", on_delete=models.PROTECT, related_name="citations")
    locator = models.CharField(
        "emplacement", max_length=300, help_text="Titre de l'encadré, intertitre ou fiche où se trouve l'extrait."
    )
    excerpt = models.TextField("extrait (verbatim)")
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "citation"
        verbose_name_plural = "citations"
        ordering = ["initiative", "position", "pk"]

    def __str__(self):
        return f"{self.source.slug} — {self.locator}"


class SearchDocument(models.Model):
    """What search reads, one narrow row per case, apart from the wide ``Initiative`` rows.

    A search matching most cases reads every matching row: on ``Initiative``
    (5 KB a row with the sections) that meant 300 MB at 100,000 cases; here a
    row is a few hundred bytes, the long ``text`` and ``vector`` living out of
    line in TOAST storage until a row needs them.
    - ``text``: the folded words of every searched field (SQLite's search,
      PostgreSQL's trigram fallback);
    - ``vector`` (PostgreSQL): title A; summary, actors and places B; sections C;
    - ``rank_vector`` (PostgreSQL): the same without the sections, which orders
      the matches: small enough to stay in the row, it ranks tens of thousands.
    ``published`` is copied from the case so that a search never joins back.
    Rebuilt by ``initiatives.browse_index.refresh``.
    """

    initiative = models.OneToOneField(
        Initiative, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    published = models.BooleanField(default=False)
    text = models.TextField(blank=True)
    vector = SearchVectorField(null=True)
    rank_vector = SearchVectorField(null=True)

    class Meta:
        verbose_name = "document de recherche"
        verbose_name_plural = "documents de recherche"

    def __str__(self):
        return f"recherche de {self.initiative_id}"


class BrowseKey(models.Model):
    """One facet value of one published case: the precomputed facet index.

    ``facet`` is a facet's name (``theme``, ``region``, ``carrier_kind``...),
    ``value`` the value's key (a slug or an INSEE code). A case filed under a
    finer theme also gets its root theme's key, so that choosing a root
    includes its children. Filtering a facet is ``id IN (keys of the chosen
    values)``; counting it is one ``GROUP BY value`` on this narrow, indexed
    table. Only published cases have rows, so nothing unpublished can leak
    into a count. Rebuilt by ``initiatives.browse_index.refresh``.
    """

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="browse_keys")
    facet = models.CharField(max_length=20)
    value = models.CharField(max_length=120)

    class Meta:
        verbose_name = "clé de navigation"
        verbose_name_plural = "clés de navigation"
        constraints = [
            models.UniqueConstraint(fields=["facet", "value", "initiative"], name="browse_key_unique"),
        ]
        indexes = [models.Index(fields=["initiative", "facet"], name="browse_key_initiative")]

    def __str__(self):
        return f"{self.facet}={self.value}"


class BrowseVersion(models.Model):
    """The version of the facet index: one row, incremented by every write.

    ``UPDATE … SET version = version + 1`` locks the row until the writing
    transaction ends, so versions become visible in the order they were
    given: a reader that sees version N sees every change up to N. The token
    changes with each version: a version number can come back after a
    rolled-back transaction, a random token cannot.
    """

    version = models.BigIntegerField(default=0)
    token = models.CharField(max_length=32, blank=True)

    class Meta:
        verbose_name = "version de l'index"
        verbose_name_plural = "versions de l'index"

    def __str__(self):
        return f"version {self.version}"


class BrowseChange(models.Model):
    """A write to the facet index: which case changed (NULL: all of them), at which version.

    Server processes keep the facet index in memory (``initiatives.facet_index``)
    and compare ``BrowseVersion`` with theirs on every request (one query): a
    newer version means "re-read the cases of the changes since mine" (or
    everything, for NULL), so every process is up to date after every write.
    """

    initiative_id = models.BigIntegerField(null=True, db_index=False)
    version = models.BigIntegerField(default=0, db_index=True)
    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = "modification de l'index"
        verbose_name_plural = "modifications de l'index"

    def __str__(self):
        return f"{self.pk}: {self.initiative_id or 'tout'}"


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


class Proposal(models.Model):
    """A case proposed by a visitor on /proposer/, without an account.

    Stored first, then routed to the centre whose coverage is the most
    specific for the place (national network as fallback) and notified to its
    curators (``initiatives.proposals``). Accepting it creates a draft case
    linked here; rejecting it keeps it with the reason. The contact e-mail is
    private: it never leaves the admin. Every text is stored as typed and
    rendered escaped.
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
    contact_email = models.EmailField("e-mail de contact (privé)")
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
