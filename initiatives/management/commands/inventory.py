import json

from django.core.management.base import BaseCommand

from initiatives.browse.summaries import inventory


class Command(BaseCommand):
    help = (
        "Affiche ce que contient la base (territoires, centres, acteurs, thèmes, cas, citations, "
        "enseignements, ressources)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="un seul objet JSON sur la sortie standard")

    def handle(self, *args, **options):
        data = inventory()
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self._write(data)

    def _write(self, data, indent=0):
        for key, value in data.items():
            if isinstance(value, dict):
                self.stdout.write(f"{'  ' * indent}{key} :")
                self._write(value, indent + 1)
            else:
                self.stdout.write(f"{'  ' * indent}{key:<40} {value:>7}")
