"""The reference implementation of the disjunctive facet counts, in SQL: one aggregate query per facet.

Not used by the pages, which count on each process's in-memory bitsets
(``initiatives.browse.bitsets``): it is what those counts are tested against,
and the "floor" the browse benchmark times.
"""

from django.db.models import Count

from initiatives.browse.facets import FACETS, facet_labels
from initiatives.browse.filters import InitiativeFilterSet
from initiatives.models import BrowseKey


def sql_facet_counts(params, labels=None):
    """The same disjunctive facet counts computed in SQL, one aggregate query per facet.

    Not used by the pages: it is the reference the in-memory index is tested
    against, and the "floor" the benchmark times.
    """
    labels = labels if labels is not None else facet_labels()
    filterset = InitiativeFilterSet(params.copy(), labels=labels)
    filterset.form.is_valid()
    cleaned = filterset.form.cleaned_data
    base = filterset.queryset
    for param in ("q", "territoire"):
        if cleaned.get(param):
            base = filterset.filters[param].filter(base, cleaned[param])
    chosen = {f.param: cleaned.get(f.param) or [] for f in FACETS}
    searching = bool(cleaned.get("q") or cleaned.get("territoire"))
    out = {}
    for facet in FACETS:
        qs = base
        others = [o for o in FACETS if o.param != facet.param and chosen[o.param]]
        for other in others:
            qs = filterset.filters[other.param].filter(qs, chosen[other.param])
        keys = BrowseKey.objects.filter(facet=facet.name)
        if searching or others:  # BrowseKey holds published cases only: no filter, no subquery
            keys = keys.filter(initiative__in=qs.values("pk"))
        out[facet.name] = dict(
            keys.values("value").annotate(n=Count("initiative_id")).order_by().values_list("value", "n")
        )
    return out
