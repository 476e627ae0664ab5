import time

from django.core.management.base import BaseCommand

from crpv_site.progress import Progress
from initiatives.browse.keys import compact, rebuild
from initiatives.models import BrowseKey


class Command(BaseCommand):
    help = "Reconstruit les données dérivées de navigation (facettes, texte et vecteur de recherche) de tous les cas."

    def handle(self, *args, **options):
        started = time.monotonic()
        rebuild(progress=Progress(self.stdout) if options["verbosity"] else None)
        if compact():
            self.stdout.write("Tables dérivées compactées (VACUUM ANALYZE).")
        self.stdout.write(
            self.style.SUCCESS(
                f"{BrowseKey.objects.count()} clés de facettes reconstruites en {time.monotonic() - started:.1f} s."
            )
        )
