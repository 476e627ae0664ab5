"""``python -m initiatives.casefiles [FILE ...]``: check case files (all of them by default)."""

import sys

from initiatives.casefiles.check import main

sys.exit(main())
