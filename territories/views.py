"""Public pages of territories and resource centres."""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render

from initiatives import selectors
from initiatives.models import Initiative
from initiatives.views import cases_for
from territories.models import ResourceCentre, Territory


def territory_index(request):
    regions = (
        Territory.objects.filter(kind="region")
        .annotate(n=Count("initiatives_in_region", filter=Q(initiatives_in_region__status="published")))
        .order_by("name")
    )
    national = Initiative.objects.published().filter(precision="national").select_related("territory")
    return render(
        request,
        "territories/index.html",
        {"map": selectors.department_map(), "regions": regions, "national": national},
    )


def _children_with_counts(territory):
    """The territories right below ``territory`` that hold published cases, with their counts. Two queries."""
    # "/FR/R11/D93/".split("/") has 5 parts; a child's path has one more segment.
    size = len(territory.path.split("/"))
    counts = {}
    for path in Initiative.objects.published().in_territory(territory).values_list("territory__path", flat=True):
        parts = path.split("/")
        if len(parts) > size:
            child_path = "/".join(parts[:size]) + "/"
            counts[child_path] = counts.get(child_path, 0) + 1
    children = Territory.objects.filter(path__in=counts).order_by("name")
    return [(child, counts[child.path]) for child in children]


def territory_detail(request, slug):
    territory = get_object_or_404(Territory, slug=slug)
    national = territory.kind == Territory.Kind.COUNTRY
    result, list_url = cases_for(request, "territoire", "" if national else territory.slug)
    ancestors = list(Territory.objects.ancestors_of(territory, include_self=False))
    # Cases attached to a wider scale (DESIGN): not in this territory's results, offered beside them.
    wider = (
        Initiative.objects.published()
        .filter(territory__in=[a for a in ancestors if a.kind in ("country", "region", "department")])
        .select_related("territory")
        .order_by("territory__depth", "title")
    )
    context = {
        "territory": territory,
        "breadcrumb": [a for a in ancestors if a.kind != "country"],
        "result": result,
        "children": _children_with_counts(territory),
        "wider": wider,
        "wider_title": {
            "region": "À l'échelle nationale",
            "department": "À l'échelle de la région ou nationale",
        }.get(territory.kind, "À l'échelle du département, de la région ou nationale"),
        "centres": ResourceCentre.objects.filter(coverage__path__in=territory.path_prefixes()).distinct(),
        "list_url": list_url,
    }
    return render(request, "territories/detail.html", context)


def centre_list(request):
    centres = (
        ResourceCentre.objects.annotate(
            n=Count("curated_initiatives", filter=Q(curated_initiatives__status="published"))
        )
        .prefetch_related("coverage")
        .order_by("-is_national", "name")
    )
    return render(request, "territories/centres.html", {"centres": centres})


def centre_detail(request, slug):
    centre = get_object_or_404(ResourceCentre.objects.prefetch_related("coverage"), slug=slug)
    result, list_url = cases_for(request, "centre", centre.slug)
    reported = Initiative.objects.published().filter(reporting_centre=centre).count()
    context = {
        "centre": centre,
        "result": result,
        "reported": reported,
        "list_url": list_url,
    }
    return render(request, "territories/centre_detail.html", context)
