"""Admin behaviour shared by the apps."""

from dataclasses import dataclass

from django.contrib import admin
from django.contrib.admin.utils import unquote
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


class FrenchTitlesMixin:
    """Page titles of the admin in French with articles, gender and elision.

    Django's French catalogue builds titles from the verbose name alone ("Ajout
    de initiative", "Sélectionnez initiative à modifier"); django-reversion's
    gives "Récupérer initiatives supprimés". Each admin says how its model is
    named (``titles``) and gets "Ajouter une initiative", "Modifier l'initiative",
    "Récupérer les initiatives supprimées".
    """

    @dataclass(frozen=True)
    class Titles:
        indefinite: str  # "une initiative", "un acteur"
        definite: str  # "l'initiative", "le thème"
        plural: str  # "initiatives"
        feminine: bool = False

        def deleted(self):
            return f"les {self.plural} supprimé{'es' if self.feminine else 's'}"

    titles = None

    def _titled(self, extra_context, title):
        if not self.titles:
            return extra_context
        return {"title": title, "french_titles": self.titles, **(extra_context or {})}

    def changelist_view(self, request, extra_context=None):
        verb = "modifier" if self.has_change_permission(request) else "consulter"
        return super().changelist_view(
            request, self._titled(extra_context, f"Choisir {self.titles.indefinite} à {verb}" if self.titles else "")
        )

    def add_view(self, request, form_url="", extra_context=None):
        title = f"Ajouter {self.titles.indefinite}" if self.titles else ""
        return super().add_view(request, form_url, self._titled(extra_context, title))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id)) if self.titles else None
        verb = "Modifier" if self.has_change_permission(request, obj) else "Consulter"
        title = f"{verb} {self.titles.definite}" if self.titles else ""
        return super().change_view(request, object_id, form_url, self._titled(extra_context, title))

    def recoverlist_view(self, request, extra_context=None):  # django-reversion
        title = f"Récupérer {self.titles.deleted()}" if self.titles else ""
        return super().recoverlist_view(request, self._titled(extra_context, title))

    def recover_view(self, request, version_id, extra_context=None):  # django-reversion
        title = f"Récupérer {self.titles.definite}" if self.titles else ""
        return super().recover_view(request, version_id, self._titled(extra_context, title))

    def revision_view(self, request, object_id, version_id, extra_context=None):  # django-reversion
        title = f"Restaurer une version de {self.titles.definite}" if self.titles else ""
        return super().revision_view(request, object_id, version_id, self._titled(extra_context, title))
