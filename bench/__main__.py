"""``python -m bench [name ...]``: run the named benchmarks (all by default).

- ``territory_load``: commune load time on SQLite.
- ``browse``: list, case page and API at 1,000 / 10,000 / 100,000 cases on PostgreSQL
  (needs ``BENCH_DATABASE_URL``; options ``--sizes``, ``--runs``).
- ``import_cases``: the admin's spreadsheet import (preview, confirm, re-import) on SQLite
  (options ``--rows``, ``--runs``).
- ``generate --count N``: add synthetic cases to the benchmark database (not run by default).
- ``relevance``: recall@10 and MRR of the judged queries on the real cases (not run by default).
- ``load --size N --users 16,32 --duration 60 [--writes]``: gunicorn + PostgreSQL under concurrent users
  (not run by default: minutes).
"""

import importlib
import sys

BENCHMARKS = ["territory_load", "browse", "import_cases"]
TOOLS = ["generate", "relevance", "load"]  # run only when named


def main(argv):
    names = [a for a in argv if not a.startswith("-")][:1] or BENCHMARKS
    options = [a for a in argv if a.startswith("-") or a not in names]
    for name in names:
        if name not in BENCHMARKS + TOOLS:
            sys.exit(f"banc d'essai inconnu : {name} (connus : {', '.join(BENCHMARKS)})")
        importlib.import_module(f"bench.{name}").main(options if len(names) == 1 else [])


if __name__ == "__main__":
    main(sys.argv[1:])
