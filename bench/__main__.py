"""``python -m bench [name ...]``: run the named benchmarks (all by default)."""

import sys

from bench import territory_load

BENCHMARKS = {"territory_load": territory_load.main}


def main(argv):
    names = argv or list(BENCHMARKS)
    for name in names:
        if name not in BENCHMARKS:
            sys.exit(f"benchmark inconnu : {name} (connus : {', '.join(BENCHMARKS)})")
        BENCHMARKS[name]()


if __name__ == "__main__":
    main(sys.argv[1:])
