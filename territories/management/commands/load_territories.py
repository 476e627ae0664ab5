import time

from django.core.management.base import BaseCommand

from crpv_site.progress import Progress
from territories.loaders import load_resource_centres, load_territories


class Command(BaseCommand):
    help = "Charge (ou met à jour) France, régions, départements, communes et le réseau des CRPV."

    def handle(self, *args, **options):
        started = time.monotonic()
        counts = load_territories(progress=Progress(self.stdout))
        centres = load_resource_centres()
        elapsed = time.monotonic() - started
        summary = ", ".join(f"{n} {kind}" for kind, n in counts.items())
        self.stdout.write(
            self.style.SUCCESS(f"Territoires chargés en {elapsed:.1f} s : {summary} ; {centres} centres.")
        )
