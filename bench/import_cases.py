"""Time the admin's bulk import of cases (initiatives.spreadsheet.rows.CaseRows) on SQLite.

A fresh database gets the reference data (territories, centres, themes...) and
N synthetic rows — made here, for this benchmark only, never loaded beside the
real cases — with a commune, two themes, a carrier and a partner and a long
text. The same dataset is then imported three times, as an administrator:
the preview (dry run, rolled back), the confirmed import (creates N cases),
and a second import of the same file (creates nothing: every row unchanged).

    python -m bench import_cases [--rows 500] [--runs 3]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import sys, time, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
import tablib
from crpv_site.models import User
from initiatives.casefiles.loaders import load_reference_data
from initiatives.models import Initiative, Theme
from initiatives.spreadsheet.rows import CaseRows
from initiatives.spreadsheet.sheet import COLUMNS, CaseSheet
from territories.loaders import load_resource_centres, load_territories
from territories.models import Territory

load_territories(); load_resource_centres(); load_reference_data()
rows = int(sys.argv[1])
admin = User.objects.create_superuser(email="bench@example.org", password=None)
communes = list(Territory.objects.filter(kind="commune").order_by("code").values_list("code", flat=True)[:rows])
themes = list(Theme.objects.filter(parent__isnull=False).values_list("slug", flat=True))
data = tablib.Dataset(headers=["identifiant", "titre", "territoire", "statut", "niveau_documentation",
                               "themes", "porteurs", "partenaires", "grille_actions"])
for i in range(rows):
    data.append([f"bench-import-{i}", f"Action de banc d'essai {i}", f"commune:{communes[i % len(communes)]}",
                 "published" if i % 2 else "draft", "described",
                 f"{themes[i % len(themes)]} | {themes[(i * 7) % len(themes)]}",
                 f"Association banc {i % 50}", f"Ville banc {i % 20}", "Distribution de colis. " * 40])

def timed(dry_run):
    t = time.perf_counter()
    result = CaseRows(user=admin).import_data(data, dry_run=dry_run, user=admin, file_name="bench.csv")
    assert not result.has_errors() and not result.has_validation_errors(), result.invalid_rows[:1]
    return time.perf_counter() - t, result.totals

preview, _ = timed(True)
assert not Initiative.objects.exists()
confirm, totals = timed(False)
assert Initiative.objects.count() == rows, totals
again, totals_again = timed(False)
print(preview, confirm, again, totals_again["new"], totals_again["skip"])
"""


def one_run(rows):
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
            "DJANGO_SETTINGS_MODULE": "crpv_site.settings",
        }
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(rows)], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        ).stdout.split()
    return float(out[0]), float(out[1]), float(out[2]), int(out[3]), int(out[4])


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench import_cases")
    parser.add_argument("--rows", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv if argv is not None else [])
    runs = [one_run(args.rows) for _ in range(args.runs)]
    print(f"Import de {args.rows} cas (SQLite, {args.runs} exécutions, médiane [min–max]) :")
    for label, index in (("aperçu (dry run)", 0), ("import confirmé", 1), ("réimport identique", 2)):
        values = [r[index] for r in runs]
        per_row = statistics.median(values) / args.rows * 1000
        print(
            f"  {label:<20} {statistics.median(values):6.2f} s [{min(values):.2f}–{max(values):.2f}]"
            f"  soit {per_row:.1f} ms par ligne"
        )
    print(f"  réimport : {runs[-1][3]} créé(s), {runs[-1][4]} inchangé(s)")


if __name__ == "__main__":
    main(sys.argv[1:])
