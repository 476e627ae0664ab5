from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from territories.decoupage import write_fixture
from territories.loaders import TERRITORIES_CSV


class Command(BaseCommand):
    help = (
        "Convertit les fichiers JSON du paquet npm @etalab/decoupage-administratif "
        "(dossier data/) en fixtures/reference/territories.csv. À lancer une fois par millésime."
    )

    def add_arguments(self, parser):
        parser.add_argument("data_dir", type=Path, help="dossier data/ du paquet npm")
        parser.add_argument("--out", type=Path, default=TERRITORIES_CSV)

    def handle(self, *args, data_dir, out, **options):
        if not (data_dir / "communes.json").exists():
            raise CommandError(f"{data_dir} ne contient pas communes.json (dossier data/ du paquet npm attendu).")
        count = write_fixture(data_dir, out)
        self.stdout.write(self.style.SUCCESS(f"{count} territoires écrits dans {out}."))
