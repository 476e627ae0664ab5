"""Search relevance on the real cases, on both databases: recall@10 of the judged queries of
tests/data/relevance.yaml must stay at 0.90 or above (bench/relevance.py prints the details)."""

import pytest

from bench.relevance import CUTOFF, judge, summary

pytestmark = pytest.mark.django_db(transaction=False)

MIN_RECALL = 0.90


def test_the_judged_queries_find_their_cases(demo):
    judged = judge()
    assert len(judged) >= 40
    recall, mrr = summary(judged)
    worst = [(j.query, [s for s in j.expected if s not in j.found]) for j in judged if j.recall < 1]
    assert recall >= MIN_RECALL, f"recall@{CUTOFF} {recall:.3f}, MRR {mrr:.3f}; manqués : {worst}"
