import time

from django.core.management.base import BaseCommand

from initiatives.browse.keys import rebuild
from initiatives.models import BrowseKey


class Command(BaseCommand):
    help = "Reconstruit les données dérivées de navigation (facettes, texte et vecteur de recherche) de tous les cas."

    def handle(self, *args, **options):
        started = time.monotonic()
        rebuild()
        self.stdout.write(
            self.style.SUCCESS(
                f"{BrowseKey.objects.count()} clés de facettes reconstruites en {time.monotonic() - started:.1f} s."
            )
        )
