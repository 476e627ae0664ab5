from pathlib import Path

from django.core.management.base import BaseCommand

from crpv_site import backups


class Command(BaseCommand):
    help = (
        "Restaure une sauvegarde (pg_restore --clean --if-exists --no-owner) dans la base de DATABASE_URL, "
        "en remplaçant son contenu, tout ou rien (make restore FILE=…)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="fichier écrit par make backup (.dump)")

    def handle(self, *args, file, **options):
        name = backups.restore(Path(file))
        self.stdout.write(self.style.SUCCESS(f"Sauvegarde {file} restaurée dans la base {name}."))
