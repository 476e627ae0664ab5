"""The tables of the open-data package: each file's columns, declared once, and the rows it holds.

A ``Table`` is one CSV file of /donnees/ and one resource of its ``datapackage.json``; a ``Field``
is one column and one field of the resource's Table Schema (name, French title, description, type,
format, constraints, the enumeration's values). Only published cases are exported, and only what
they reach: their actors, involvements, citations and themes, and the territories they name with
every territory above them (so that each ``parent`` is in the file). Themes and source reports are
exported whole: they are the reference lists the cases are classified by. Published lessons and
resources follow (``knowledge_tables``).

``initiatives.csv`` has the columns of the list's export (``initiatives.browse.exports.COLUMNS``,
the same values, in the same order), then the identifier of the case's territory, which links it
to ``territoires.csv``. The other tables give enumerations as their stable codes (those of the API).
"""

from django.db.models import Q

from initiatives.browse.exports import CODE, COLUMNS, DATE, EXPORT_PREFETCH, EXPORT_SELECT, LINK, LIST, YES_NO
from initiatives.models import Actor, Citation, Initiative, Involvement, Source, Theme
from initiatives.opendata.knowledge_tables import KNOWLEDGE_TABLES
from initiatives.opendata.schema import Field, Table, attribute, choices_text, page, slug_of
from territories.models import Territory, path_prefixes

PUBLISHED = Initiative.Status.PUBLISHED


# --- Cases: the export's columns, then the territory's identifier -------------------------------------

_TYPES = {CODE: "string", LINK: "string", DATE: "date", YES_NO: "boolean", LIST: "string"}
_ENUMS = {
    "precision": Initiative.Precision.labels,
    "setting": Initiative.Setting.labels,
    "documentation_level": Initiative.DocumentationLevel.labels,
}
_REQUIRED = {"slug", "title", "url", "territory", "territory_slug", "precision", "documentation_level"}


def _case_field(column):
    description = column.description
    if column.kind == LIST:
        description += " Plusieurs valeurs séparées par « | »."
    elif column.kind == YES_NO:
        description += " « oui », « non », ou vide quand le rapport ne le dit pas."
    return Field(
        column.name,
        column.label,
        _TYPES.get(column.kind, "string"),
        description,
        lambda case, base, read=column.value: read(case, base),
        format="uri" if column.kind == LINK else None,
        required=column.name in _REQUIRED,
        unique=column.name == "slug",
        enum=tuple(_ENUMS.get(column.name, ())),
    )


def published_cases():
    return Initiative.objects.published()


INITIATIVES = Table(
    "initiatives",
    "Les cas",
    "Un cas publié par ligne, avec les colonnes de l'export de la liste des initiatives, dans le même ordre, "
    "puis l'identifiant de son territoire.",
    [
        *[_case_field(column) for column in COLUMNS],
        Field(
            "territory_slug",
            "identifiant du territoire",
            "string",
            "Identifiant du lieu principal dans territoires.csv.",
            slug_of("territory"),
            required=True,
        ),
    ],
    rows=lambda: (
        published_cases()
        .select_related(*EXPORT_SELECT)
        .prefetch_related(*EXPORT_PREFETCH)
        .order_by("slug")
        .iterator(chunk_size=500)
    ),
    count=lambda: published_cases().count(),
    primary_key=["slug"],
    foreign_keys=[("territory_slug", "territoires", "slug")],
)

# --- What the cases are classified by, and who acted ---------------------------------------------------

_CASE = Field(
    "initiative", "cas", "string", "Identifiant du cas dans initiatives.csv.", slug_of("initiative"), required=True
)


def _case_themes():
    return Initiative.themes.through.objects.filter(initiative__status=PUBLISHED)


CASE_THEMES = Table(
    "initiatives-themes",
    "Les thèmes des cas",
    "Un couple (cas, thème) par ligne : les thèmes donnés au cas (un thème fin n'y amène pas son thème racine).",
    [
        _CASE,
        Field("theme", "thème", "string", "Identifiant du thème dans themes.csv.", slug_of("theme"), required=True),
    ],
    rows=lambda: _case_themes().select_related("initiative", "theme").order_by("initiative__slug", "theme__slug"),
    count=lambda: _case_themes().count(),
    primary_key=["initiative", "theme"],
    foreign_keys=[("initiative", "initiatives", "slug"), ("theme", "themes", "slug")],
)


def _themes_in_tree_order():
    themes = list(Theme.objects.select_related("parent"))

    def place(theme):
        root = theme.parent or theme
        return (root.position, root.name, theme.parent_id is not None, theme.position, theme.name)

    return sorted(themes, key=place)


