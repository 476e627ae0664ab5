from django.core.management.base import BaseCommand, CommandError

from crpv_site.progress import Progress
from territories.qpv import load_qpv


class Command(BaseCommand):
    help = (
        "Charge la liste officielle des quartiers prioritaires (CSV de l'ANCT) : crée les QPV sous leur "
        "commune, complète ceux que les rapports nomment déjà. Colonnes : voir territories/qpv.py."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="le fichier CSV (UTF-8 ou Windows-1252, séparé par « ; » ou « , »)")

    def handle(self, *args, file, **options):
        try:
            report = load_qpv(file, progress=Progress(self.stdout))
        except (OSError, ValueError) as error:
            raise CommandError(f"{file} : {error}") from error
        for problem in report.problems:
            self.stderr.write(problem)
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.created} QPV créés, {report.updated} complétés, {report.unchanged} inchangés, "
                f"{len(report.problems)} ligne(s) ignorée(s)."
            )
        )
