"""The e-mail alerts in the admin: a read-only list, for administrators only.

Curators do not see the alerts at all (the addresses are visitors' personal data, kept for the
alerts alone). Administrators see each subscription's search, frequency, dates and digests, with
the address masked; they may search by a full address (to answer a request for access or erasure)
and delete a subscription, which deletes its address. Nothing is edited here.
"""

from django.contrib import admin
from django.db.models import Count

from crpv_site.admin_mixins import FrenchTitlesMixin
from initiatives import permissions
from initiatives.models import AlertSubscription

FIELDS = ["masked_email", "label", "query", "frequency", "state", "created_at", "confirmed_at", "checked_until"]


def mask(email: str) -> str:
    """ "c…@exemple.org": enough to tell two subscriptions apart, not to write to someone."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}…@{domain}" if domain else "…"


class ConfirmedFilter(admin.SimpleListFilter):
    title = "état"
    parameter_name = "etat"

    def lookups(self, request, model_admin):
        return [("confirmee", "confirmée"), ("en-attente", "en attente de confirmation")]

    def queryset(self, request, queryset):
        if self.value() == "confirmee":
            return queryset.filter(confirmed_at__isnull=False)
        if self.value() == "en-attente":
            return queryset.filter(confirmed_at__isnull=True)
        return queryset


@admin.register(AlertSubscription)
class AlertSubscriptionAdmin(FrenchTitlesMixin, admin.ModelAdmin):
    titles = FrenchTitlesMixin.Titles("un abonnement", "l'abonnement", "abonnements")
    list_display = ["label", "frequency", "state", "masked_email", "created_at", "last_digest_at", "digest_count"]
    list_filter = [ConfirmedFilter, "frequency"]
    search_fields = ["=email"]  # a whole address only: no browsing of addresses by fragments
    search_help_text = "Adresse e-mail complète (demande d'accès ou d'effacement)."
    fields = [*FIELDS, "last_digest_at", "digest_count"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(digests_sent=Count("digests"))

    def has_module_permission(self, request):
        return permissions.is_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.is_admin(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return permissions.is_admin(request.user)

    @admin.display(description="adresse (masquée)")
    def masked_email(self, obj):
        return mask(obj.email)

    @admin.display(description="état", boolean=False)
    def state(self, obj):
        return "confirmée" if obj.confirmed_at else "en attente de confirmation"

    @admin.display(description="e-mails envoyés", ordering="digests_sent")
    def digest_count(self, obj):
        return obj.digests_sent
