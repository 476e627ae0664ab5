"""Cases related to a case: similar ones (shared facet keys) and its neighbours within a search."""

from initiatives.browse import bitsets
from initiatives.browse.selectors import browse, cases_in_order
from initiatives.models import Initiative

# Weights of what two cases share, for "similar cases" (DESIGN: themes, territory, actor kinds, text).
SIMILARITY_WEIGHTS = {"theme": 3, "department": 2, "region": 1, "actor_kind": 1, "public": 1, "tag": 2}


def similar(initiative, limit=5):
    """Published cases sharing the most weighted facet keys with ``initiative``.

    Candidates share a theme or the place (from the in-memory facet index). Every candidate's score
    (the weights of the keys it shares) is summed at once over the bitsets, bit-sliced: ``planes[i]``
    holds bit ``i`` of every case's score, so adding a key costs a few operations on whole bitsets
    whatever the number of cases. The best scores are then read from the top down, ties to the
    oldest case id. One query for the index version, one for the cases.
    """
    index = bitsets.current()
    own = {key for key in index.keys_of.get(initiative.pk, ()) if key[0] in SIMILARITY_WEIGHTS}
    if not own:
        return []
    candidates = 0
    for key in own:
        if key[0] in ("theme", "department", "region"):
            candidates |= index.bits.get(key, 0)
    candidates &= ~(1 << initiative.pk)
    planes = _score_planes((SIMILARITY_WEIGHTS[key[0]], index.bits.get(key, 0) & candidates) for key in own)
    best = []
    for score in range((1 << len(planes)) - 1, 0, -1):  # no case scores above what its planes can hold
        scored = candidates
        for i, plane in enumerate(planes):
            scored &= plane if score >> i & 1 else ~plane
        while scored and len(best) < limit:
            lowest = scored & -scored
            best.append(lowest.bit_length() - 1)
            scored ^= lowest
        if len(best) >= limit:
            break
    return cases_in_order(best, Initiative.objects.select_related("territory"))


def _score_planes(weighted_bitsets):
    """Bit-sliced sum of ``weight × bitset``: plane ``i`` holds bit ``i`` of each position's total."""
    planes = []
    for weight, bits in weighted_bitsets:
        shift = 0
        while weight:
            if weight & 1:
                carry, i = bits, shift
                while carry:
                    planes.extend([0] * (i + 1 - len(planes)))
                    planes[i], carry = planes[i] ^ carry, planes[i] & carry
                    i += 1
            weight >>= 1
            shift += 1
    return planes


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