THEMES = Table(
    "themes",
    "Les thèmes",
    "Toute la liste des thèmes, sur deux niveaux : les sept natures d'action du questionnaire de l'Odas, "
    "chacune suivie de ses thèmes plus fins.",
    [
        Field("slug", "identifiant", "string", "Identifiant stable du thème.", attribute("slug"), required=True),
        Field("name", "nom", "string", "Nom du thème.", attribute("name"), required=True),
        Field(
            "parent",
            "thème parent",
            "string",
            "Le thème racine d'un thème fin ; vide pour une racine.",
            slug_of("parent"),
        ),
        Field("description", "description", "string", "Ce que le thème couvre.", attribute("description")),
        Field("position", "ordre", "integer", "Ordre d'affichage parmi ses frères.", attribute("position")),
        Field("url", "adresse", "string", "Page du thème sur Proximités.", page, format="uri", required=True),
    ],
    rows=_themes_in_tree_order,
    count=lambda: Theme.objects.count(),
    primary_key=["slug"],
    foreign_keys=[("parent", "", "slug")],
)


def _actors():
    return Actor.objects.filter(involvements__initiative__status=PUBLISHED).distinct()


def _actorpage(actor, base):
    return None if actor.is_unnamed else page(actor, base)


ACTORS = Table(
    "acteurs",
    "Les acteurs",
    "Les acteurs d'au moins un cas publié. Une organisation nommée est une seule ligne pour tous ses cas ; "
    "un acteur non nommé (« deux résidentes ») est propre à un cas.",
    [
        Field("slug", "identifiant", "string", "Identifiant stable de l'acteur.", attribute("slug"), required=True),
        Field(
            "name",
            "nom",
            "string",
            "Nom de l'acteur, tel que les rapports le donnent.",
            attribute("name"),
            required=True,
        ),
        Field(
            "kind",
            "type d'acteur",
            "string",
            f"Type d'acteur : {choices_text(Actor.Kind.choices)} ; vide quand le rapport ne le dit pas.",
            attribute("kind"),
            enum=tuple(Actor.Kind.values),
        ),
        Field(
            "category",
            "catégorie",
            "string",
            f"Catégorie : {choices_text(Actor.Category.choices)} ; vide quand le rapport ne la dit pas.",
            attribute("category"),
            enum=tuple(Actor.Category.values),
        ),
        Field(
            "unnamed",
            "acteur non nommé",
            "boolean",
            "« oui » pour un acteur que le rapport ne nomme pas.",
            attribute("is_unnamed"),
            required=True,
        ),
        Field(
            "aliases",
            "autres noms",
            "string",
            "Les autres noms de l'acteur, séparés par « | ».",
            lambda actor, base: sorted(alias.name for alias in actor.aliases.all()),
        ),
        Field(
            "territory",
            "territoire",
            "string",
            "Identifiant, dans territoires.csv, du lieu de l'acteur.",
            slug_of("territory"),
        ),
        Field("website", "site internet", "string", "Site de l'acteur.", attribute("website"), format="uri"),
        Field(
            "url",
            "adresse",
            "string",
            "Page de l'acteur sur Proximités ; vide pour un acteur non nommé.",
            _actorpage,
            format="uri",
        ),
    ],
    rows=lambda: _actors().select_related("territory").prefetch_related("aliases").order_by("slug"),
    count=lambda: _actors().count(),
    primary_key=["slug"],
    foreign_keys=[("territory", "territoires", "slug")],
)


def _involvements():
    return Involvement.objects.filter(initiative__status=PUBLISHED)


INVOLVEMENTS = Table(
    "implications",
    "Qui a fait quoi",
    "Un triplet (cas, acteur, rôle) par ligne.",
    [
        _CASE,
        Field(
            "actor", "acteur", "string", "Identifiant de l'acteur dans acteurs.csv.", slug_of("actor"), required=True
        ),
        Field(
            "role",
            "rôle",
            "string",
            f"Rôle de l'acteur dans le cas : {choices_text(Involvement.Role.choices)}.",
            attribute("role"),
            required=True,
            enum=tuple(Involvement.Role.values),
        ),
        Field("note", "précision", "string", "Ce que le rapport précise de ce rôle.", attribute("note")),
    ],
    rows=lambda: (
        _involvements()
        .select_related("initiative", "actor")
        .order_by("initiative__slug", "role", "actor__name", "actor__slug")
    ),
    count=lambda: _involvements().count(),
    primary_key=["initiative", "actor", "role"],
    foreign_keys=[("initiative", "initiatives", "slug"), ("actor", "acteurs", "slug")],
)

# --- Where the cases come from ------------------------------------------------------------------------


def _citations():
    return Citation.objects.filter(initiative__status=PUBLISHED)


def _ranked_citations():
    """The citations case by case, each with its rank in its case (1, 2…), as the case page lists them."""
    rank, case = 0, None
    for citation in _citations().select_related("initiative", "source").order_by("initiative__slug", "position", "pk"):
        rank = rank + 1 if citation.initiative_id == case else 1
        case = citation.initiative_id
        citation.rank = rank
        yield citation


