"""The public proposal form (/proposer/), its confirmation page and the place lookup.

Thin views: the form validates, ``initiatives.proposals.submit_proposal``
writes and notifies. Spam is held off by a honeypot field (a filled one gets
the success page and nothing is stored) and by a limit of accepted submissions
per client address and hour, counted atomically before the proposal is stored
(``initiatives.proposals.ratelimit``: Redis or an SQL upsert, shared by every server process).
"""

from datetime import UTC, datetime

from django.conf import settings
from django.core import signing
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from initiatives.models import Proposal
from initiatives.proposals import ratelimit
from initiatives.proposals.forms import ProposalForm
from initiatives.proposals.services import submit_proposal
from territories.models import ResourceCentre
from territories.selectors import place_label, search_places
from territories.services import choose_curating_centre

DONE_SALT = "initiatives.proposals.done"
DONE_MAX_AGE = 7 * 24 * 3600
LOOKUP_MIN = 2
LOOKUP_LIMIT = 20


def _limited(request):
    retry_at = ratelimit.retry_at()  # PROPOSALS_PER_HOUR=0 closes the form: the same page, every hour
    wait = max(60, int(retry_at - ratelimit.clock()) + 1)
    context = {
        "limit": settings.PROPOSALS_PER_HOUR,
        "retry_at": timezone.localtime(datetime.fromtimestamp(retry_at, tz=UTC)),
        "minutes": (wait + 59) // 60,
    }
    response = render(request, "proposals/limited.html", context, status=429)
    response["Retry-After"] = str(wait)
    return response


# Views


@require_http_methods(["GET", "POST"])
def propose(request):
    form = ProposalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if ratelimit.submissions(request) >= settings.PROPOSALS_PER_HOUR:  # early refusal; the count decides
            return _limited(request)
        if form.is_valid():
            if form.is_bot:  # answer exactly like a success, store and send nothing
                centre = choose_curating_centre(territory=form.cleaned_data["place_territory"])
            else:
                # Counted atomically before anything is stored: simultaneous submissions get distinct counts.
                if ratelimit.count_submission(request) > settings.PROPOSALS_PER_HOUR:
                    return _limited(request)
                centre = submit_proposal(**form.submission()).centre
            token = signing.dumps(centre.pk, salt=DONE_SALT)
            return redirect(f"{reverse('proposals:done')}?recu={token}")
    return render(request, "proposals/propose.html", {"form": form, "limit": settings.PROPOSALS_PER_HOUR})


@require_GET
def propose_done(request):
    """After the redirect: which centre received the proposal, from a signed token (no personal data)."""
    centre = None
    token = request.GET.get("recu", "")
    if token and len(token) < 200:
        try:
            centre = ResourceCentre.objects.filter(
                pk=signing.loads(token, salt=DONE_SALT, max_age=DONE_MAX_AGE)
            ).first()
        except (signing.BadSignature, TypeError, ValueError):
            centre = None
    return render(request, "proposals/done.html", {"centre": centre})


@require_GET
def place_lookup(request):
    """Communes, arrondissements and QPV matching ``q`` (accents ignored): [{"id", "label"}], 20 at most."""
    query = request.GET.get("q", "")
    if len(query) > Proposal.PLACE_MAX:
        return JsonResponse({"error": f"q : {Proposal.PLACE_MAX} caractères au plus."}, status=400)
    query = query.strip()
    if len(query) < LOOKUP_MIN:
        return JsonResponse([], safe=False)
    places = search_places(query, limit=LOOKUP_LIMIT)
    return JsonResponse([{"id": p.pk, "label": place_label(p)} for p in places], safe=False)
