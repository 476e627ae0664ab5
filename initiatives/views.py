"""Thin public views: one selector each, then a template."""

from django.shortcuts import get_object_or_404, render

from initiatives.models import Initiative, Involvement
from initiatives.selectors import home_counts


def home(request):
    latest = (
        Initiative.objects.published()
        .select_related("territory")
        .exclude(documentation_level=Initiative.DocumentationLevel.LISTED)
        .order_by("-documentation_level", "-published_at", "title")[:9]
    )
    return render(request, "home.html", {"counts": home_counts(), "latest": latest})


def initiative_detail(request, slug):
    initiative = get_object_or_404(
        Initiative.objects.published().select_related("territory", "curating_centre", "reporting_centre"), slug=slug
    )
    # Carriers first, then partners, funders, relays (the order of Involvement.Role).
    by_role = {label: [] for label in Involvement.Role.labels}
    for involvement in initiative.involvements.select_related("actor").order_by("actor__name"):
        by_role[involvement.get_role_display()].append(involvement.actor)
    by_role = {role: actors for role, actors in by_role.items() if actors}
    context = {
        "initiative": initiative,
        "breadcrumb": initiative.territory.__class__.objects.ancestors_of(initiative.territory).exclude(kind="country"),
        "actors_by_role": by_role,
        # Each root theme followed by its finer themes.
        "themes": sorted(
            initiative.themes.select_related("parent"),
            key=lambda t: ((t.parent or t).position, t.parent_id is not None, t.position),
        ),
        "publics": initiative.publics.all(),
        "periods": initiative.periods.all(),
        "key_figures": initiative.key_figures.all(),
        "citations": initiative.citations.select_related("source"),
    }
    return render(request, "initiatives/detail.html", context)


def page_not_found(request, exception):
    return render(request, "404.html", status=404)
