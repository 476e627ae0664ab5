from django.core.management.base import BaseCommand, CommandError

from bench.synthetic import RefusedError, generate
from crpv_site.progress import Progress


class Command(BaseCommand):
    help = (
        "Ajoute des initiatives synthétiques (banc d'essai uniquement) jusqu'à en avoir --count. "
        "Refuse d'écrire dans une base qui contient des cas réels."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument("--seed", type=int, default=2020)

    def handle(self, *args, count, seed, **options):
        if count < 1 or count > 1_000_000:
            raise CommandError("--count doit être compris entre 1 et 1 000 000.")
        try:
            added = generate(count, seed=seed, progress=Progress(self.stdout))
        except RefusedError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"{added} cas synthétiques ajoutés."))
