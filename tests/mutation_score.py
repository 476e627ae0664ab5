"""The mutation score per module, after ``mutmut run`` (``make mutation``; docs/testing.md).

Reads ``mutmut results --all true`` and prints, per mutated module, the mutants killed, survived and
not run, and the share killed; modules under the target are marked. Not a test: a report.
"""

import subprocess
import sys
from collections import defaultdict

TARGET = 0.90


def main() -> int:
    out = subprocess.run(
        [sys.executable, "-m", "mutmut", "results", "--all", "true"], capture_output=True, text=True, check=True
    ).stdout
    counts = defaultdict(lambda: defaultdict(int))
    for line in out.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if ".x" not in name:
            continue
        module = name.split(".x", 1)[0].rstrip(".")
        counts[module][status] += 1
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
