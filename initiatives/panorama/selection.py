"""A selection of published cases, read from the list's own parameters, and the list URLs of its slices.

The panoramas take the parameters of ``/initiatives/`` and validate them with the browse selector's
own steps (``selectors.parse``, the FilterSet, then ``selectors.match`` on the in-memory index), so
the selection is exactly the list's. A slice of it is the selection AND one facet value; its link
is the list with that value, and it promises exactly the slice's count:

- when the selection does not filter on that facet, the value is added;
- when it filters on that facet and the value is among the chosen ones, the facet's values are
  replaced by that one (the selection AND the value is then the other filters AND the value);
- otherwise (values of a facet combine with OR) no list shows that slice: no link.
"""

from dataclasses import dataclass, field

from django.http import QueryDict
from django.urls import reverse

from initiatives.browse import bitsets, selectors
from initiatives.browse.facets import BY_NAME, facet_labels
from initiatives.browse.filters import DEFAULT_PER_PAGE


@dataclass
class Selection:
    bits: int  # the published cases of the selection
    active: list  # (param, value, label) of each filter in force, as the list shows them
    chosen: dict  # facet param -> chosen values
    errors: dict  # param -> message: a malformed selection is refused (400)
    notices: list
    index: object  # the in-memory facet index the counts are read from
    labels: dict = field(default_factory=dict)  # facet name -> {value: label}
    extra: list = field(default_factory=list)  # other parameters a link keeps (the page size of a search)

    @property
    def total(self) -> int:
        return self.bits.bit_count()

    def bits_of(self, facet: str, value: str) -> int:
        """The cases of the selection that have ``value`` in ``facet``."""
        return self.bits & self.index.bits.get((facet, value), 0)

    def params(self, **values) -> QueryDict | None:
        """The list's parameters for the selection AND each ``facet name=value``; None when no list
        shows exactly that slice (see the module's note)."""
        params = QueryDict(mutable=True)
        for param, value, _ in self.active:
            params.appendlist(param, value)
        for name, value in self.extra:
            params[name] = value
        for facet, value in values.items():
            param = BY_NAME[facet].param
            chosen = self.chosen.get(param) or []
            if chosen and value not in chosen:
                return None
            params.setlist(param, [value])
        return params

    def url(self, name="browse:list", **values) -> str:
        """The list (or another page taking the list's parameters) of the slice; "" when there is none."""
        params = self.params(**values)
        if params is None:
            return ""
        query = params.urlencode()
        return f"{reverse(name)}?{query}" if query else reverse(name)


def select(params) -> Selection:
    """The published cases the list would show for ``params`` (a QueryDict), every page."""
    labels = facet_labels()
    query = selectors.parse(params, labels)
    index = bitsets.current()
    found = selectors.match(query, index)
    extra = [("par_page", str(query.per_page))] if query.q and query.per_page != DEFAULT_PER_PAGE else []
    return Selection(
        bits=found.results,
        active=selectors.active_filters(query, labels),
        chosen=query.chosen,
        errors=query.errors,
        notices=query.notices,
        index=index,
        labels=labels,
        extra=extra,
    )
