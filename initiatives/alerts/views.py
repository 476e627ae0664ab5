"""The pages of the e-mail alerts: subscribe to a list's search, confirm, unsubscribe.

``/alertes/abonner/?<the list's parameters>`` shows the search in words and the form (address,
frequency); the search is the page's own URL, read by the list's selector (a malformed one: a 400
that says what was not understood). Requests are limited per client address and hour with the
proposal form's counter, under its own scope (``ALERT_SUBSCRIPTIONS_PER_HOUR``). The confirmation
and unsubscription links carry the subscription's random token; opening one shows a page with a
button (a mail program that opens links to check them confirms or cancels nothing). The
unsubscription URL also takes the one-click POST of RFC 8058 (``List-Unsubscribe-Post``), which
carries no CSRF token: the token in the URL is the proof.
"""

from datetime import UTC, datetime

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from initiatives.alerts import services
from initiatives.alerts.digests import PERIODS
from initiatives.alerts.forms import SubscribeForm
from initiatives.alerts.search import understand
from initiatives.proposals import ratelimit

SCOPE = "alerts"


def _limited(request):
    retry_at = ratelimit.retry_at()
    wait = max(60, int(retry_at - ratelimit.clock()) + 1)
    context = {
        "limit": settings.ALERT_SUBSCRIPTIONS_PER_HOUR,
        "retry_at": timezone.localtime(datetime.fromtimestamp(retry_at, tz=UTC)),
        "minutes": (wait + 59) // 60,
    }
    response = render(request, "alerts/limited.html", context, status=429)
    response["Retry-After"] = str(wait)
    return response


@require_http_methods(["GET", "POST"])
def subscribe(request):
    search = understand(request.GET)
    if search.errors:
        context = {"notices": search.result.notices, "list_qs": request.GET.urlencode()}
        return render(request, "alerts/refused.html", context, status=400)
    form = SubscribeForm(request.POST if request.method == "POST" else None)
    failed = False
    if request.method == "POST":
        limit = settings.ALERT_SUBSCRIPTIONS_PER_HOUR
        if ratelimit.submissions(request, SCOPE) >= limit:  # early refusal; the count decides
            return _limited(request)
        if form.is_valid():
            if form.is_bot:  # answered like a success; nothing stored, nothing sent
                return redirect("alerts:check_mail")
            if ratelimit.count_submission(request, SCOPE) > limit:
                return _limited(request)
            data = form.cleaned_data
            try:
                services.subscribe(email=data["email"], search=search, frequency=data["frequency"])
            except services.MailNotSent:
                failed = True
            else:
                return redirect("alerts:check_mail")
    context = {
        "form": form,
        "search": search,
        "failed": failed,
        "action": f"{reverse('alerts:subscribe')}?{search.query}" if search.query else reverse("alerts:subscribe"),
        "hours": settings.ALERT_CONFIRMATION_HOURS,
    }
    return render(request, "alerts/subscribe.html", context, status=503 if failed else 200)


@require_GET
def check_mail(request):
    return render(request, "alerts/check_mail.html", {"hours": settings.ALERT_CONFIRMATION_HOURS})


def _unknown(request):
    return render(request, "alerts/unknown_link.html", status=404)


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    subscription = services.by_token(token)
    if subscription is None:
        return _unknown(request)
    if subscription.confirmed_at is None and services.is_expired(subscription):
        services.confirm(subscription)  # deletes it
        return render(request, "alerts/expired.html", {"hours": settings.ALERT_CONFIRMATION_HOURS}, status=410)
    if request.method == "POST" or subscription.confirmed_at is not None:
        if request.method == "POST":
            services.confirm(subscription)
        context = {"subscription": subscription, "period": PERIODS[subscription.frequency].days}
        return render(request, "alerts/confirmed.html", context)
    return render(request, "alerts/confirm.html", {"subscription": subscription})


@csrf_exempt  # RFC 8058: mail programs POST "List-Unsubscribe=One-Click" without a CSRF token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    subscription = services.by_token(token)
    if subscription is None:
        return _unknown(request)
    if request.method == "POST":
        services.unsubscribe(subscription)
        return render(request, "alerts/unsubscribed.html", {"subscription": subscription})
    return render(request, "alerts/unsubscribe.html", {"subscription": subscription})
