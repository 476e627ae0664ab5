"""The case admin: the form with its inlines, the list with its workflow actions, the quality page.

Who may write is decided by ``initiatives.permissions`` on every path; the
history (versions, differences, restore, recovery) is ``history_admin``; the
spreadsheet import and export is ``initiatives.spreadsheet.admin``.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.urls import path
from reversion.admin import VersionAdmin

from crpv_site.admin_mixins import FrenchTitlesMixin
from crpv_site.models import User
from initiatives import permissions
from initiatives.curation import quality
from initiatives.curation.forms import InitiativeAdminForm, InvolvementForm
from initiatives.curation.history_admin import CaseHistoryMixin
from initiatives.curation.review import notify_reviewer
from initiatives.models import Citation, Initiative, Involvement, KeyFigure
from initiatives.services import change_status, note_status_change, set_needs_update
from initiatives.spreadsheet.admin import InitiativeImportExportMixin
from territories.models import ResourceCentre


class CaseInlineMixin:
    """The involvements, citations and key figures of a case are editable exactly where the case is."""

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and (
            obj is None or permissions.may_edit_case(request.user, obj)
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or permissions.may_edit_case(request.user, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or permissions.may_edit_case(request.user, obj)
        )


class InvolvementInline(CaseInlineMixin, admin.TabularInline):
    model = Involvement
    form = InvolvementForm
    fields = ["actor", "role", "note"]
    autocomplete_fields = ["actor"]
    extra = 1


class CitationInline(CaseInlineMixin, admin.StackedInline):
    model = Citation
    fields = [("source", "locator", "position"), "excerpt"]
    extra = 1


class KeyFigureInline(CaseInlineMixin, admin.TabularInline):
    model = KeyFigure
    fields = ["text", "position"]
    extra = 0


class MyCentresFilter(admin.SimpleListFilter):
    title = "périmètre"
    parameter_name = "perimetre"

    def lookups(self, request, model_admin):
        return [("mes-centres", "cas de mes centres")] if permissions.centre_ids(request.user) else []

    def queryset(self, request, queryset):
        if self.value() == "mes-centres":
            return queryset.filter(curating_centre_id__in=permissions.centre_ids(request.user))
        return queryset


def _status_action(to, description):
    def action(modeladmin, request, queryset):
        modeladmin.run_workflow(
            request, queryset, lambda cases: change_status(initiatives=cases, to=to, user=request.user)
        )

    action.__name__ = f"status_{to}"
    return admin.action(description=description, permissions=["change"])(action)


@admin.register(Initiative)
class InitiativeAdmin(FrenchTitlesMixin, CaseHistoryMixin, InitiativeImportExportMixin, VersionAdmin):
    """Cases. Who may write is decided by ``initiatives.permissions`` on every path:
    the change and delete views, the inlines, the workflow actions, the history
    restore and recovery, the bulk import."""

    titles = FrenchTitlesMixin.Titles("une initiative", "l'initiative", "initiatives", feminine=True)
    form = InitiativeAdminForm
    list_display = ["title", "status", "reviewer_name", "territory", "centre_name", "updated_on"]
    list_filter = [
        MyCentresFilter,
        "status",
        ("reviewer", admin.RelatedOnlyFieldListFilter),
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
    list_select_related = ["territory", "curating_centre", "reviewer"]
    autocomplete_fields = ["territory", "other_places", "themes", "publics", "reporting_centre", "related"]
    filter_horizontal = ["periods"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["precision", "published_at", "submitted_by", "created_at", "updated_at"]
    show_facets = admin.ShowFacets.ALWAYS
    date_hierarchy = "published_at"
    inlines = [InvolvementInline, CitationInline, KeyFigureInline]
    save_on_top = True
    fieldsets = (
        # Where the case stands first: its status offers only the moves the workflow allows.
        (
            "Suivi éditorial",
            {
                "fields": (
                    ("status", "reviewer"),
                    ("documentation_level", "needs_update"),
                    ("curating_centre", "reporting_centre"),
                    ("published_at", "submitted_by"),
                    ("created_at", "updated_at"),
                )
            },
        ),
        (None, {"fields": ("title", "slug", "summary")}),
        ("Lieux", {"fields": ("territory", "other_places", "precision", "setting")}),
        (
            "Classement",
            {"fields": ("themes", "publics", "tags", "periods", ("start_date", "end_date"), "related")},
        ),
        (
            "Grille d'analyse",
            {
                "classes": ["collapse"],
                "description": "Les sections de la grille de l'Odas : à remplir quand la source les renseigne.",
                "fields": tuple(field for field, _ in Initiative.SECTIONS),
            },
        ),
        (
            "Caractéristiques (questionnaire Odas)",
            {"classes": ["collapse"], "fields": tuple(field for field, _ in Initiative.FACTS)},
        ),
    )

    actions = [
        _status_action(Initiative.Status.REVIEW, "Soumettre à relecture"),
        _status_action(Initiative.Status.PUBLISHED, "Publier"),
        _status_action(Initiative.Status.ARCHIVED, "Archiver"),
        _status_action(Initiative.Status.DRAFT, "Remettre en brouillon"),
        "flag_needs_update",
        "clear_needs_update",
    ]
    history_latest_first = True
    change_list_template = "admin/initiatives/initiative/change_list.html"
    object_history_template = "admin/initiatives/initiative/object_history.html"

    # Permissions: model permissions (the "Curateurs" group) AND the case's curating centre.

    def has_add_permission(self, request):
        return super().has_add_permission(request) and permissions.may_add_case(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or permissions.may_edit_case(request.user, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or permissions.may_delete_case(request.user, obj)
        )

    @admin.display(description="relecture", ordering="reviewer__email")
    def reviewer_name(self, obj):
        return obj.reviewer.get_short_name() or obj.reviewer.email if obj.reviewer else ""

    @admin.display(description="centre", ordering="curating_centre__short_name")
    def centre_name(self, obj):
        return obj.curating_centre.short_name if obj.curating_centre else ""

    @admin.display(description="modifié le", ordering="updated_at")
    def updated_on(self, obj):
        return obj.updated_at.date()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})  # the four-eyes rule needs who saves

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data or not change:
            note_status_change(obj, form.current_status(), obj.status, request.user)
        super().save_model(request, obj, form, change)
        if "reviewer" in form.changed_data:
            notify_reviewer(obj, assigned_by=request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "reviewer":
            kwargs["queryset"] = User.objects.filter(is_active=True, is_staff=True).order_by("email")
        if db_field.name == "curating_centre" and not permissions.is_admin(request.user):
            # A curator files a case under one of their centres, never another's.
            kwargs["queryset"] = ResourceCentre.objects.filter(pk__in=permissions.centre_ids(request.user))
            kwargs["required"] = True
            kwargs["empty_label"] = None
            kwargs["help_text"] = "L'un de vos centres de ressources."
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        own = sorted(permissions.centre_ids(request.user))
        if own and not permissions.is_admin(request.user):
            initial.setdefault("curating_centre", own[0])
        return initial

    def get_search_results(self, request, queryset, search_term):
        queryset, _ = super().get_search_results(request, queryset, search_term)
        return queryset.distinct() if search_term else queryset, False

    # Workflow actions: all selected cases or none (services.change_status checks each one).

    def run_workflow(self, request, queryset, operation):
        try:
            count = operation(list(queryset.select_related("curating_centre")))
        except PermissionDenied as error:
            self.message_user(request, f"Action refusée, rien n'a changé. {error}", messages.ERROR)
        except ValidationError as error:
            self.message_user(request, "Action refusée, rien n'a changé. " + " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(request, f"{count} cas modifié(s).", messages.SUCCESS)

    @admin.action(description="Marquer « à mettre à jour »", permissions=["change"])
    def flag_needs_update(self, request, queryset):
        self.run_workflow(
            request, queryset, lambda cases: set_needs_update(initiatives=cases, value=True, user=request.user)
        )

    @admin.action(description="Retirer la marque « à mettre à jour »", permissions=["change"])
    def clear_needs_update(self, request, queryset):
        self.run_workflow(
            request, queryset, lambda cases: set_needs_update(initiatives=cases, value=False, user=request.user)
        )

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("qualite/", self.admin_site.admin_view(self.quality_view), name="{}_{}_quality".format(*info)),
            path(
                "<path:object_id>/history/<int:version_id>/diff/",
                self.admin_site.admin_view(self.diff_view),
                name="{}_{}_diff".format(*info),
            ),
            *super().get_urls(),
        ]

    def quality_view(self, request):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        report = quality.report(user=request.user, centre_slug=request.GET.get("centre", ""))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Qualité des données",
            "report": report,
        }
        return render(request, "admin/initiatives/initiative/quality.html", context)
