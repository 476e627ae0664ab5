"""Site-wide pages: the home page and the error pages."""

from django.shortcuts import render

from initiatives.browse import summaries
from initiatives.models import CrisisPeriod, Initiative


def home(request):
    latest = (
        Initiative.objects.published()
        .select_related("territory")
        .exclude(documentation_level=Initiative.DocumentationLevel.LISTED)
        .order_by("-published_at", "title")[:6]
    )
    analysed = Initiative.objects.published().filter(documentation_level="analysed").select_related("territory")[:9]
    period_counts = summaries.facet_totals("period")
    themes = [(node.theme, node.count) for node in summaries.theme_tree()]
    periods = [(p, period_counts.get(p.slug, 0)) for p in CrisisPeriod.objects.order_by("start")]
    widest = max([n for _, n in themes] + [n for _, n in periods] + [1])
    context = {
        "counts": summaries.home_counts(),
        "latest": latest,
        "analysed": analysed,
        "themes": [(t, n, round(100 * n / widest)) for t, n in themes],
        "periods": [(p, n, round(100 * n / widest)) for p, n in periods],
        "map": summaries.department_map(),
    }
    return render(request, "home.html", context)


def page_not_found(request, exception):
    return render(request, "404.html", status=404)
