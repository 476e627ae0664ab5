"""The proposal queue in the admin.

Curators see the proposals addressed to their centres only (the contact
e-mail is private: ``permissions.proposals_visible_to``), administrators all
of them, with counts per centre and status. Nothing a visitor typed is edited
here: the change page is read-only and offers two actions, "Accepter (crée un
brouillon)" and "Rejeter" with a reason, posted to their own URLs and carried
out by ``initiatives.proposals`` which checks the centre again; a crafted POST
for another centre's proposal is a 403 and changes nothing.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from crpv_site.admin_mixins import FrenchTitlesMixin
from initiatives import permissions
from initiatives.models import Actor, Involvement, Proposal
from initiatives.proposals.services import REASON_MAX, accept_proposal, reject_proposal

VISITOR_FIELDS = ["title", "description", "place", "place_text", "themes", "actor_list", "source", "contact"]
HANDLING_FIELDS = [
    "centre",
    "status",
    "created_at",
    "notified_at",
    "handled_at",
    "handled_by",
    "initiative",
    "rejection_reason",
]


class CentreFilter(admin.RelatedOnlyFieldListFilter):
    """The centres of the proposals one may see, each with its count (``show_facets``);
    shown even for a curator of a single centre, whose queue count it then is."""

    def has_output(self):
        return bool(self.lookup_choices)


@admin.register(Proposal)
class ProposalAdmin(FrenchTitlesMixin, admin.ModelAdmin):
    titles = FrenchTitlesMixin.Titles("une proposition", "la proposition", "propositions", feminine=True)
    list_display = ["title", "centre", "status", "place", "created_at", "days_waiting"]
    list_filter = ["status", ("centre", CentreFilter)]
    show_facets = admin.ShowFacets.ALWAYS
    search_fields = ["title", "description", "place_text", "place__name"]
    list_select_related = ["centre", "place"]
    fieldsets = (
        ("Proposition", {"fields": VISITOR_FIELDS}),
        ("Traitement", {"fields": HANDLING_FIELDS}),
    )
    readonly_fields = VISITOR_FIELDS + HANDLING_FIELDS
    change_form_template = "admin/initiatives/proposal/change_form.html"

    # Who sees and does what

    def get_queryset(self, request):
        return permissions.proposals_visible_to(request.user, super().get_queryset(request))

    def has_add_permission(self, request):
        return False  # proposals come from the public form only

    def has_change_permission(self, request, obj=None):
        return False  # the form edits nothing; accepting and rejecting are the two actions below

    def has_delete_permission(self, request, obj=None):
        return permissions.is_admin(request.user)

    def may_handle(self, request, proposal) -> bool:
        return request.user.has_perm("initiatives.change_proposal") and permissions.may_curate_centre(
            request.user, proposal.centre_id
        )

    # Display

    @admin.display(description="en attente depuis", ordering="-created_at")
    def days_waiting(self, obj):
        if obj.status != Proposal.Status.NEW:
            return "—"
        days = (timezone.now() - obj.created_at).days
        return "aujourd'hui" if days == 0 else f"{days} jour{'s' if days > 1 else ''}"

    @admin.display(description="acteurs")
    def actor_list(self, obj):
        if not obj.actors:
            return "—"
        kinds = dict(Actor.Kind.choices)
        roles = dict(Involvement.Role.choices)
        rows = (
            (
                item.get("name", ""),
                kinds.get(item.get("kind"), "type non précisé"),
                roles.get(item.get("role"), item.get("role", "")),
            )
            for item in obj.actors
        )
        return format_html_join(mark_safe("<br>"), "{} ({}, {})", rows)

    @admin.display(description="e-mail de contact (privé)")
    def contact(self, obj):
        if obj.contact_email:
            return format_html('<a href="mailto:{}">{}</a>', obj.contact_email, obj.contact_email)
        if obj.contact_erased_at:  # initiatives.proposals.retention
            erased = formats.date_format(timezone.localtime(obj.contact_erased_at), "DATE_FORMAT")
            return f"effacé le {erased} (durée de conservation dépassée)"
        return "—"

    # The two actions

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        context = dict(extra_context or {})
        if obj is not None:
            context["may_handle"] = obj.status == Proposal.Status.NEW and self.may_handle(request, obj)
            context["reason_max"] = REASON_MAX
        return super().change_view(request, object_id, form_url, context)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            # Before the admin's own "<path:object_id>/" patterns, which would swallow them.
            path(
                "<int:object_id>/accepter/",
                self.admin_site.admin_view(self.accept_view),
                name="{}_{}_accept".format(*info),
            ),
            path(
                "<int:object_id>/rejeter/",
                self.admin_site.admin_view(self.reject_view),
                name="{}_{}_reject".format(*info),
            ),
            *super().get_urls(),
        ]

    def _proposal_to_handle(self, request, object_id):
        if request.method != "POST":
            return None
        # Not get_queryset(): another centre's proposal must be refused (403), not hidden (404).
        proposal = get_object_or_404(Proposal, pk=object_id)
        if not self.may_handle(request, proposal):
            raise PermissionDenied("Cette proposition est adressée à un autre centre de ressources.")
        return proposal

    def _back_to(self, proposal):
        return redirect(reverse("admin:initiatives_proposal_change", args=[proposal.pk]))

    def accept_view(self, request, object_id):
        proposal = self._proposal_to_handle(request, object_id)
        if proposal is None:
            return HttpResponseNotAllowed(["POST"])
        try:
            initiative = accept_proposal(proposal=proposal, user=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return self._back_to(proposal)
        self.log_change(request, proposal, f"Acceptée : brouillon « {initiative.title} » créé.")
        self.message_user(
            request,
            f"Proposition acceptée : le brouillon « {initiative.title} » est créé. Complétez-le (lieu, sources, "
            "grille d'analyse) puis soumettez-le à relecture.",
            messages.SUCCESS,
        )
        return redirect(reverse("admin:initiatives_initiative_change", args=[initiative.pk]))

    def reject_view(self, request, object_id):
        proposal = self._proposal_to_handle(request, object_id)
        if proposal is None:
            return HttpResponseNotAllowed(["POST"])
        try:
            reject_proposal(proposal=proposal, user=request.user, reason=request.POST.get("reason", ""))
        except ValidationError as error:
            self.message_user(request, "Rejet non enregistré : " + " ".join(error.messages), messages.ERROR)
            return self._back_to(proposal)
        self.log_change(request, proposal, "Rejetée.")
        self.message_user(
            request, f"Proposition « {proposal.title} » rejetée ; elle reste consultable.", messages.SUCCESS
        )
        return redirect(reverse("admin:initiatives_proposal_changelist"))
