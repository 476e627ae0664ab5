"""Admin behaviour shared by the apps."""

from django.contrib import admin
from django.db import models

# Web addresses typed without a scheme are taken as https (Django 6's default).
URL_FIELD_OVERRIDES = {models.URLField: {"assume_scheme": "https"}}


class ReferenceDataAdmin(admin.ModelAdmin):
    """Reference data: read-only for everybody but administrators (house rule 6).

    Curators still see it (view permission), which the autocomplete widgets of
    the case form need. What a change means for the cases that use a row (a
    renamed slug, a deleted public) is not the admin's business: the derived
    data of those cases is rebuilt by the write boundary (``initiatives.browse``).
    """

    show_facets = admin.ShowFacets.ALWAYS
    formfield_overrides = URL_FIELD_OVERRIDES

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
