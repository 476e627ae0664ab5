"""Reference lists cases are classified by: themes (two levels), publics, crisis periods, and the source reports."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from territories.models import ResourceCentre


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
        return reverse("browse:theme", kwargs={"slug": self.slug})

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


class ThesaurusEntry(models.Model):
    """Words a search treats as one: synonyms, or an acronym and what it stands for.

    Seeded from ``fixtures/reference/thesaurus.yaml`` (``load_demo_data``,
    ``manage.py load_thesaurus``); an entry changed in the admin is marked
    ``edited`` and a reload of the file leaves it alone. Applied at query time by
    ``initiatives.browse.thesaurus`` on both databases.
    """

    class Kind(models.TextChoices):
        SYNONYMS = "synonymes", "synonymes"
        ACRONYM = "sigle", "sigle"

    key = models.SlugField("identifiant", max_length=60, unique=True)
    kind = models.CharField("type", max_length=10, choices=Kind.choices, default=Kind.SYNONYMS)
    acronym = models.CharField(
        "sigle",
        max_length=20,
        blank=True,
        help_text="Pour un sigle : tel qu'il s'écrit (PRE, CCAS) ; il ne trouve que le mot entier.",
    )
    terms = models.TextField(
        "expressions",
        help_text="Une expression par ligne : des synonymes, ou ce que le sigle veut dire. "
        "Chercher l'une trouve aussi les autres.",
    )
    active = models.BooleanField(
        "en service",
        default=True,
        help_text="Décochée, l'entrée ne sert plus à la recherche (on ne supprime pas une entrée : "
        "un rechargement du fichier la recréerait).",
    )
    edited = models.BooleanField(
        "modifiée dans l'administration", default=False, help_text="Un rechargement du fichier ne la touche pas."
    )
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        verbose_name = "entrée du thésaurus"
        verbose_name_plural = "thésaurus"
        ordering = ["key"]
        constraints = [
            models.CheckConstraint(condition=~Q(kind="sigle") | ~Q(acronym=""), name="thesaurus_acronym_is_set"),
        ]

    def __str__(self):
        return self.acronym or self.expressions()[0] if self.expressions() else self.key

    def expressions(self) -> list[str]:
        return [line.strip() for line in self.terms.splitlines() if line.strip()]


class Source(models.Model):
    """A report the cases come from, described on its page (/sources/<slug>/) from its own text.

    ``scope`` and ``method`` are filled from ``fixtures/reference/sources.yaml``: what the
    document is and covers, and how its cases were drawn from it. Where the report is silent a
    field stays empty (``url`` above all: only an address the report itself prints).
    """

    slug = models.SlugField("identifiant", max_length=60, unique=True)
    publisher = models.CharField("éditeur", max_length=255)
    title = models.CharField("titre", max_length=300)
    descriptive_title = models.BooleanField(
        "titre descriptif",
        default=False,
        help_text="Coché quand le document n'imprime pas de titre : le titre ci-dessus le décrit, "
        "et se cite entre crochets.",
    )
    year = models.PositiveSmallIntegerField("année")
    date_label = models.CharField("date", max_length=60, blank=True)
    url = models.URLField(
        "adresse", blank=True, help_text="Seulement une adresse que le document donne lui-même ; sinon vide."
    )
    file_name = models.CharField("fichier texte", max_length=100, blank=True)
    scope = models.TextField(
        "ce qu'est le document", blank=True, help_text="Ce qu'est le rapport et ce qu'il couvre, d'après son texte."
    )
    centre = models.ForeignKey(
        ResourceCentre,
        verbose_name="centre de ressources éditeur",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
        help_text="Le centre qui a publié le rapport ; vide pour un rapport national (Odas, ANCT).",
    )
    method = models.TextField(
        "comment les cas en ont été tirés",
        blank=True,
        help_text="Ce qui, dans le rapport, est devenu un cas de la base, et à quel niveau de documentation.",
    )

    class Meta:
        verbose_name = "source"
        verbose_name_plural = "sources"
        ordering = ["year", "slug"]

    def __str__(self):
        return f"{self.publisher}, {self.date_label or self.year}"

    def get_absolute_url(self):
        return reverse("browse:source", kwargs={"slug": self.slug})

    @property
    def cited_title(self) -> str:
        """The title as a reference gives it: « printed title », or [title that describes it]."""
        return f"[{self.title}]" if self.descriptive_title else f"« {self.title} »"

    def reference(self) -> str:
        """Publisher, title, date: how a case's citation names its report."""
        return f"{self.publisher}, {self.cited_title}, {self.date_label or self.year}"

    def how_to_cite(self) -> str:
        return f"{self.reference()}." + (f" {self.url}" if self.url else "")
