from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from initiatives.casefiles.verbatim import MIN_EXCERPT_WORDS, VerbatimIndex, word_count
from initiatives.models import Initiative, Source


class Command(BaseCommand):
    help = (
        "Vérifie chaque extrait cité contre le texte de son rapport (normalisation de DESIGN) "
        "et que chaque cas décrit ou analysé a un thème, un territoire et une citation."
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
        for line in failures:
            self.stdout.write(line)
        summary = f"{initiatives.count()} cas, {checked} citations vérifiées, {len(failures)} échec(s)"
        if failures:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
