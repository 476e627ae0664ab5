import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from crpv_site.progress import Progress
from crpv_site.roles import ensure_curator_group
from initiatives.browse.keys import writing
from initiatives.browse.search.thesaurus import load_thesaurus
from initiatives.casefiles.loaders import CaseFileError, load_cases, load_reference_data
from territories.loaders import load_resource_centres, load_territories


class Command(BaseCommand):
    help = (
        "Charge les données de référence (territoires, CRPV, thèmes, publics, périodes, sources) "
        "et les cas tirés des rapports, publiés. Idempotent : relancé, il ne change aucun compte."
    )

    def handle(self, *args, **options):
        progress = Progress(self.stdout)
        step = time.monotonic()
        self.stdout.write("1/3 Territoires (INSEE) et centres de ressources…")
        with writing():  # a centre renamed on a reload: its cases are rebuilt once, at the end
            counts = load_territories(progress=progress)
            load_resource_centres()
        self.stdout.write(f"    {sum(counts.values())} territoires en {time.monotonic() - step:.1f} s")
        step = time.monotonic()
        self.stdout.write("2/3 Thèmes, publics, périodes, sources…")
        ref = load_reference_data()
        ref["thesaurus"] = sum(load_thesaurus().values())
        ensure_curator_group()
        self.stdout.write("    " + ", ".join(f"{n} {k}" for k, n in ref.items()))
        self.stdout.write("3/3 Cas des rapports…")
        try:
            cases = load_cases(progress=progress)
        except CaseFileError as exc:
            raise CommandError(str(exc)) from exc
        # A first version of each case in the history, so that the first edit can be compared and undone.
        self.stdout.write("    Historique : une première version de chaque cas qui n'en a pas…")
        call_command(
            "createinitialrevisions", "initiatives.Initiative", comment="Cas chargé depuis les rapports", verbosity=0
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Données de démonstration chargées en {progress.elapsed():.1f} s : "
                f"{cases['cases']} cas, {cases['extensions']} compléments."
            )
        )
