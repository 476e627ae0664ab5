"""Admin of the geography cases point to: territories (INSEE's, read-only, and the neighbourhoods
curators add) and resource centres (administrators only)."""

from django import forms
from django.contrib import admin
from django.db.models import Count

from crpv_site.admin_mixins import FrenchTitlesMixin, ReferenceDataAdmin
from initiatives import permissions
from territories.models import ResourceCentre, Territory


class NeighbourhoodForm(forms.ModelForm):
    """A QPV or quartier under a commune: what curators may add (the rest of the tree is INSEE's)."""

    user = None

    class Meta:
        model = Territory
        fields = ["kind", "name", "code", "parent", "also_in", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "kind" in self.fields:
            self.fields["kind"].choices = [(k.value, k.label) for k in Territory.NEIGHBOURHOODS]
        if "parent" in self.fields:
            self.fields["parent"].required = True
            self.fields["parent"].label = "commune"
            self.fields["parent"].help_text = "La commune (ou l'arrondissement) où se trouve le quartier."

    def clean(self):
        cleaned = super().clean()
        parent = cleaned.get("parent")
        if parent is not None and parent.kind not in (Territory.Kind.COMMUNE, Territory.Kind.ARRONDISSEMENT):
            self.add_error("parent", "Un quartier se rattache à une commune ou un arrondissement.")
        elif parent is not None and not permissions.may_add_neighbourhood(self.user, parent):
            self.add_error("parent", f"{parent} n'est pas couverte par vos centres de ressources.")
        name = " ".join((cleaned.get("name") or "").split())
        same = Territory.objects.filter(kind__in=Territory.NEIGHBOURHOODS, parent=parent, name__iexact=name)
        if parent is not None and name and same.exclude(pk=self.instance.pk).exists():
            self.add_error("name", f"{parent} a déjà un quartier « {name} ».")
        return cleaned


@admin.register(Territory)
class TerritoryAdmin(FrenchTitlesMixin, ReferenceDataAdmin):
    """INSEE territories are read-only. Neighbourhoods (QPV, quartiers), which no package ships, are
    added by curators under a commune of their coverage; administrators edit and delete them."""

    titles = FrenchTitlesMixin.Titles("un territoire", "le territoire", "territoires")

    list_display = ["name", "kind", "code", "parent", "population"]
    list_filter = ["kind", ("region", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "code"]
    list_select_related = ["parent"]
    readonly_fields = ["path", "depth", "region", "department"]
    fields = [
        "kind",
        "name",
        "code",
        "slug",
        "parent",
        "also_in",
        "population",
        "source",
        "path",
        "depth",
        "region",
        "department",
    ]
    autocomplete_fields = ["parent", "also_in"]
    list_per_page = 50

    def has_add_permission(self, request):
        # Curators add neighbourhoods; the form checks the commune lies in their coverage.
        return request.user.is_superuser or (
            request.user.has_perm("territories.add_territory") and bool(permissions.centre_ids(request.user))
        )

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.kind in Territory.NEIGHBOURHOODS)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj) and (obj is None or not obj.initiatives.exists())

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None or obj.kind in Territory.NEIGHBOURHOODS:
            kwargs["form"] = type("NeighbourhoodForm", (NeighbourhoodForm,), {"user": request.user})
            kwargs["fields"] = NeighbourhoodForm.Meta.fields
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:  # a new neighbourhood
            return NeighbourhoodForm.Meta.fields
        if obj.kind in Territory.NEIGHBOURHOODS:
            return [*NeighbourhoodForm.Meta.fields, *self.readonly_fields]
        return super().get_fields(request, obj)

    def get_changeform_initial_data(self, request):
        return {
            "kind": Territory.Kind.QPV,
            "source": f"ajouté par {request.user.email}",
            **super().get_changeform_initial_data(request),
        }

    def get_search_results(self, request, queryset, search_term):
        # Communes first, then by name: typing "Nantes" offers the commune before homonymous QPV.
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.GET.get("model_name") == "territory" and request.GET.get("field_name") in ("parent", "also_in"):
            queryset = queryset.filter(kind__in=[Territory.Kind.COMMUNE, Territory.Kind.ARRONDISSEMENT])
        if search_term:
            queryset = queryset.order_by("depth", "name")
        return queryset, may_have_duplicates


@admin.register(ResourceCentre)
class ResourceCentreAdmin(FrenchTitlesMixin, ReferenceDataAdmin):
    titles = FrenchTitlesMixin.Titles("un centre de ressources", "le centre de ressources", "centres de ressources")
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