CITATIONS = Table(
    "citations",
    "Les citations",
    "Les extraits des rapports d'où vient chaque cas, mot pour mot, avec leur emplacement. Ce sont de courtes "
    "citations, chacune avec sa source : elles restent l'œuvre des auteurs des rapports.",
    [
        _CASE,
        Field(
            "rank",
            "rang",
            "integer",
            "Rang de la citation parmi celles du cas (1, 2…).",
            attribute("rank"),
            required=True,
            minimum=1,
        ),
        Field(
            "source", "source", "string", "Identifiant du rapport dans sources.csv.", slug_of("source"), required=True
        ),
        Field(
            "locator",
            "emplacement",
            "string",
            "Titre de l'encadré, intertitre ou fiche où se trouve l'extrait.",
            attribute("locator"),
            required=True,
        ),
        Field("excerpt", "extrait", "string", "L'extrait, mot pour mot.", attribute("excerpt"), required=True),
    ],
    rows=_ranked_citations,
    count=lambda: _citations().count(),
    primary_key=["initiative", "rank"],
    foreign_keys=[("initiative", "initiatives", "slug"), ("source", "sources", "slug")],
)

SOURCES = Table(
    "sources",
    "Les rapports sources",
    "Les rapports d'où viennent les cas.",
    [
        Field("slug", "identifiant", "string", "Identifiant stable du rapport.", attribute("slug"), required=True),
        Field("publisher", "éditeur", "string", "Qui a publié le rapport.", attribute("publisher"), required=True),
        Field("title", "titre", "string", "Titre du rapport.", attribute("title"), required=True),
        Field(
            "descriptive_title",
            "titre descriptif",
            "boolean",
            "« oui » quand le document n'imprime pas de titre : le titre le décrit et se cite entre crochets.",
            attribute("descriptive_title"),
            required=True,
        ),
        Field("year", "année", "integer", "Année de publication.", attribute("year"), required=True),
        Field("date", "date", "string", "Date de publication telle que le rapport la donne.", attribute("date_label")),
        Field(
            "reference",
            "référence",
            "string",
            "Comment les cas citent le rapport : éditeur, titre, date.",
            lambda source, base: source.reference(),
            required=True,
        ),
        Field(
            "website",
            "adresse du rapport",
            "string",
            "Adresse que le rapport donne lui-même ; sinon vide.",
            attribute("url"),
            format="uri",
        ),
        Field("url", "page", "string", "Page du rapport sur Proximités.", page, format="uri", required=True),
    ],
    rows=lambda: Source.objects.order_by("year", "slug"),
    count=lambda: Source.objects.count(),
    primary_key=["slug"],
)

# --- Places -------------------------------------------------------------------------------------------


def _territories():
    """The territories the published cases and their actors name, and every territory above them."""
    cases = published_cases()
    other_places = Initiative.other_places.through.objects.filter(initiative__status=PUBLISHED)
    places = Territory.objects.filter(
        Q(pk__in=cases.values("territory"))
        | Q(pk__in=other_places.values("territory"))
        | Q(pk__in=_actors().values("territory"))
    )
    paths = {prefix for path in places.values_list("path", flat=True) for prefix in path_prefixes(path)}
    return Territory.objects.filter(path__in=paths)


TERRITORIES = Table(
    "territoires",
    "Les territoires",
    "Les lieux que nomment les cas publiés et leurs acteurs, et tous les territoires au-dessus d'eux "
    "(commune, département, région, France), de la France vers le quartier.",
    [
        Field("slug", "identifiant", "string", "Identifiant stable du territoire.", attribute("slug"), required=True),
        Field("name", "nom", "string", "Nom du territoire.", attribute("name"), required=True),
        Field(
            "kind",
            "type",
            "string",
            f"Type du territoire : {choices_text(Territory.Kind.choices)}.",
            attribute("kind"),
            required=True,
            enum=tuple(Territory.Kind.values),
        ),
        Field(
            "code",
            "code officiel",
            "string",
            "Code INSEE (région, département, commune) ou code officiel du QPV ; vide s'il n'est pas connu.",
            attribute("code"),
        ),
        Field(
            "parent",
            "territoire parent",
            "string",
            "Le territoire qui le contient ; vide pour la France.",
            slug_of("parent"),
        ),
        Field("url", "adresse", "string", "Page du territoire sur Proximités.", page, format="uri", required=True),
    ],
    rows=lambda: _territories().select_related("parent").order_by("path"),
    count=lambda: _territories().count(),
    primary_key=["slug"],
    foreign_keys=[("parent", "", "slug")],
)

TABLES = [INITIATIVES, CASE_THEMES, THEMES, ACTORS, INVOLVEMENTS, CITATIONS, SOURCES, TERRITORIES, *KNOWLEDGE_TABLES]
BY_NAME = {table.name: table for table in TABLES}
