"""A search to follow: the list's parameters, understood by the browse selector, and its cases
published or updated lately, newest first (by last update).

The feed and the digests read the same selector as the list (``initiatives.browse.selectors.browse``),
so they hold the very cases the list shows for the same parameters; what they add is the order by
``updated_at`` and, for a digest, the period.
"""

from dataclasses import dataclass

from django.http import QueryDict
from django.urls import reverse
from django.utils.http import urlencode

from initiatives.browse import selectors
from initiatives.models import Initiative

DIRECT_IDS = 2000  # up to this many matching cases, one query ``pk IN (…)``; beyond, walk the recent ones
CASE_SELECT = ("territory",)


@dataclass
class Search:
    result: object  # the selector's BrowseResult (every page, no facets)
    query: str  # the parameters as understood, in the list's URL form (sort and page left out)
    label: str  # what it is, in words

    @property
    def errors(self):
        return self.result.errors

    @property
    def list_url(self) -> str:
        return f"{reverse('browse:list')}?{self.query}" if self.query else reverse("browse:list")


def understand(params) -> Search:
    """``params`` (a QueryDict of the list) as a search: the filters in force, and their labels."""
    result = selectors.browse(params, with_facets=False, paginate_results=False)
    query = urlencode([(param, value) for param, value, _ in result.active])
    label = " ; ".join(label for _, _, label in result.active) or "toutes les initiatives publiées"
    return Search(result=result, query=query, label=label)


def understand_saved(query: str) -> Search:
    return understand(QueryDict(query))


def latest(search: Search, *, limit: int, since=None, until=None) -> tuple[list, int]:
    """The published cases of ``search`` updated in (``since``, ``until``], newest update first:
    ``limit`` of them at most, and how many there are in all (without ``since``, a wide search stops
    counting at ``limit``: the feed needs no total, and a period is short)."""
    wanted = set(search.result.ordered_ids)
    if not wanted:
        return [], 0
    recent = Initiative.objects.published().order_by("-updated_at", "-pk")
    if since is not None:
        recent = recent.filter(updated_at__gt=since)
    if until is not None:
        recent = recent.filter(updated_at__lte=until)
    if len(wanted) <= DIRECT_IDS:
        ids = list(recent.filter(pk__in=wanted).values_list("pk", flat=True))
    else:  # a wide search: the recent cases are few, the matching ones many
        ids = []
        for pk in recent.values_list("pk", flat=True).iterator(chunk_size=2000):
            if pk in wanted:
                ids.append(pk)
                if since is None and len(ids) == limit:
                    break
    cases = selectors.cases_in_order(ids[:limit], Initiative.objects.select_related(*CASE_SELECT))
    return cases, len(ids)
