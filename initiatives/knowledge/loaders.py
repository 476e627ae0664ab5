"""Loading the reports' lessons and resources (``fixtures/knowledge/*.yaml``), checked first.

Like the case files: every excerpt must be found word for word in its report
(``initiatives.casefiles.verbatim``), every theme, case and centre must exist, and a
file with a problem is refused whole before anything is written. Keyed by slug, so
a reload changes no count; the rows that hang off a lesson (excerpts, the cases the
report ties to it) are replaced by the file's version — the links a curator set in
the admin are kept.
"""

from pathlib import Path

from django.conf import settings

from initiatives.casefiles.check import load_yaml
from initiatives.casefiles.verbatim import MIN_EXCERPT_WORDS, VerbatimIndex, word_count
from initiatives.models import Initiative, Lesson, LessonCitation, LessonEvidence, Resource, Source, Theme
from territories.models import ResourceCentre

KNOWLEDGE_DIR = Path(settings.BASE_DIR) / "fixtures" / "knowledge"
LESSONS = "lessons.yaml"
RESOURCES = "resources.yaml"


class KnowledgeFileError(Exception):
    def __init__(self, errors):
        self.errors = errors
        super().__init__(f"{len(errors)} problème(s) dans les enseignements et ressources :\n" + "\n".join(errors[:50]))


def _noop(*args, **kwargs):
    pass


class Checker:
    """What a lesson or resource may name: the reports (with their texts), themes, cases, centres."""

    def __init__(self, seeds_dir):
        self.sources = {s.slug: s for s in Source.objects.all()}
        self.themes = {t.slug: t for t in Theme.objects.all()}
        self.centres = {c.slug: c for c in ResourceCentre.objects.all()}
        self.cases = dict(Initiative.objects.values_list("slug", "pk"))
        self.texts = {}
        for slug, source in self.sources.items():
            path = Path(seeds_dir) / source.file_name
            if source.file_name and path.exists():
                self.texts[slug] = VerbatimIndex(path.read_text("utf-8"))
        self.errors = []
        self.seen = set()

    def error(self, where, message):
        self.errors.append(f"{where} : {message}")

    def excerpt(self, where, source, text, *, minimum=MIN_EXCERPT_WORDS):
        if not text or word_count(text) < minimum:
            self.error(where, f"extrait de moins de {minimum} mots : {text!r:.70}")
        elif source in self.texts and not self.texts[source].contains(text):
            self.error(where, f"extrait introuvable mot pour mot dans le rapport {source} : {text[:70]!r}")

    def common(self, item, kinds):
        where = item.get("slug") or "(sans identifiant)"
        if not item.get("slug"):
            self.error(where, "identifiant manquant")
        elif item["slug"] in self.seen:
            self.error(where, "identifiant en double")
        self.seen.add(item.get("slug"))
        if item.get("source") not in self.sources:
            self.error(where, f"rapport inconnu : {item.get('source')!r}")
        if item.get("kind") not in kinds:
            self.error(where, f"nature inconnue : {item.get('kind')!r} (attendu : {', '.join(kinds)})")
        for slug in item.get("themes") or []:
            if slug not in self.themes:
                self.error(where, f"thème inconnu : {slug!r}")
        return where

    def lesson(self, item):
        where = self.common(item, Lesson.Kind.values)
        if not (item.get("statement") or "").strip():
            self.error(where, "énoncé manquant")
        if not item.get("citations"):
            self.error(where, "aucun extrait")
        for citation in item.get("citations") or []:
            if not citation.get("locator"):
                self.error(where, "extrait sans emplacement")
            self.excerpt(where, item.get("source"), citation.get("excerpt"))
        for link in item.get("cases") or []:
            if link.get("slug") not in self.cases:
                self.error(where, f"cas inconnu : {link.get('slug')!r}")
            self.excerpt(where, item.get("source"), link.get("excerpt"), minimum=1)

    def resource(self, item):
        where = self.common(item, Resource.Kind.values)
        if not (item.get("title") or "").strip():
            self.error(where, "titre manquant")
        if item.get("publisher_centre") and item["publisher_centre"] not in self.centres:
            self.error(where, f"centre de ressources inconnu : {item['publisher_centre']!r}")
        if not item.get("locator"):
            self.error(where, "emplacement manquant")
        self.excerpt(where, item.get("source"), item.get("excerpt"))


def _curating_centre(source, publisher_centre=None):
    """The centre of the report (or the publishing centre); the national network for national reports."""
    return publisher_centre or source.centre or ResourceCentre.objects.filter(is_national=True).first()


def _year(date):
    text = str(date or "")
    return int(text[:4]) if text[:4].isdigit() else None


def _save_lesson(item, position, ref):
    source = ref.sources[item["source"]]
    lesson, _ = Lesson.objects.update_or_create(
        slug=item["slug"],
        defaults={
            "source": source,
            "kind": item["kind"],
            "statement": item["statement"].strip(),
            "summary": " ".join((item.get("summary") or "").split()),
            "position": position,
            "status": Initiative.Status.PUBLISHED,
            "curating_centre": _curating_centre(source),
        },
    )
    lesson.themes.set([ref.themes[s] for s in item.get("themes") or []])
    lesson.citations.all().delete()
    LessonCitation.objects.bulk_create(
        LessonCitation(lesson=lesson, locator=c["locator"], excerpt=c["excerpt"].strip(), position=i)
        for i, c in enumerate(item["citations"])
    )
    lesson.evidence.filter(basis=LessonEvidence.Basis.REPORT).delete()
    for link in item.get("cases") or []:
        LessonEvidence.objects.update_or_create(
            lesson=lesson,
            initiative_id=ref.cases[link["slug"]],
            defaults={"basis": LessonEvidence.Basis.REPORT, "excerpt": link["excerpt"].strip()},
        )
    return lesson


def _save_resource(item, position, ref):
    source = ref.sources[item["source"]]
    centre = ref.centres.get(item.get("publisher_centre") or "")
    resource, _ = Resource.objects.update_or_create(
        slug=item["slug"],
        defaults={
            "source": source,
            "title": item["title"].strip(),
            "publisher": item.get("publisher") or "",
            "publisher_centre": centre,
            "year": _year(item.get("date")),
            "date_label": item.get("date_label") or "",
            "kind": item["kind"],
            "summary": " ".join((item.get("summary") or "").split()),
            "url": item.get("url") or "",
            "locator": item["locator"],
            "excerpt": item["excerpt"].strip(),
            "position": position,
            "status": Initiative.Status.PUBLISHED,
            "curating_centre": _curating_centre(source, centre),
        },
    )
    resource.themes.set([ref.themes[s] for s in item.get("themes") or []])
    return resource


def _items(path):
    return (load_yaml(path) or []) if path.exists() else []


def load_knowledge(*, directory=KNOWLEDGE_DIR, seeds_dir=None, progress=_noop) -> dict:
    """Load the lessons and resources (published). Refuses everything if any item has a problem."""
    ref = Checker(seeds_dir or settings.SEEDS_DIR)
    lessons, resources = _items(Path(directory) / LESSONS), _items(Path(directory) / RESOURCES)
    for item in lessons:
        ref.lesson(item)
    for item in resources:
        ref.resource(item)
    if ref.errors:
        raise KnowledgeFileError(ref.errors)
    total = len(lessons) + len(resources)
    for i, item in enumerate(lessons):
        _save_lesson(item, i, ref)
        progress(i + 1, total, "enseignements")
    for i, item in enumerate(resources):
        _save_resource(item, i, ref)
        progress(len(lessons) + i + 1, total, "ressources")
    return {"lessons": len(lessons), "resources": len(resources)}
