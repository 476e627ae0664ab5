"""Admin behaviour shared by the apps."""

from django.contrib import admin
from django.db import models

# Web addresses typed without a scheme are taken as https (Django 6's default).
URL_FIELD_OVERRIDES = {models.URLField: {"assume_scheme": "https"}}


class ReferenceDataAdmin(admin.ModelAdmin):
    """Reference data: read-only for everybody but administrators (house rule 6).

    Curators still see it (view permission), which the autocomplete widgets of
    the case form need. A change (a renamed slug, a deleted public) changes the
    facet keys and search text of the cases that use it: ``cases_of`` names
    them and they are rebuilt after the save or the deletion.
    """

    show_facets = admin.ShowFacets.ALWAYS
    formfield_overrides = URL_FIELD_OVERRIDES

    def cases_of(self, obj):
        """Ids of the cases whose derived data depend on ``obj``."""
        return []

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self._refresh(self.cases_of(obj))

    def delete_model(self, request, obj):
        ids = list(self.cases_of(obj))
        super().delete_model(request, obj)
        self._refresh(ids)

    def delete_queryset(self, request, queryset):
        ids = [i for obj in queryset for i in self.cases_of(obj)]
        super().delete_queryset(request, queryset)
        self._refresh(ids)

    @staticmethod
    def _refresh(ids):
        from initiatives.browse.keys import refresh

        refresh(list(ids))

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class ReadOnlyAdmin(admin.ModelAdmin):
    """Official lists loaded from their source (INSEE, the dated period list): nobody edits them here."""

    show_facets = admin.ShowFacets.ALWAYS

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
