"""The proposal queue in the admin."""

from django.contrib import admin

from initiatives.models import Proposal


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["title", "centre", "status", "created_at"]
