from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from initiatives.casefiles.verbatim import MIN_EXCERPT_WORDS, VerbatimIndex, word_count
from initiatives.models import Initiative, Lesson, Resource, Source


class Command(BaseCommand):
    help = (
        "Vérifie chaque extrait cité contre le texte de son rapport (normalisation de DESIGN) "
        "et que chaque cas décrit ou analysé a un thème, un territoire et une citation ; "
        "de même les extraits des enseignements (et les mots qui les lient à leurs cas) et des ressources."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sources", type=Path, default=settings.SEEDS_DIR, help="dossier des textes des rapports")

    def handle(self, *args, sources, **options):
        if not sources.is_dir():
            raise CommandError(f"Dossier des rapports introuvable : {sources}")
        failures = []
        texts = {}
        for source in Source.objects.all():
            path = sources / source.file_name
            if not source.file_name or not path.exists():
                failures.append(f"source {source.slug} : fichier {source.file_name or '(aucun)'} absent de {sources}")
                continue
            texts[source.pk] = VerbatimIndex(path.read_text("utf-8"))
        initiatives = Initiative.objects.annotate(n_themes=Count("themes")).prefetch_related("citations__source")
        checked = 0
        for initiative in initiatives.order_by("slug"):
            where = f"{initiative.slug}"
            citations = list(initiative.citations.all())
            if not citations:
                failures.append(f"{where} : aucune citation")
            for citation in citations:
                checked += 1
                index = texts.get(citation.source_id)
                if index is not None and not index.contains(citation.excerpt):
                    failures.append(
                        f"{where} : extrait introuvable mot pour mot dans {citation.source.file_name} "
                        f"({citation.locator}) : {citation.excerpt[:70]!r}"
                    )
            if initiative.documentation_level != Initiative.DocumentationLevel.LISTED:
                # Short excerpts (an Odas annex line added to a fiche) may stand beside
                # the passage that describes the case, not instead of it.
                if citations and not any(word_count(c.excerpt) >= MIN_EXCERPT_WORDS for c in citations):
                    failures.append(f"{where} : aucune citation d'au moins {MIN_EXCERPT_WORDS} mots")
                if not initiative.n_themes:
                    failures.append(f"{where} : aucun thème")
            if initiative.territory_id is None:
                failures.append(f"{where} : aucun territoire")
        knowledge_checked = _check_knowledge(texts, failures)
        for line in failures:
            self.stdout.write(line)
        summary = (
            f"{initiatives.count()} cas, {checked} citations vérifiées, "
            f"{knowledge_checked} extraits d'enseignements et de ressources vérifiés, {len(failures)} échec(s)"
        )
        if failures:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))


def _check_knowledge(texts, failures) -> int:
    """The lessons' excerpts and the words that tie them to cases, the resources' excerpts: word for word."""
    checked = 0
    lessons = Lesson.objects.select_related("source").prefetch_related("citations", "evidence__initiative")
    for lesson in lessons.order_by("slug"):
        index = texts.get(lesson.source_id)
        passages = [(c.locator, c.excerpt) for c in lesson.citations.all()]
        passages += [(f"lien avec {e.initiative.slug}", e.excerpt) for e in lesson.evidence.all() if e.excerpt]
        if not lesson.citations.all():
            failures.append(f"enseignement {lesson.slug} : aucun extrait")
        for locator, excerpt in passages:
            checked += 1
            if index is not None and not index.contains(excerpt):
                failures.append(
                    f"enseignement {lesson.slug} : extrait introuvable mot pour mot dans {lesson.source.file_name} "
                    f"({locator}) : {excerpt[:70]!r}"
                )
    for resource in Resource.objects.select_related("source").order_by("slug"):
        checked += 1
        index = texts.get(resource.source_id)
        if index is not None and not index.contains(resource.excerpt):
            failures.append(
                f"ressource {resource.slug} : extrait introuvable mot pour mot dans {resource.source.file_name} "
                f"({resource.locator}) : {resource.excerpt[:70]!r}"
            )
    return checked
