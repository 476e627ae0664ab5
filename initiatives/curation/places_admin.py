from django.contrib import admin
from django.db.models import Count

from crpv_site.admin_mixins import ReferenceDataAdmin
from territories.models import ResourceCentre, Territory


@admin.register(Territory)
class TerritoryAdmin(ReferenceDataAdmin):
    """INSEE territories are read-only; administrators may add or fix QPV, which no package ships."""

    list_display = ["name", "kind", "code", "parent", "population"]
    list_filter = ["kind", ("region", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "code"]
    list_select_related = ["parent"]
    readonly_fields = ["path", "depth", "region", "department"]
    fields = ["kind", "name", "code", "slug", "parent", "population", "source", "path", "depth", "region", "department"]
    autocomplete_fields = ["parent"]
    list_per_page = 50

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.kind == Territory.Kind.QPV)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj) and (obj is None or not obj.initiatives.exists())

    def get_search_results(self, request, queryset, search_term):
        # Communes first, then by name: typing "Nantes" offers the commune before homonymous QPV.
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term:
            queryset = queryset.order_by("depth", "name")
        return queryset, may_have_duplicates


@admin.register(ResourceCentre)
class ResourceCentreAdmin(ReferenceDataAdmin):
    list_display = ["name", "short_name", "is_national", "coverage_list", "n_curated", "curator_list"]
    readonly_fields = ["curator_list"]
    list_filter = ["is_national"]
    search_fields = ["name", "short_name", "slug"]
    autocomplete_fields = ["coverage"]
    prepopulated_fields = {"slug": ["short_name"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(n=Count("curated_initiatives", distinct=True))
            .prefetch_related("coverage", "curators")
            .order_by(*ResourceCentre._meta.ordering)
        )

    @admin.display(description="territoires couverts")
    def coverage_list(self, obj):
        return ", ".join(t.name for t in obj.coverage.all())

    @admin.display(description="cas suivis", ordering="n")
    def n_curated(self, obj):
        return obj.n

    @admin.display(description="curateur·rices")
    def curator_list(self, obj):
        # Onboarding is `manage.py create_curator` or the user's page ("Curation").
        return ", ".join(u.email for u in obj.curators.all() if u.is_active) or "—"
