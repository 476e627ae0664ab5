from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from django.urls import reverse
from taggit.models import Tag, TaggedItem

from crpv_site.admin_mixins import URL_FIELD_OVERRIDES, ReadOnlyAdmin, ReferenceDataAdmin
from initiatives.browse_index import refresh
from initiatives.models import (
    Actor,
    ActorAlias,
    Citation,
    CrisisPeriod,
    Initiative,
    Involvement,
    KeyFigure,
    Public,
    Source,
    Theme,
)


class ThemeChildrenInline(admin.TabularInline):
    model = Theme
    fk_name = "parent"
    fields = ["name", "slug", "position"]
    extra = 0
    verbose_name = "sous-thème"
    verbose_name_plural = "sous-thèmes"


class RootThemeFilter(admin.SimpleListFilter):
    title = "niveau"
    parameter_name = "niveau"

    def lookups(self, request, model_admin):
        return [("racine", "thèmes racines"), ("fin", "sous-thèmes")]

    def queryset(self, request, queryset):
        if self.value() == "racine":
            return queryset.filter(parent__isnull=True)
        if self.value() == "fin":
            return queryset.filter(parent__isnull=False)
        return queryset


@admin.register(Theme)
class ThemeAdmin(ReferenceDataAdmin):
    list_display = ["__str__", "slug", "n_initiatives"]
    list_filter = [RootThemeFilter, "parent"]
    search_fields = ["name", "slug", "parent__name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ThemeChildrenInline]

    def cases_of(self, obj):
        # Moving a theme under another root changes the root keys of its cases.
        return obj.initiatives.values_list("pk", flat=True)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("parent")
            .annotate(n=Count("initiatives"))
            .order_by(*Theme._meta.ordering)
        )

    @admin.display(description="cas", ordering="n")
    def n_initiatives(self, obj):
        return obj.n


@admin.register(Public)
class PublicAdmin(ReferenceDataAdmin):
    list_display = ["name", "slug", "position"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def cases_of(self, obj):
        return obj.initiatives.values_list("pk", flat=True)


@admin.register(CrisisPeriod)
class CrisisPeriodAdmin(ReadOnlyAdmin):
    list_display = ["name", "start", "end"]
    search_fields = ["name"]


@admin.register(Source)
class SourceAdmin(ReferenceDataAdmin):
    list_display = ["slug", "publisher", "title", "date_label", "file_name", "n_citations"]
    search_fields = ["slug", "publisher", "title"]

    def cases_of(self, obj):
        return obj.citations.values_list("initiative_id", flat=True)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n=Count("citations")).order_by(*Source._meta.ordering)

    @admin.display(description="citations", ordering="n")
    def n_citations(self, obj):
        return obj.n


class ActorAliasInline(admin.TabularInline):
    model = ActorAlias
    fields = ["name"]
    extra = 0


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "category", "is_unnamed", "territory", "n_initiatives"]
    list_filter = ["kind", "category", "is_unnamed"]
    search_fields = ["name", "aliases__name", "slug"]
    autocomplete_fields = ["territory"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ActorAliasInline]
    formfield_overrides = URL_FIELD_OVERRIDES
    show_facets = admin.ShowFacets.ALWAYS
    list_select_related = ["territory"]

    def get_queryset(self, request):
        # GROUP BY drops Meta.ordering: restore it, the autocomplete paginates.
        return (
            super()
            .get_queryset(request)
            .annotate(n=Count("involvements__initiative", distinct=True))
            .order_by(*Actor._meta.ordering)
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # A new name or kind changes the search text and facets of every case of this actor.
        refresh(list(obj.involvements.values_list("initiative_id", flat=True)))

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.path == reverse("admin:autocomplete"):
            # Unnamed actors ("deux résidentes") belong to their own case: never offered for another.
            queryset = queryset.filter(is_unnamed=False)
        return queryset, may_have_duplicates

    @admin.display(description="cas", ordering="n")
    def n_initiatives(self, obj):
        return obj.n


class InvolvementInline(admin.TabularInline):
    model = Involvement
    fields = ["actor", "role", "note"]
    autocomplete_fields = ["actor"]
    extra = 1


class CitationInline(admin.StackedInline):
    model = Citation
    fields = [("source", "locator", "position"), "excerpt"]
    extra = 1


class KeyFigureInline(admin.TabularInline):
    model = KeyFigure
    fields = ["text", "position"]
    extra = 0


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ["title", "territory", "documentation_level", "status", "curating_centre", "updated_at"]
    list_filter = [
        "status",
        "documentation_level",
        "precision",
        ("curating_centre", admin.RelatedOnlyFieldListFilter),
        ("region", admin.RelatedOnlyFieldListFilter),
        ("themes", admin.RelatedOnlyFieldListFilter),
        "periods",
        "needs_update",
        ("citations__source", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["title", "slug", "summary", "territory__name", "involvements__actor__name"]
    list_select_related = ["territory", "curating_centre"]
    autocomplete_fields = ["territory", "themes", "publics", "reporting_centre", "curating_centre", "related"]
    filter_horizontal = ["periods"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["precision", "published_at", "created_at", "updated_at"]
    show_facets = admin.ShowFacets.ALWAYS
    date_hierarchy = "published_at"
    inlines = [InvolvementInline, CitationInline, KeyFigureInline]
    save_on_top = True
    fieldsets = (
        (None, {"fields": ("title", "slug", "summary")}),
        ("Lieu", {"fields": ("territory", "precision", "setting")}),
        (
            "Classement",
            {"fields": ("themes", "publics", "tags", "periods", ("start_date", "end_date"), "related")},
        ),
        ("Grille d'analyse", {"fields": tuple(field for field, _ in Initiative.SECTIONS)}),
        ("Caractéristiques (questionnaire Odas)", {"fields": tuple(field for field, _ in Initiative.FACTS)}),
        (
            "Suivi éditorial",
            {
                "fields": (
                    "documentation_level",
                    "status",
                    "needs_update",
                    "reporting_centre",
                    "curating_centre",
                    "published_at",
                    ("created_at", "updated_at"),
                )
            },
        ),
    )

    def get_search_results(self, request, queryset, search_term):
        queryset, _ = super().get_search_results(request, queryset, search_term)
        return queryset.distinct() if search_term else queryset, False

    def save_related(self, request, form, formsets, change):
        # Themes, publics, tags, involvements and citations are saved after save():
        # rebuild the case's facet keys and search text once they are in.
        super().save_related(request, form, formsets, change)
        refresh([form.instance.pk])


# Tags: taggit's own admin would rename a tag without rebuilding the facet keys of its cases.
admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(ReferenceDataAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def cases_of(self, obj):
        items = TaggedItem.objects.filter(tag=obj, content_type=ContentType.objects.get_for_model(Initiative))
        return items.values_list("object_id", flat=True)
