from contextlib import contextmanager

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from reversion.admin import VersionAdmin
from reversion.models import Version

from initiatives import permissions, services
from initiatives.curation import history, quality
from initiatives.models import (
    Citation,
    Initiative,
    Involvement,
    KeyFigure,
)
from initiatives.services import change_status, set_needs_update, status_problem
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


class InvolvementForm(forms.ModelForm):
    class Meta:
        model = Involvement
        fields = ["actor", "role", "note"]

    def clean_actor(self):
        # Unnamed actors ("deux résidentes") belong to their own case: a crafted POST cannot borrow one.
        actor = self.cleaned_data["actor"]
        if actor is not None and actor.is_unnamed:
            elsewhere = actor.involvements.exclude(initiative_id=self.instance.initiative_id)
            if self.instance.initiative_id is None:
                elsewhere = actor.involvements.all()
            if elsewhere.exists():
                raise ValidationError("Cet acteur sans nom appartient à un autre cas : créez-en un pour celui-ci.")
        return actor


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


class InitiativeAdminForm(forms.ModelForm):
    """The case form: the editorial workflow applies to the status field too."""

    class Meta:
        model = Initiative
        fields = ["status"]  # the admin passes the fields of its fieldsets

    def clean_status(self):
        status = Initiative.Status(self.cleaned_data["status"])
        current = None
        if self.instance.pk is not None:
            current = Initiative.objects.filter(pk=self.instance.pk).values_list("status", flat=True)[0]
        problem = status_problem(current, status)
        if problem:
            raise ValidationError(problem[0].upper() + problem[1:] + ".")
        return status


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
class InitiativeAdmin(InitiativeImportExportMixin, VersionAdmin):
    """Cases. Who may write is decided by ``initiatives.permissions`` on every path:
    the change and delete views, the inlines, the workflow actions, the history
    restore and recovery, the bulk import."""

    form = InitiativeAdminForm
    list_display = ["title", "territory", "documentation_level", "status", "curating_centre", "updated_at"]
    list_filter = [
        MyCentresFilter,
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
    autocomplete_fields = ["territory", "themes", "publics", "reporting_centre", "related"]
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

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
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

    # History (django-reversion): restoring checks the case as it is now and as it was.

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST":
            obj = self.get_object(request, unquote(object_id))
            if obj is not None and self.has_change_permission(request, obj):
                services.ensure_initial_versions([obj])
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        if request.method == "POST":
            obj = self.get_object(request, unquote(object_id))
            if obj is not None and self.has_delete_permission(request, obj):
                services.ensure_initial_versions([obj])  # so that it can be recovered
        return super().delete_view(request, object_id, extra_context)

    def changelist_view(self, request, extra_context=None):
        selected = request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME) if request.method == "POST" else []
        if selected:
            cases = self.get_queryset(request).filter(pk__in=[s for s in selected if s.isdigit() and len(s) < 19])
            services.ensure_initial_versions([c for c in cases if self.has_change_permission(request, c)])
        # The workflow actions record one revision per case themselves (restoring one case must never
        # revert the others of a selection): the list does not wrap them in a revision of its own.
        request._proximites_revision_per_case = True
        return super().changelist_view(request, extra_context)

    @contextmanager
    def create_revision(self, request):
        if getattr(request, "_proximites_revision_per_case", False):
            yield
        else:
            with super().create_revision(request):
                yield

    def revision_view(self, request, object_id, version_id, extra_context=None):
        version = self._version_or_404(version_id, object_id=unquote(object_id))
        if request.method == "POST":
            self._check_may_restore(request, object_id, version)
        refused = self._unrestorable(request, version)
        if refused:
            return refused
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        version = self._version_or_404(version_id)
        if Initiative.objects.filter(pk=version.object_id).exists():
            raise PermissionDenied  # recovering is for deleted cases; a live one is restored from its history
        latest = Version.objects.get_for_object_reference(Initiative, version.object_id).order_by("-pk").first()
        for state in (version, latest):
            if not permissions.may_curate_centre(request.user, state.field_dict.get("curating_centre_id")):
                raise PermissionDenied
        refused = self._unrestorable(request, version)
        if refused:
            return refused
        return super().recover_view(request, version_id, extra_context)

    @staticmethod
    def _version_or_404(version_id, **lookups):
        if not str(version_id).isdigit() or len(str(version_id)) > 18:
            raise Http404
        return get_object_or_404(Version.objects.get_for_model(Initiative), pk=version_id, **lookups)

    def _check_may_restore(self, request, object_id, version):
        """The case as it is, the version as it was, and every other case of that revision."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_change_permission(request, obj):
            raise PermissionDenied
        if not permissions.may_curate_centre(request.user, version.field_dict.get("curating_centre_id")):
            raise PermissionDenied
        others = Initiative.objects.filter(pk__in=history.initiative_ids_in(version.revision)).exclude(pk=obj.pk)
        if any(not self.has_change_permission(request, other) for other in others):
            raise PermissionDenied

    def _unrestorable(self, request, version):
        """A redirect with a message when the version points to rows deleted since (else None)."""
        missing = history.missing_references(version.revision)
        if not missing:
            return None
        self.message_user(
            request,
            "Cette version ne peut pas être restaurée : elle renvoie à des éléments supprimés depuis ("
            + ", ".join(missing[:10])
            + "). Recréez-les ou modifiez le cas à la main.",
            messages.ERROR,
        )
        if Initiative.objects.filter(pk=version.object_id).exists():
            return redirect(reverse("admin:initiatives_initiative_history", args=[version.object_id]))
        return redirect(reverse("admin:initiatives_initiative_changelist"))

    def history_view(self, request, object_id, extra_context=None):
        context = {"history_rows": history.history_rows(unquote(object_id))}
        context.update(extra_context or {})
        return super().history_view(request, object_id, context)

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

    def diff_view(self, request, object_id, version_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        version = get_object_or_404(Version.objects.get_for_model(Initiative), pk=version_id, object_id=str(obj.pk))
        previous = history.previous_version(version)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "title": f"Différences : {obj}",
            "version": version,
            "previous": previous,
            "changes": history.changes(previous, version),
            "may_restore": self.has_change_permission(request, obj),
        }
        return render(request, "admin/initiatives/initiative/diff.html", context)

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
