from pathlib import Path

from django.core.management.base import BaseCommand

from crpv_site import backups


class Command(BaseCommand):
    help = "Sauvegarde la base PostgreSQL (pg_dump -Fc) dans un fichier horodaté (make backup)."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default="backups", help="dossier des sauvegardes (défaut : backups)")

    def handle(self, *args, dir, **options):
        target = backups.backup(Path(dir))
        size = f"{target.stat().st_size / 1024 / 1024:.1f}".replace(".", ",")
        self.stdout.write(self.style.SUCCESS(f"Sauvegarde écrite : {target} ({size} Mo)"))
