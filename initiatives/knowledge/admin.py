"""Curating lessons and resources in the admin, like cases: the workflow, the history, the centre's scope.

Who may write is ``initiatives.permissions.may_edit_curated`` (the record's curating centre is one of
the curator's; the national network curates what comes from the national reports). A status moves
only as the cases' workflow allows (``initiatives.services.status_problem``), by the form or the list's
actions. A case a curator links to a lesson is marked as such: only the loader writes the report's links.
The history keeps every earlier state (a first version before the first change, one revision per
record for each workflow action), and a restore follows the cases' rules (``RestoreMixin``): the
record as it is and the version as it was must both be the curator's, and the status stays.
"""

import reversion
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from reversion.admin import VersionAdmin

from crpv_site.admin_mixins import URL_FIELD_OVERRIDES, FrenchTitlesMixin
from initiatives import permissions
from initiatives.curation.history_admin import RestoreMixin
from initiatives.models import Initiative, Lesson, LessonCitation, LessonEvidence, Resource
from initiatives.services import SHEET, status_problem
from initiatives.text import sentence
from territories.models import ResourceCentre

Status = Initiative.Status


class CuratedForm(forms.ModelForm):
    """The status offers the workflow's moves only; a refusal says which moves are allowed."""

    def clean_status(self):
        to = self.cleaned_data["status"]
        problem = status_problem(self.instance.status if self.instance.pk else None, to, SHEET)
        if problem:
            raise forms.ValidationError(sentence(problem))
        return to


def _status_action(to, description):
    def action(modeladmin, request, queryset):
        records = list(queryset)
        refused = [r for r in records if not permissions.may_edit_curated(request.user, r)]
        if refused:
            raise PermissionDenied("Ces fiches ne relèvent pas de vos centres de ressources.")
        problems = [
            f"« {str(r)[:60]} » : {problem}" for r in records if (problem := status_problem(r.status, to, SHEET))
        ]
        if problems:
            modeladmin.message_user(request, "Rien n'a changé. " + sentence(" ; ".join(problems)), messages.ERROR)
            return
        for record in records:
            if record.status != to:  # one revision per record: restoring one never reverts another
                with reversion.create_revision():
                    reversion.set_user(request.user)
                    reversion.set_comment(f"Statut : {Status(to).label}")
                    record.status = to
                    record.save()
        modeladmin.message_user(request, f"{len(records)} fiche(s) : statut « {Status(to).label} ».", messages.SUCCESS)

    action.__name__ = f"status_{to}"
    return admin.action(description=description, permissions=["change"])(action)


class CuratedAdmin(FrenchTitlesMixin, RestoreMixin, VersionAdmin):
    """What lessons and resources share: permissions by curating centre, the workflow, the history
    (restored and recovered under the cases' rules: ``curation.history_admin.RestoreMixin``)."""

    form = CuratedForm
    formfield_overrides = URL_FIELD_OVERRIDES
    readonly_fields = ["published_at", "updated_at"]
    list_select_related = ["source", "curating_centre"]
    show_facets = admin.ShowFacets.ALWAYS
    autocomplete_fields = ["themes"]
    history_latest_first = True
    actions = [
        _status_action(Status.REVIEW, "Soumettre à relecture"),
        _status_action(Status.PUBLISHED, "Publier"),
        _status_action(Status.ARCHIVED, "Archiver"),
        _status_action(Status.DRAFT, "Remettre en brouillon"),
    ]

    def has_add_permission(self, request):
        user = request.user
        return super().has_add_permission(request) and (
            permissions.is_admin(user) or bool(permissions.centre_ids(user))
        )

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or permissions.may_edit_curated(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or permissions.may_edit_curated(request.user, obj, "delete"))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "curating_centre" and not permissions.is_admin(request.user):
            kwargs["queryset"] = ResourceCentre.objects.filter(pk__in=permissions.centre_ids(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not permissions.is_admin(request.user) and obj.curating_centre_id not in permissions.centre_ids(
            request.user
        ):
            raise PermissionDenied("Choisissez l'un de vos centres de ressources.")
        super().save_model(request, obj, form, change)


class LessonPartMixin:
    """A lesson's excerpts and cases are editable exactly where the lesson is."""

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and (
            obj is None or permissions.may_edit_curated(request.user, obj)
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or permissions.may_edit_curated(request.user, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or permissions.may_edit_curated(request.user, obj)
        )


class LessonCitationInline(LessonPartMixin, admin.StackedInline):
    model = LessonCitation
    extra = 0
    fields = ["locator", "excerpt", "position"]


class LessonEvidenceInline(LessonPartMixin, admin.TabularInline):
    model = LessonEvidence
    extra = 0
    fields = ["initiative", "basis", "excerpt"]
    readonly_fields = ["basis"]
    autocomplete_fields = ["initiative"]
    verbose_name = "cas qui l'illustre"
    verbose_name_plural = "cas qui l'illustrent (les liens posés ici sont marqués « posé par l'équipe de curation »)"


@admin.register(Lesson)
class LessonAdmin(CuratedAdmin):
    titles = FrenchTitlesMixin.Titles("un enseignement", "l'enseignement", "enseignements")
    list_display = ["statement", "kind", "source", "status", "curating_centre", "n_cases"]
    list_filter = ["status", "kind", "source", ("curating_centre", admin.RelatedOnlyFieldListFilter), "themes"]
    search_fields = ["statement", "summary", "slug", "citations__excerpt"]
    prepopulated_fields = {"slug": ["statement"]}
    inlines = [LessonCitationInline, LessonEvidenceInline]
    fieldsets = (
        ("Suivi éditorial", {"fields": (("status", "curating_centre"), ("published_at", "updated_at"))}),
        (None, {"fields": ("statement", "slug", "kind", "source", "summary", "themes", "position")}),
    )

    @admin.display(description="cas")
    def n_cases(self, obj):
        return obj.evidence.count()

    def save_formset(self, request, form, formset, change):
        # A link set here is a curator's, whatever the form says: only the loader writes the report's links.
        for evidence in formset.save(commit=False):
            if isinstance(evidence, LessonEvidence) and evidence.pk is None:
                evidence.basis = LessonEvidence.Basis.CURATOR
            evidence.save()
        for deleted in formset.deleted_objects:
            deleted.delete()
        formset.save_m2m()


@admin.register(Resource)
class ResourceAdmin(CuratedAdmin):
    titles = FrenchTitlesMixin.Titles("une ressource", "la ressource", "ressources", feminine=True)
    list_display = ["title", "kind", "publisher", "year", "status", "curating_centre"]
    list_filter = ["status", "kind", "year", "source", ("publisher_centre", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "summary", "publisher", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = (
        ("Suivi éditorial", {"fields": (("status", "curating_centre"), ("published_at", "updated_at"))}),
        (None, {"fields": ("title", "slug", "kind", ("publisher", "publisher_centre"), ("year", "date_label"))}),
        ("Contenu", {"fields": ("summary", "themes", "url")}),
        ("Où le rapport la cite", {"fields": ("source", "locator", "excerpt", "position")}),
    )
