import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from crpv_site.progress import Progress
from crpv_site.roles import ensure_curator_group
from initiatives.browse.keys import writing
from initiatives.browse.search.thesaurus import load_thesaurus
from initiatives.casefiles.check import UnreadableFile
from initiatives.casefiles.loaders import CaseFileError, load_cases, load_reference_data
from initiatives.knowledge.loaders import KnowledgeFileError, load_knowledge
from territories.loaders import load_resource_centres, load_territories


class Command(BaseCommand):
    help = (
        "Charge les données de référence (territoires, CRPV, thèmes, publics, périodes, sources) "
        "et les cas tirés des rapports, leurs enseignements et les ressources qu'ils citent, publiés. "
        "Idempotent : relancé, il ne change aucun compte."
    )

    def handle(self, *args, **options):
        try:
            self.load()
        except UnreadableFile as error:
            raise CommandError(str(error)) from error

    def load(self):
        progress = Progress(self.stdout)
        step = time.monotonic()
        self.stdout.write("1/4 Territoires (INSEE) et centres de ressources…")
        with writing():  # a centre renamed on a reload: its cases are rebuilt once, at the end
            counts = load_territories(progress=progress)
            load_resource_centres()
        self.stdout.write(f"    {sum(counts.values())} territoires en {time.monotonic() - step:.1f} s")
        step = time.monotonic()
        self.stdout.write("2/4 Thèmes, publics, périodes, sources…")
        ref = load_reference_data()
        ref["thesaurus"] = sum(load_thesaurus().values())
        ensure_curator_group()
        self.stdout.write("    " + ", ".join(f"{n} {k}" for k, n in ref.items()))
        self.stdout.write("3/4 Cas des rapports…")
        try:
            cases = load_cases(progress=progress)
        except CaseFileError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("4/4 Enseignements des rapports et ressources citées…")
        try:
            knowledge = load_knowledge(progress=progress)
        except KnowledgeFileError as exc:
            raise CommandError(str(exc)) from exc
        # A first version of each record in the history, so that the first edit can be compared and undone.
        self.stdout.write("    Historique : une première version de chaque fiche qui n'en a pas…")
        for model, what in (("Initiative", "Cas"), ("Lesson", "Enseignement"), ("Resource", "Ressource")):
            comment = f"{what} chargé{'e' if what == 'Ressource' else ''} depuis les rapports"
            call_command("createinitialrevisions", f"initiatives.{model}", comment=comment, verbosity=0)
        self.stdout.write(
            self.style.SUCCESS(
                f"Données de démonstration chargées en {progress.elapsed():.1f} s : "
                f"{cases['cases']} cas, {cases['extensions']} compléments, "
                f"{knowledge['lessons']} enseignements, {knowledge['resources']} ressources."
            )
        )
