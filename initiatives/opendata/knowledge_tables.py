"""The open-data tables of what the reports learned and point to: published lessons, their excerpts and
the published cases that illustrate them, and published resources (see ``tables`` for the cases).

Lessons and resources name their themes as a list of theme identifiers (``themes.csv``) joined with
" | "; their report is a link to ``sources.csv``.
"""

from initiatives.models import Initiative, Lesson, LessonCitation, LessonEvidence, Resource
from initiatives.opendata.schema import Field, Table, attribute, choices_text, page, slug_of

PUBLISHED = Initiative.Status.PUBLISHED  # lessons and resources share the cases' workflow


def _theme_slugs(row, base):
    return sorted(theme.slug for theme in row.themes.all())


def _lessons():
    return Lesson.objects.published()


_SLUG = Field("slug", "identifiant", "string", "Identifiant stable.", attribute("slug"), required=True)
_THEMES = Field("themes", "thèmes", "string", "Identifiants des thèmes (themes.csv), séparés par « | ».", _theme_slugs)
_SOURCE = Field(
    "source", "rapport", "string", "Identifiant du rapport dans sources.csv.", slug_of("source"), required=True
)
_LESSON = Field(
    "lesson",
    "enseignement",
    "string",
    "Identifiant de l'enseignement dans enseignements.csv.",
    slug_of("lesson"),
    required=True,
)

LESSONS = Table(
    "enseignements",
    "Ce que les rapports en retiennent",
    "Les constats et recommandations que les rapports énoncent, un par ligne, publiés.",
    [
        _SLUG,
        Field(
            "statement",
            "énoncé",
            "string",
            "L'enseignement en une phrase, fidèle au rapport.",
            attribute("statement"),
            required=True,
        ),
        Field(
            "kind",
            "nature",
            "string",
            f"Nature : {choices_text(Lesson.Kind.choices)}.",
            attribute("kind"),
            required=True,
            enum=tuple(Lesson.Kind.values),
        ),
        _SOURCE,
        Field(
            "summary", "ce qu'en dit le rapport", "string", "Ce que le rapport en dit, résumé.", attribute("summary")
        ),
        _THEMES,
        Field("url", "adresse", "string", "Page de l'enseignement sur Proximités.", page, format="uri", required=True),
    ],
    rows=lambda: _lessons().select_related("source").prefetch_related("themes").order_by("slug"),
    count=lambda: _lessons().count(),
    primary_key=["slug"],
    foreign_keys=[("source", "sources", "slug")],
)


def _lesson_citations():
    return LessonCitation.objects.filter(lesson__status=PUBLISHED)


def _ranked_lesson_citations():
    rank, lesson = 0, None
    for citation in _lesson_citations().select_related("lesson").order_by("lesson__slug", "position", "pk"):
        rank = rank + 1 if citation.lesson_id == lesson else 1
        lesson = citation.lesson_id
        citation.rank = rank
        yield citation


LESSON_CITATIONS = Table(
    "enseignements-extraits",
    "Les extraits qui énoncent les enseignements",
    "Les passages du rapport de chaque enseignement, mot pour mot, avec leur emplacement : de courtes "
    "citations, chacune avec sa source (le rapport de l'enseignement).",
    [
        _LESSON,
        Field(
            "rank",
            "rang",
            "integer",
            "Rang de l'extrait parmi ceux de l'enseignement (1, 2…).",
            attribute("rank"),
            required=True,
            minimum=1,
        ),
        Field(
            "locator",
            "emplacement",
            "string",
            "Partie, intertitre ou page de l'extrait.",
            attribute("locator"),
            required=True,
        ),
        Field("excerpt", "extrait", "string", "L'extrait, mot pour mot.", attribute("excerpt"), required=True),
    ],
    rows=_ranked_lesson_citations,
    count=lambda: _lesson_citations().count(),
    primary_key=["lesson", "rank"],
    foreign_keys=[("lesson", "enseignements", "slug")],
)


def _evidence():
    return LessonEvidence.objects.filter(lesson__status=PUBLISHED, initiative__status=PUBLISHED)


LESSON_CASES = Table(
    "enseignements-cas",
    "Les cas qui illustrent les enseignements",
    "Un couple (enseignement, cas publié) par ligne, avec qui a fait le lien : le rapport lui-même ou "
    "l'équipe de curation.",
    [
        _LESSON,
        Field(
            "initiative",
            "cas",
            "string",
            "Identifiant du cas dans initiatives.csv.",
            slug_of("initiative"),
            required=True,
        ),
        Field(
            "basis",
            "origine du lien",
            "string",
            f"Qui a fait le lien : {choices_text(LessonEvidence.Basis.choices)}.",
            attribute("basis"),
            required=True,
            enum=tuple(LessonEvidence.Basis.values),
        ),
        Field(
            "excerpt",
            "mots du rapport",
            "string",
            "Pour un lien fait par le rapport : ses mots, verbatim.",
            attribute("excerpt"),
        ),
    ],
    rows=lambda: _evidence().select_related("lesson", "initiative").order_by("lesson__slug", "initiative__slug"),
    count=lambda: _evidence().count(),
    primary_key=["lesson", "initiative"],
    foreign_keys=[("lesson", "enseignements", "slug"), ("initiative", "initiatives", "slug")],
)


def _resources():
    return Resource.objects.published()


RESOURCES = Table(
    "ressources",
    "Les ressources",
    "Les publications, guides, enquêtes, rencontres et outils que les rapports citent, publiés, tels que le "
    "rapport les présente, avec l'extrait qui les nomme.",
    [
        _SLUG,
        Field("title", "titre", "string", "Titre de la ressource.", attribute("title"), required=True),
        Field(
            "kind",
            "type",
            "string",
            f"Type : {choices_text(Resource.Kind.choices)}.",
            attribute("kind"),
            required=True,
            enum=tuple(Resource.Kind.values),
        ),
        Field("publisher", "éditeur", "string", "Qui l'a publiée, quand le rapport le dit.", attribute("publisher")),
        Field("year", "année", "integer", "Année, quand le rapport la donne.", attribute("year")),
        Field("date", "date", "string", "Date telle que le rapport la donne.", attribute("date_label")),
        Field("summary", "présentation", "string", "Ce qu'elle est, d'après le rapport.", attribute("summary")),
        Field(
            "website",
            "adresse de la ressource",
            "string",
            # Not format "uri": the reports print some addresses without their scheme ("www.rtes.fr/…").
            "Adresse que le rapport donne, telle qu'il l'imprime (parfois sans « https:// ») ; sinon vide.",
            attribute("url"),
        ),
        _THEMES,
        _SOURCE,
        Field("locator", "emplacement", "string", "Où le rapport la nomme.", attribute("locator"), required=True),
        Field(
            "excerpt",
            "extrait",
            "string",
            "Les mots du rapport qui la nomment, verbatim.",
            attribute("excerpt"),
            required=True,
        ),
        Field("url", "adresse", "string", "Page de la ressource sur Proximités.", page, format="uri", required=True),
    ],
    rows=lambda: _resources().select_related("source").prefetch_related("themes").order_by("slug"),
    count=lambda: _resources().count(),
    primary_key=["slug"],
    foreign_keys=[("source", "sources", "slug")],
)

KNOWLEDGE_TABLES = [LESSONS, LESSON_CITATIONS, LESSON_CASES, RESOURCES]
