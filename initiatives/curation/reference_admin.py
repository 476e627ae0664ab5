"""Admin of the reference data cases point to: themes, publics, periods, sources, tags, actors.

Reference lists are read-only to curators (``ReferenceDataAdmin``); named
actors are shared by every centre, unnamed ones follow their case.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db.models import Count
from django.urls import reverse
from taggit.models import Tag

from crpv_site.admin_mixins import URL_FIELD_OVERRIDES, FrenchTitlesMixin, ReadOnlyAdmin, ReferenceDataAdmin
from initiatives import permissions
from initiatives.models import Actor, ActorAlias, CrisisPeriod, Public, Source, Theme, ThesaurusEntry


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
class ThemeAdmin(FrenchTitlesMixin, ReferenceDataAdmin):
    titles = FrenchTitlesMixin.Titles("un thème", "le thème", "thèmes")
    list_display = ["__str__", "slug", "n_initiatives"]
    list_filter = [RootThemeFilter, "parent"]
    search_fields = ["name", "slug", "parent__name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ThemeChildrenInline]

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
class PublicAdmin(FrenchTitlesMixin, ReferenceDataAdmin):
    titles = FrenchTitlesMixin.Titles("un public", "le public", "publics")
    list_display = ["name", "slug", "position"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(CrisisPeriod)
class CrisisPeriodAdmin(FrenchTitlesMixin, ReadOnlyAdmin):
    titles = FrenchTitlesMixin.Titles("une période", "la période", "périodes", feminine=True)
    list_display = ["name", "start", "end"]
    search_fields = ["name"]


@admin.register(Source)
class SourceAdmin(FrenchTitlesMixin, ReferenceDataAdmin):
    titles = FrenchTitlesMixin.Titles("une source", "la source", "sources", feminine=True)
    list_display = ["slug", "publisher", "title", "date_label", "file_name", "n_citations"]
    search_fields = ["slug", "publisher", "title"]
    prepopulated_fields = {"slug": ["title"]}

    def has_add_permission(self, request):
        # A case from a new report needs its source for its citations: curators add it; administrators
        # correct and delete sources.
        return request.user.is_superuser or request.user.has_perm("initiatives.add_source")

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
class ActorAdmin(FrenchTitlesMixin, admin.ModelAdmin):
    titles = FrenchTitlesMixin.Titles("un acteur", "l'acteur", "acteurs")
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

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_touch(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_touch(request, obj)

    @staticmethod
    def _may_touch(request, obj):
        """An actor is changed by a curator only when every case using it is one of their centres'
        (issue 13: renaming a shared actor changed other centres' pages and facets)."""
        return obj is None or permissions.may_edit_actor(request.user, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        actor = self.get_object(request, unquote(object_id))
        elsewhere = permissions.actor_cases_elsewhere(request.user, actor) if actor is not None else []
        if elsewhere and request.method == "GET":
            self.message_user(
                request,
                "Cet acteur figure aussi dans des cas d'autres centres de ressources ("
                + ", ".join(elsewhere[:5])
                + ") : pour le renommer ou le modifier, demandez-le à un administrateur. Vous pouvez "
                "le retirer de vos cas, ou en créer un autre.",
                messages.WARNING,
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.path == reverse("admin:autocomplete"):
            # Unnamed actors ("deux résidentes") belong to their own case: never offered for another.
            queryset = queryset.filter(is_unnamed=False)
        return queryset, may_have_duplicates

    @admin.display(description="cas", ordering="n")
    def n_initiatives(self, obj):
        return obj.n


# Tags: taggit's own admin would rename a tag without rebuilding the facet keys of its cases.
admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(FrenchTitlesMixin, ReferenceDataAdmin):
    titles = FrenchTitlesMixin.Titles("un mot-clé", "le mot-clé", "mots-clés")
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(ThesaurusEntry)
class ThesaurusEntryAdmin(FrenchTitlesMixin, ReferenceDataAdmin):
    """The search thesaurus: administrators edit it; a change made here survives reloads of the file."""

    titles = FrenchTitlesMixin.Titles("une entrée du thésaurus", "l'entrée du thésaurus", "entrées du thésaurus", True)
    list_display = ["key", "kind", "acronym", "expressions_list", "active", "edited", "updated_at"]
    list_filter = ["kind", "active", "edited"]
    search_fields = ["key", "acronym", "terms"]
    fields = ["key", "kind", "acronym", "terms", "active", "edited"]
    readonly_fields = ["edited"]

    def has_delete_permission(self, request, obj=None):
        return False  # "en service" unticked instead: a deleted entry would come back with the next load

    @admin.display(description="expressions")
    def expressions_list(self, obj):
        return " · ".join(obj.expressions())

    def save_model(self, request, obj, form, change):
        obj.edited = True  # a reload of thesaurus.yaml will leave it as it is now
        super().save_model(request, obj, form, change)
