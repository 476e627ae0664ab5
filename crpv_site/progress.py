"""A plain-text progress display for long management commands.

On a terminal it redraws one line; in CI logs (not a TTY) it prints a line at
each tenth, so the log shows progress without thousands of lines.
"""

import sys
import time


class Progress:
    def __init__(self, stream=None, *, label=""):
        self.stream = stream or sys.stdout
        self.label = label
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.started = time.monotonic()
        self.last_tenth = {}

    def __call__(self, done, total, label=None):
        label = label or self.label
        pct = 100 * done // total if total else 100
        tenth = pct // 10
        if self.tty:
            self.stream.write(f"\r  {label:<16} {done:>7}/{total:<7} {pct:>3} %")
            if done >= total:
                self.stream.write("\n")
            self.stream.flush()
        elif self.last_tenth.get(label) != tenth or done >= total:
            self.last_tenth[label] = tenth
            self.stream.write(f"  {label:<16} {done:>7}/{total:<7} {pct:>3} %\n")

    def elapsed(self):
        return time.monotonic() - self.started
