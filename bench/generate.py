"""Add synthetic cases to a benchmark database, up to ``--count``: benchmarks only.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/proximites_bench python -m bench generate --count 10000

Writes into ``BENCH_DATABASE_URL`` (else ``DATABASE_URL``); ``bench.synthetic.generate``
refuses a database that holds any real case, so synthetic data never mixes with them.
"""

import argparse
import os
import sys


def main(argv):
    parser = argparse.ArgumentParser(prog="python -m bench generate")
    parser.add_argument("--count", type=int, required=True, help="nombre total de cas synthétiques voulu")
    parser.add_argument("--seed", type=int, default=2020)
    args = parser.parse_args(argv)
    if args.count < 1 or args.count > 1_000_000:
        sys.exit("--count doit être compris entre 1 et 1 000 000.")
    if os.environ.get("BENCH_DATABASE_URL"):
        os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crpv_site.settings")
    import django  # after the database URL is chosen: settings read it once

    django.setup()
    from bench.synthetic import RefusedError, generate
    from crpv_site.progress import Progress

    try:
        added = generate(args.count, seed=args.seed, progress=Progress(sys.stdout))
    except RefusedError as exc:
        sys.exit(str(exc))
    print(f"{added} cas synthétiques ajoutés.")
