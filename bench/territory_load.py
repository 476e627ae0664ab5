"""Time the bulk load of the reference territories (18 régions, 101 départements,
34,875 communes, 45 arrondissements) into a fresh SQLite database, first load and
reload. Each run is a separate process on a new database file, so the figures
include nothing cached; the median and the spread are printed.

    python -m bench territory_load [--runs 5]
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
import time, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from territories.loaders import load_territories
t = time.perf_counter(); counts = load_territories(); first = time.perf_counter() - t
t = time.perf_counter(); load_territories(); again = time.perf_counter() - t
print(first, again, sum(counts.values()))
"""


def one_run():
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
            "DJANGO_SETTINGS_MODULE": "crpv_site.settings",
        }
        out = subprocess.run(
            [sys.executable, "-c", CHILD], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        ).stdout.split()
    return float(out[0]), float(out[1]), int(out[2])


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench territory_load")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv if argv is not None else [])
    firsts, agains, rows = [], [], 0
    for i in range(args.runs):
        first, again, rows = one_run()
        firsts.append(first)
        agains.append(again)
        print(f"  run {i + 1}/{args.runs}: first load {first:.2f} s, reload {again:.2f} s", flush=True)
    print(f"Territory load, SQLite, {rows} rows, {args.runs} runs")
    print(f"  first load : median {statistics.median(firsts):.2f} s  (min {min(firsts):.2f}, max {max(firsts):.2f})")
    print(f"  reload     : median {statistics.median(agains):.2f} s  (min {min(agains):.2f}, max {max(agains):.2f})")
