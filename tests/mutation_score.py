"""The mutation score per module, after ``mutmut run`` (``make mutation``; docs/testing.md).

Reads ``mutmut results --all true`` and prints, per mutated module, the mutants killed, survived and
not run, and the share killed; modules under the target are marked. Not a test: a report.

``--union DIR`` (repeatable) adds the results of another mutmut run of the same code in checkout
DIR: a mutant counts as killed when any run killed it. The search's matcher has one branch per
database, so its PostgreSQL branch is measured by a second run on PostgreSQL (docs/testing.md).
"""

import argparse
import subprocess
import sys
from collections import defaultdict

TARGET = 0.90
RANK = {"killed": 3, "timeout": 2, "suspicious": 2, "survived": 1}


def results(directory=None) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "mutmut", "results", "--all", "true"],
        capture_output=True,
        text=True,
        check=True,
        cwd=directory,
    ).stdout
    found = {}
    for line in out.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if ".x" in name:
            found[name] = status
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--union", action="append", default=[], metavar="DIR")
    args = parser.parse_args(argv)
    statuses = results()
    for directory in args.union:
        for name, status in results(directory).items():
            if name in statuses and RANK.get(status, 0) > RANK.get(statuses[name], 0):
                statuses[name] = status
    counts = defaultdict(lambda: defaultdict(int))
    for name, status in statuses.items():
        counts[name.split(".x", 1)[0].rstrip(".")][status] += 1
    print(f"{'module':45} {'killed':>7} {'survived':>8} {'other':>6} {'score':>6}")
    below = 0
    for module in sorted(counts):
        c = counts[module]
        ran = c["killed"] + c["survived"] + c["timeout"] + c["suspicious"]
        other = sum(c.values()) - c["killed"] - c["survived"]
        score = (c["killed"] + c["timeout"]) / ran if ran else 0.0
        mark = "" if score >= TARGET else "  < 90 %"
        below += bool(mark)
        print(f"{module:45} {c['killed']:>7} {c['survived']:>8} {other:>6} {score:>6.0%}{mark}")
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
