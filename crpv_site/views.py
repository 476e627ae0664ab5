"""Site-wide pages: the home page, the notices linked from every footer (accessibility, legal
notice, personal data). The error pages are in ``errors``."""

from django.conf import settings
from django.shortcuts import render

from crpv_site import accessibility
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


def accessibility_statement(request):
    context = {
        "checks": accessibility,
        "checked_on": accessibility.checked_on_label(),
        "publisher": settings.SITE_PUBLISHER,
        "contact": settings.SITE_CONTACT_EMAIL,
    }
    return render(request, "pages/accessibility.html", context)


def legal_notice(request):
    context = {
        "publisher": settings.SITE_PUBLISHER,
        "director": settings.SITE_PUBLICATION_DIRECTOR,
        "host": settings.SITE_HOST,
        "contact": settings.SITE_CONTACT_EMAIL,
    }
    return render(request, "pages/legal_notice.html", context)


def personal_data(request):
    """What the site keeps about visitors: the values shown are the settings in force."""
    context = {
        "publisher": settings.SITE_PUBLISHER,
        "host": settings.SITE_HOST,
        "privacy_email": settings.SITE_PRIVACY_EMAIL,
        "retention_days": settings.PROPOSAL_CONTACT_RETENTION_DAYS,
        "per_hour": settings.PROPOSALS_PER_HOUR,
        "alert_hours": settings.ALERT_CONFIRMATION_HOURS,
        "alerts_per_hour": settings.ALERT_SUBSCRIPTIONS_PER_HOUR,
    }
    return render(request, "pages/personal_data.html", context)
