"""Territories (France, régions, départements, communes, QPV) and resource centres.

Containment is a *materialised path*: every territory stores the chain of its
ancestors' keys, e.g. ``/FR/R44/D54/C54395/``. "Everything inside Grand Est"
is then ``path LIKE '/FR/R44/%'``: one query on one indexed column (with a
``varchar_pattern_ops`` index on PostgreSQL so that LIKE 'prefix%' uses it),
whatever the depth, and "every ancestor of X" is ``path IN (prefixes of X)``.
Path segments are built from official codes (INSEE), not database ids, so a
bulk load can compute them without a round trip. A QPV without its official
code yet uses its slug in the path; the code field leaves room for it.
Neighbourhoods are of two kinds: ``qpv`` (a quartier prioritaire, called so by
a report or loaded from the official list) and ``quartier`` (a neighbourhood a
report names without calling it a QPV). A QPV over several communes lies
under the first and lists the others in ``also_in``.

The denormalised ``region`` and ``department`` keys (kept in ``save()`` and by
the bulk loader) serve the région / département facets without walking the tree.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify


def path_prefixes(path: str) -> list[str]:
    """The paths of a territory and of everything above it, widest first:
    ``/FR/R44/D54/`` -> ``["/FR/", "/FR/R44/", "/FR/R44/D54/"]``."""
    parts = [p for p in (path or "").split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


class TerritoryQuerySet(models.QuerySet):
    def inside(self, territory, *, include_self=True):
        """Every territory contained in ``territory`` (one indexed query)."""
        qs = self.filter(path__startswith=territory.path)
        if not include_self:
            qs = qs.exclude(pk=territory.pk)
        return qs

    def ancestors_of(self, territory, *, include_self=True):
        """The chain from France down to ``territory``, root first."""
        prefixes = territory.path_prefixes()
        if not include_self:
            prefixes = prefixes[:-1]
        return self.filter(path__in=prefixes).order_by("depth")


class Territory(models.Model):
    class Kind(models.TextChoices):
        COUNTRY = "country", "pays"
        REGION = "region", "région"
        DEPARTMENT = "department", "département"
        EPCI = "epci", "intercommunalité"
        COMMUNE = "commune", "commune"
        ARRONDISSEMENT = "arrondissement", "arrondissement municipal"
        QPV = "qpv", "quartier prioritaire (QPV)"
        QUARTIER = "quartier", "quartier"

    NEIGHBOURHOODS = (Kind.QPV, Kind.QUARTIER)  # created under a commune, by the reports or by curators

    # Path segment prefixes; see the module docstring.
    SEGMENT_PREFIX = {
        Kind.COUNTRY: "",
        Kind.REGION: "R",
        Kind.DEPARTMENT: "D",
        Kind.EPCI: "E",
        Kind.COMMUNE: "C",
        Kind.ARRONDISSEMENT: "A",
        Kind.QPV: "Q",
        Kind.QUARTIER: "N",
    }
    DEPTH = {
        Kind.COUNTRY: 0,
        Kind.REGION: 1,
        Kind.DEPARTMENT: 2,
        Kind.EPCI: 3,
        Kind.COMMUNE: 3,
        Kind.ARRONDISSEMENT: 4,
        Kind.QPV: 5,
        Kind.QUARTIER: 5,
    }

    kind = models.CharField("type", max_length=16, choices=Kind.choices, db_index=True)
    # NULL, not "", for a QPV whose official code is not known yet: NULLs never
    # collide in the (kind, code) unique constraint, empty strings would.
    code = models.CharField(  # noqa: DJ001
        "code officiel",
        max_length=20,
        null=True,
        blank=True,
        help_text="Code INSEE (région, département, commune) ou code officiel du QPV quand il est connu.",
    )
    name = models.CharField("nom", max_length=200)
    slug = models.SlugField("identifiant d'URL", max_length=220, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="territoire parent",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField("chemin", max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField("profondeur", default=0, editable=False)
    region = models.ForeignKey(
        "self", verbose_name="région", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    department = models.ForeignKey(
        "self",
        verbose_name="département",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    population = models.PositiveIntegerField("population", null=True, blank=True)
    also_in = models.ManyToManyField(
        "self",
        verbose_name="s'étend aussi sur",
        symmetrical=False,
        blank=True,
        related_name="overlapping",
        help_text="Pour un QPV sur plusieurs communes : les autres communes (la première est son parent).",
    )
    source = models.CharField(
        "source",
        max_length=200,
        blank=True,
        help_text="D'où vient cette ligne (référentiel INSEE, rapport qui nomme le QPV...).",
    )

    objects = TerritoryQuerySet.as_manager()

    class Meta:
        verbose_name = "territoire"
        verbose_name_plural = "territoires"
        ordering = ["path"]
        constraints = [
            # NULL codes (QPV not yet identified) never collide.
            models.UniqueConstraint(fields=["kind", "code"], name="territory_unique_kind_code"),
            models.CheckConstraint(
                condition=Q(kind="country", parent__isnull=True) | (~Q(kind="country") & Q(parent__isnull=False)),
                name="territory_only_country_is_root",
            ),
        ]
        indexes = [
            models.Index(fields=["path"], name="territory_path_like", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["kind", "name"], name="territory_kind_name"),
        ]

    def __str__(self):
        if self.kind in (self.Kind.COMMUNE, self.Kind.DEPARTMENT) and self.code:
            return f"{self.name} ({self.code})"
        return self.name

    def save(self, **kwargs):  # Django 6 drops positional save() arguments
        self.refresh_derived()
        super().save(**kwargs)

    def get_absolute_url(self):
        return reverse("browse:territory", kwargs={"slug": self.slug})

    @property
    def segment(self):
        key = self.code if self.code else self.slug
        return f"{self.SEGMENT_PREFIX[self.kind]}{key}"

    def refresh_derived(self):
        """Compute slug, path, depth and the denormalised région/département keys."""
        if not self.slug:
            self.slug = self.default_slug(self.kind, self.name, self.code, self.parent)
        if self.parent_id:
            parent = self.parent
            self.path = f"{parent.path}{self.segment}/"
            self.region_id = parent.pk if parent.kind == self.Kind.REGION else parent.region_id
            self.department_id = parent.pk if parent.kind == self.Kind.DEPARTMENT else parent.department_id
        else:
            self.path = f"/{self.segment}/"
            self.region_id = None
            self.department_id = None
        self.depth = self.path.count("/") - 2

    @classmethod
    def default_slug(cls, kind, name, code=None, parent=None):
        base = slugify(name)[:180]
        if kind == cls.Kind.COUNTRY:
            return base
        if kind == cls.Kind.REGION:
            return f"region-{base}"
        if kind in cls.NEIGHBOURHOODS:  # "qpv-le-breil-44109", "quartier-secteur-6-38185"
            return f"{kind}-{base}-{parent.code if parent is not None else ''}".rstrip("-")
        return f"{base}-{code}" if code else base

    def path_prefixes(self):
        return path_prefixes(self.path)


class ResourceCentreManager(models.Manager):
    def get_by_natural_key(self, slug):
        """Lets a fixture name a centre by its slug (``dumpdata --natural-foreign`` writes it so)."""
        return self.get(slug=slug)


class ResourceCentre(models.Model):
    """A resource centre for urban policy (CRPV), or the national network.

    ``coverage`` lists the régions or départements it serves; France for the
    national network. Coverage routes proposals and decides the curating
    centre of a case whose reporting centre is unknown (see
    ``territories.services.choose_curating_centre``).
    """

    name = models.CharField("nom", max_length=200, unique=True)
    short_name = models.CharField("nom court", max_length=80)
    slug = models.SlugField("identifiant d'URL", max_length=100, unique=True)
    website = models.URLField("site internet", blank=True)
    legal_form = models.CharField("forme juridique", max_length=100, blank=True)
    description = models.TextField("présentation", blank=True)
    is_national = models.BooleanField(
        "réseau national", default=False, help_text="Le réseau national, centre de repli des cas sans centre régional."
    )
    coverage = models.ManyToManyField(
        Territory,
        verbose_name="territoires couverts",
        related_name="resource_centres",
        blank=True,
        limit_choices_to={"kind__in": ["country", "region", "department"]},
    )
    source = models.CharField("source", max_length=200, blank=True)
    requires_second_person = models.BooleanField(
        "publication à quatre yeux",
        default=False,
        help_text="Un cas soumis à relecture par une personne ne peut être publié que par une autre.",
    )

    objects = ResourceCentreManager()

    class Meta:
        verbose_name = "centre de ressources"
        verbose_name_plural = "centres de ressources"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["is_national"], condition=Q(is_national=True), name="one_national_network"),
        ]

    def __str__(self):
        return self.short_name or self.name

    def get_absolute_url(self):
        return reverse("browse:centre", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)
