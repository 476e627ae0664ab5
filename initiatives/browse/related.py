"""Cases related to a case: similar ones (shared facet keys) and its neighbours within a search."""

from initiatives.browse import bitsets
from initiatives.browse.selectors import browse, cases_in_order
from initiatives.models import Initiative

# Weights of what two cases share, for "similar cases" (DESIGN: themes, territory, actor kinds, text).
SIMILARITY_WEIGHTS = {"theme": 3, "department": 2, "region": 1, "actor_kind": 1, "public": 1, "tag": 2}


SIMILAR_CANDIDATES = 3000


def similar(initiative, limit=5):
    """Published cases sharing the most weighted facet keys with ``initiative``.

    Candidates share a theme or the place (from the in-memory facet index),
    those sharing both first; up to ``SIMILAR_CANDIDATES`` of them, most recent
    first, are scored by the weights of the keys they share. One query for the index version, one for the cases.
    """
    index = bitsets.current()
    own = {key for key in index.keys_of.get(initiative.pk, ()) if key[0] in SIMILARITY_WEIGHTS}
    if not own:
        return []
    themes = places = 0
    for key in own:
        if key[0] == "theme":
            themes |= index.bits.get(key, 0)
        elif key[0] in ("department", "region"):
            places |= index.bits.get(key, 0)
    itself = ~(1 << initiative.pk)
    # Cases sharing a theme and the place first, then those sharing either.
    tiers = [themes & places & itself, (themes | places) & ~(themes & places) & itself]
    scores = []
    for tier in tiers:
        members, remaining = bitsets.Membership(tier), tier.bit_count()
        for case_id in index.orders["recent"]:
            if len(scores) >= SIMILAR_CANDIDATES or not remaining:
                break
            if case_id in members:
                remaining -= 1
                shared = own.intersection(index.keys_of.get(case_id, ()))
                scores.append((-sum(SIMILARITY_WEIGHTS[f] for f, _ in shared), case_id))
    best = [case_id for _, case_id in sorted(scores)[:limit]]
    return cases_in_order(best, Initiative.objects.select_related("territory"))


def neighbours(params, initiative):
    """Previous and next cases of the search the reader came from (its URL's query string)."""
    result = browse(params, with_facets=False, paginate_results=False)
    ids = result.all_ids()
    if initiative.pk not in ids:
        return None
    i = ids.index(initiative.pk)
    previous_id = ids[i - 1] if i else None
    next_id = ids[i + 1] if i + 1 < len(ids) else None
    found = Initiative.objects.published().in_bulk([x for x in (previous_id, next_id) if x])
    return {"previous": found.get(previous_id), "next": found.get(next_id), "position": i + 1, "total": len(ids)}
