"""The one FilterSet of case browsing: it validates the parameters of the HTML list, the JSON API and
the exports (``selectors.parse``), and its filters are the SQL reference of what each parameter means.

The pages do not run that SQL: they filter and count on each process's
in-memory bitsets (``initiatives.browse.bitsets``), which the tests check
against these filters (``initiatives.browse.reference_counts``, one aggregate
query per facet). Every facet filter reads the precomputed ``BrowseKey``
index: chosen values of one facet combine with OR (one ``IN``), facets with
AND (one subquery each). A facet's choices are its values known today
(``facets.facet_labels``), so an unknown code is reported, never a 500.
"""

import django_filters

from initiatives.browse.facets import BY_NAME, BY_PARAM
from initiatives.browse.search import search
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
    """``<param>=<value>`` (repeatable): cases having one of the values in the facet's ``BrowseKey`` rows."""

    def __init__(self, facet, **kwargs):
        self.facet = facet
        super().__init__(field_name="browse_keys__value", lookup_expr="in", label=BY_NAME[facet].label, **kwargs)

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
    # What a search finds depends on the page size (partial matches fill a page): the same as the list.
    q = django_filters.CharFilter(label="Rechercher", method="filter_text", max_length=200)
    territoire = TerritoryFilter(
        field_name="territory__path", lookup_expr="startswith", label="Territoire", max_length=220
    )
    theme = FacetFilter("theme")
    region = FacetFilter("region")
    departement = FacetFilter("department")
    centre = FacetFilter("centre")
    porteur = FacetFilter("carrier_kind")
    acteur = FacetFilter("actor_kind")
    categorie = FacetFilter("category")
    public = FacetFilter("public")
    periode = FacetFilter("period")
    milieu = FacetFilter("setting")
    precision = FacetFilter("precision")
    documentation = FacetFilter("level")
    poursuivie = FacetFilter("continued")
    benevoles = FacetFilter("volunteers")
    source = FacetFilter("source")
    motcle = FacetFilter("tag")

    class Meta:
        model = Initiative
        fields = []

    def __init__(self, data=None, queryset=None, *, labels=None, **kwargs):
        super().__init__(data, queryset=queryset if queryset is not None else Initiative.objects.published(), **kwargs)
        for param, facet in BY_PARAM.items():  # the values known today are the choices
            self.filters[param].extra["choices"] = list((labels or {}).get(facet.name, {}).items())

    def filter_text(self, queryset, name, value):
        per_page = str(self.data.get("par_page") or "")
        return search(queryset, value, per_page=int(per_page) if per_page.isdigit() else DEFAULT_PER_PAGE)
