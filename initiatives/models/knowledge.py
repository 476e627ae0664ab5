"""What the reports learned (lessons) and what they point to (resources).

A *lesson* is one of a report's own cross-cutting findings or recommendations,
stated briefly and proved by verbatim excerpts (``LessonCitation``, checked by
``verify_citations`` like a case's citations). The cases that illustrate it
(``LessonEvidence``) are only those the report itself ties to it, or those a
curator links; each link says which (``basis``), and a report's link quotes the
words that make it.

A *resource* is a publication, guide, survey, meeting… a report names: its
publisher (a resource centre when it is one), date as the report gives it, kind,
themes, and the located verbatim passage that presents it.

Both follow the cases' workflow (draft → review → published → archived) and are
curated by one centre: the centre that published the report, the national
network for national reports (Odas, ANCT) — ``initiatives.permissions`` decides.
"""

import reversion
from django.db import models
from django.urls import reverse

from initiatives.models.cases import Initiative, note_first_publication
from initiatives.models.reference import Source, Theme
from territories.models import ResourceCentre

Status = Initiative.Status


class KnowledgeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)


class Curated(models.Model):
    """What lessons and resources share: their report, themes and curating centre (reverse names per
    model: ``source.lessons``, ``centre.curated_resources``…), a status in the workflow, dates."""

    slug = models.SlugField("identifiant d'URL", max_length=120, unique=True)
    source = models.ForeignKey(Source, verbose_name="rapport", on_delete=models.PROTECT, related_name="%(class)ss")
    themes = models.ManyToManyField(Theme, verbose_name="thèmes", blank=True, related_name="%(class)ss")
    curating_centre = models.ForeignKey(
        ResourceCentre,
        verbose_name="centre qui en a la charge",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="curated_%(class)ss",
    )
    status = models.CharField("statut", max_length=12, choices=Status.choices, default=Status.DRAFT)
    position = models.PositiveSmallIntegerField("ordre dans le rapport", default=0)
    published_at = models.DateTimeField("publié le", null=True, blank=True, editable=False)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = KnowledgeQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        note_first_publication(self, kwargs)
        super().save(*args, **kwargs)


@reversion.register(follow=["citations", "evidence"])
class Lesson(Curated):
    """A finding or recommendation a report states, with its excerpts and the cases that illustrate it."""

    class Kind(models.TextChoices):
        FINDING = "finding", "constat"
        RECOMMENDATION = "recommendation", "recommandation"

    kind = models.CharField("nature", max_length=16, choices=Kind.choices)
    statement = models.CharField("énoncé", max_length=200, help_text="L'enseignement en une phrase, fidèle au rapport.")
    summary = models.TextField("ce qu'en dit le rapport", blank=True)
    cases = models.ManyToManyField(
        Initiative, verbose_name="cas qui l'illustrent", through="LessonEvidence", related_name="lessons", blank=True
    )

    class Meta:
        verbose_name = "enseignement"
        verbose_name_plural = "enseignements"
        ordering = ["source__year", "source__slug", "position", "pk"]

    def __str__(self):
        return self.statement

    def get_absolute_url(self):
        return reverse("knowledge:lesson", kwargs={"slug": self.slug})


@reversion.register()
class LessonCitation(models.Model):
    """A verbatim passage of the lesson's report that states it, located."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="citations")
    locator = models.CharField("emplacement", max_length=300, help_text="Partie, intertitre ou page de l'extrait.")
    excerpt = models.TextField("extrait (verbatim)")
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "extrait"
        verbose_name_plural = "extraits"
        ordering = ["lesson", "position", "pk"]

    def __str__(self):
        return self.locator


@reversion.register()
class LessonEvidence(models.Model):
    """A case that illustrates a lesson, and who made the link: the report itself, or a curator."""

    class Basis(models.TextChoices):
        REPORT = "report", "lien fait par le rapport"
        CURATOR = "curator", "lien posé par l'équipe de curation"

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="evidence")
    initiative = models.ForeignKey(
        Initiative, verbose_name="cas", on_delete=models.CASCADE, related_name="lesson_evidence"
    )
    basis = models.CharField("origine du lien", max_length=10, choices=Basis.choices, default=Basis.CURATOR)
    excerpt = models.TextField(
        "mots du rapport qui font le lien", blank=True, help_text="Pour un lien fait par le rapport : verbatim."
    )

    class Meta:
        verbose_name = "cas qui l'illustre"
        verbose_name_plural = "cas qui l'illustrent"
        ordering = ["lesson", "basis", "initiative__title"]
        constraints = [models.UniqueConstraint(fields=["lesson", "initiative"], name="one_evidence_per_case")]

    def __str__(self):
        return str(self.initiative)


@reversion.register()
class Resource(Curated):
    """A publication, guide, survey, meeting or tool a report names, as the report presents it."""

    class Kind(models.TextChoices):
        GUIDE = "guide", "guide"
        NOTE = "note", "note"
        SURVEY = "survey", "enquête"
        STUDY = "study", "étude ou rapport"
        WEBINAR = "webinar", "webinaire"
        SEMINAR = "seminar", "rencontre ou séminaire"
        NEWSLETTER = "newsletter", "lettre d'information"
        TOOL = "tool", "outil"
        VIDEO = "video", "vidéo"
        PODCAST = "podcast", "podcast"
        NEWS = "news", "actualité"

    title = models.CharField("titre", max_length=300)
    publisher = models.CharField("éditeur", max_length=255, blank=True)
    publisher_centre = models.ForeignKey(
        ResourceCentre,
        verbose_name="centre de ressources éditeur",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="publications",
    )
    year = models.PositiveSmallIntegerField("année", null=True, blank=True)
    date_label = models.CharField("date", max_length=60, blank=True, help_text="Telle que le rapport la donne.")
    kind = models.CharField("type", max_length=12, choices=Kind.choices)
    summary = models.TextField("présentation", blank=True)
    # A CharField: the report prints some addresses without their scheme ("www.rtes.fr/…"); they are
    # kept as printed, and ``href`` links them over https.
    url = models.CharField(
        "adresse", max_length=500, blank=True, help_text="Telle que le rapport l'imprime ; vide s'il n'en donne pas."
    )
    locator = models.CharField("emplacement", max_length=300)
    excerpt = models.TextField("extrait (verbatim)")

    class Meta:
        verbose_name = "ressource"
        verbose_name_plural = "ressources"
        ordering = ["-year", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("knowledge:resource", kwargs={"slug": self.slug})

    @property
    def href(self) -> str:
        """The address as a link: one printed without its scheme is taken as https (as browsers do)."""
        if not self.url:
            return ""
        return self.url if self.url.startswith(("http://", "https://")) else f"https://{self.url}"
