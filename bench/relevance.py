"""Search relevance on the real cases: recall@10 and MRR of the judged queries of tests/data/relevance.yaml.

    python -m bench relevance            # on the database of DATABASE_URL (SQLite by default), demo data loaded
    DATABASE_URL=postgres://… python -m bench relevance

Each query lists the cases that must appear in its first ten results. Recall@10
is the share of those found in the first ten (averaged over the queries), MRR
the mean of 1 / rank of the first one found. The suite runs the same
measure on both databases and fails below a recall@10 of 0.90
(tests/data/test_search_relevance.py).
"""

import os
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

QUERIES = Path(__file__).resolve().parent.parent / "tests" / "data" / "relevance.yaml"
CUTOFF = 10


@dataclass
class Judged:
    query: str
    kind: str
    expected: list
    found: list  # the first CUTOFF slugs

    @property
    def recall(self):
        return sum(1 for slug in self.expected if slug in self.found) / len(self.expected)

    @property
    def reciprocal_rank(self):
        ranks = [self.found.index(slug) + 1 for slug in self.expected if slug in self.found]
        return 1 / min(ranks) if ranks else 0.0


def judge(path=QUERIES):
    from django.http import QueryDict  # noqa: PLC0415 — after django.setup(), when run as a script

    from initiatives.browse.selectors import browse  # noqa: PLC0415 — idem
    from initiatives.models import Initiative  # noqa: PLC0415 — idem

    judged = []
    for item in yaml.safe_load(path.read_text(encoding="utf-8")):
        params = QueryDict(mutable=True)
        params["q"] = item["query"]
        params["par_page"] = str(CUTOFF)
        ids = browse(params, with_facets=False).all_ids()[:CUTOFF]
        slugs = dict(Initiative.objects.filter(pk__in=ids).values_list("pk", "slug"))
        judged.append(Judged(item["query"], item.get("kind", ""), item["expected"], [slugs[i] for i in ids]))
    return judged


def summary(judged):
    return statistics.mean(j.recall for j in judged), statistics.mean(j.reciprocal_rank for j in judged)


def main(argv):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crpv_site.settings")
    import django  # noqa: PLC0415 — settings first

    django.setup()
    from django.db import connection  # noqa: PLC0415

    judged = judge()
    for j in sorted(judged, key=lambda j: (j.recall, j.reciprocal_rank)):
        missing = [s for s in j.expected if s not in j.found]
        flag = "" if not missing else f"  manque : {', '.join(missing)}"
        print(f"{j.recall:4.2f}  {j.reciprocal_rank:4.2f}  {j.kind:<12} {j.query}{flag}")
    recall, mrr = summary(judged)
    print(f"\n{connection.vendor} : {len(judged)} requêtes, recall@{CUTOFF} {recall:.3f}, MRR {mrr:.3f}")
    sys.stdout.flush()
