"""The one FilterSet of case browsing: the HTML list, the JSON API and the exports use it.

Every facet is a ``FacetFilter`` on the precomputed ``BrowseKey`` index
(``field_name="browse_keys__value"``, ``lookup_expr="in"``): chosen values of
one facet combine with OR (one ``IN``), facets with AND (one subquery each).
Values are validated against the facet's known values, so an unknown code is
reported, never a 500.
"""

import django_filters

from initiatives.browse.facets import BY_NAME, FACETS
from initiatives.models import BrowseKey, Initiative
from territories.models import Territory

SORTS = {
    "pertinence": "pertinence",
    "recent": "les plus récents",
    "titre": "titre (A → Z)",
    "territoire": "territoire (A → Z)",
}
PER_PAGE = [10, 20, 50, 100]
DEFAULT_PER_PAGE = 20


class FacetFilter(django_filters.MultipleChoiceFilter):
    def __init__(self, *args, facet, **kwargs):
        self.facet = facet
        kwargs.setdefault("field_name", "browse_keys__value")
        kwargs.setdefault("lookup_expr", "in")
        kwargs.setdefault("label", BY_NAME[facet].label)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        keys = BrowseKey.objects.filter(facet=self.facet, value__in=value).values("initiative_id")
        return qs.filter(pk__in=keys)


class TerritoryFilter(django_filters.CharFilter):
    """``territoire=<slug>``: cases inside that territory (its descendants included)."""

    def filter(self, qs, value):
        if not value:
            return qs
        territory = Territory.objects.filter(slug=value).only("path").first()
        if territory is None:
            return qs.none()
        return qs.filter(**{f"{self.field_name}__{self.lookup_expr}": territory.path})


class InitiativeFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Rechercher", method="filter_nothing", max_length=200)
    territoire = TerritoryFilter(
        field_name="territory__path", lookup_expr="startswith", label="Territoire", max_length=220
    )

    class Meta:
        model = Initiative
        fields = []

    def __init__(self, data=None, *args, labels=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        # Facet filters are declared from FACETS, with the values known today as choices.
        for facet in FACETS:
            choices = list((labels or {}).get(facet.name, {}).items())
            self.filters[facet.param] = FacetFilter(facet=facet.name, choices=choices)
            self.filters[facet.param].parent = self
            self.filters[facet.param].model = Initiative

    def filter_nothing(self, queryset, name, value):
        # The text query is applied by initiatives.browse.search (ranking, fallback), not here.
        return queryset
