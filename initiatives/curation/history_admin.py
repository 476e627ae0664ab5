"""The history of a case, lesson or resource in the admin (django-reversion): versions, restore,
recovery; for cases, the differences between versions too.

Restoring checks the record as it is now, the version as it was and every other
record of that revision against the admin's permissions (``initiatives.permissions``).
A restore brings back the version's fields and the rows it follows (a case's
involvements and citations, a lesson's excerpts and cases) but keeps the record's
current status and first publication date unless the curator chooses another
status: restoring an old draft never unpublishes a published record by surprise.
"""

from contextlib import contextmanager

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from reversion.models import Version

from initiatives import permissions, services
from initiatives.curation import history
from initiatives.models import Initiative


class RestoreMixin:
    """For the reversion ``VersionAdmin`` of a record in the workflow (``status``, ``published_at``,
    ``curating_centre``): cases, lessons, resources. Every record gets a first version before its
    first change, the workflow's actions record one revision per record, restores and recoveries
    are checked."""

    revision_form_template = "admin/initiatives/revision_form.html"

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
        """Restore a version: its fields fill the form, but the case keeps its current status (and first
        publication date) unless the curator picks another status; the page lists what will change."""
        version = self._version_or_404(version_id, object_id=unquote(object_id))
        self._check_may_restore(request, object_id, version)  # the form too, not only its POST (issue 13)
        refused = self._unrestorable(request, version)
        if refused:
            return refused
        current = self.model.objects.filter(pk=version.object_id).values("status", "published_at").first()
        if current is None:
            raise Http404
        request._restore = current  # read by get_object, once reversion has reverted the rows
        context = {
            "restore_version": version,
            "kept_status": Initiative.Status(current["status"]).label,
            **self.restore_context(version),
            **(extra_context or {}),
        }
        return super().revision_view(request, object_id, version_id, context)

    def restore_context(self, version):
        """What the restore page shows besides the form."""
        return {}

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        kept = getattr(request, "_restore", None)
        if obj is not None and kept is not None:
            # The rows are the version's now (reversion reverted them); the status stays the case's.
            obj._status_before_restore = obj.status = kept["status"]
            obj.published_at = kept["published_at"] or obj.published_at
        return obj

    def recover_view(self, request, version_id, extra_context=None):
        version = self._version_or_404(version_id)
        if self.model.objects.filter(pk=version.object_id).exists():
            raise PermissionDenied  # recovering is for deleted records; a live one is restored from its history
        latest = Version.objects.get_for_object_reference(self.model, version.object_id).order_by("-pk").first()
        for state in (version, latest):
            if not permissions.may_curate_centre(request.user, state.field_dict.get("curating_centre_id")):
                raise PermissionDenied
        refused = self._unrestorable(request, version)
        if refused:
            return refused
        return super().recover_view(request, version_id, extra_context)

    def _version_or_404(self, version_id, **lookups):
        if not str(version_id).isdigit() or len(str(version_id)) > 18:
            raise Http404
        return get_object_or_404(Version.objects.get_for_model(self.model), pk=version_id, **lookups)

    def _check_may_restore(self, request, object_id, version):
        """The record as it is, the version as it was, and every other record of that revision."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_change_permission(request, obj):
            raise PermissionDenied
        if not permissions.may_curate_centre(request.user, version.field_dict.get("curating_centre_id")):
            raise PermissionDenied
        others = self.model.objects.filter(pk__in=history.object_ids_in(version.revision, self.model)).exclude(
            pk=obj.pk
        )
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
            + "). Recréez-les ou faites la modification à la main.",
            messages.ERROR,
        )
        info = self.opts.app_label, self.opts.model_name
        if self.model.objects.filter(pk=version.object_id).exists():
            return redirect(reverse("admin:{}_{}_history".format(*info), args=[version.object_id]))
        return redirect(reverse("admin:{}_{}_changelist".format(*info)))


class CaseHistoryMixin(RestoreMixin):
    """For ``InitiativeAdmin``: the restore rules, and the history that says what changed."""

    revision_form_template = "admin/initiatives/initiative/revision_form.html"

    def restore_context(self, version):
        latest = history.latest_version(version.object_id)
        return {"restore_changes": history.changes(latest, version) if latest and latest.pk != version.pk else []}

    def history_view(self, request, object_id, extra_context=None):
        context = {"history_rows": history.history_rows(unquote(object_id))}
        context.update(extra_context or {})
        return super().history_view(request, object_id, context)

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
