from django.core.management.base import BaseCommand, CommandError

from initiatives.browse.search.thesaurus import THESAURUS_YAML, ThesaurusFileError, load_thesaurus


class Command(BaseCommand):
    help = (
        "Charge le thésaurus de la recherche (fixtures/reference/thesaurus.yaml) : crée ou met à jour ses "
        "entrées ; celles modifiées dans l'administration restent telles quelles."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(THESAURUS_YAML))

    def handle(self, *args, file, **options):
        try:
            counts = load_thesaurus(file)
        except ThesaurusFileError as error:
            raise CommandError(f"Thésaurus non chargé, rien n'a changé. {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Thésaurus : {counts['created']} entrée(s) créée(s), {counts['updated']} mise(s) à jour, "
                f"{counts['kept']} gardée(s) telle(s) que modifiée(s) dans l'administration."
            )
        )
