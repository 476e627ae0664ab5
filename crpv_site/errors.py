"""Error answers, one place for all of them: French HTML pages, JSON under ``/api/``, a 503 when the
database is out.

- ``handler400/403/404/500`` (``crpv_site.urls``) and ``CSRF_FAILURE_VIEW`` point here.
- Under ``API_PREFIX`` every error is JSON of one shape, ``{"error": <message>, "status": <code>}``
  plus ``"details"`` (parameter -> message) when there are some; the OpenAPI document describes it
  (``initiatives.api.openapi.ERROR``).
- ``DatabaseUnavailableMiddleware`` turns a database error raised by a view (cannot connect, the
  web ``statement_timeout`` hit, connection lost) into a 503 with ``Retry-After``; ``server_error``
  (handler500) does the same for one raised anywhere else (another middleware, a template), as
  Django calls it inside the ``except`` block of the failed request.
- The 500 and 503 pages are static-safe: standalone templates rendered without the request (no
  context processor, no session, no user, no database); the stylesheet's address is looked up
  safely (``_stylesheet``).
"""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.views.decorators.csrf import requires_csrf_token

# The read-only JSON API's URL prefix (initiatives/api/urls.py, mounted in crpv_site/urls.py).
API_PREFIX = "/api/"
DATABASE_ERRORS = (OperationalError, InterfaceError)

MESSAGES = {
    400: "Requête invalide.",
    403: "Accès refusé.",
    404: "Ressource introuvable.",
    405: "Méthode non autorisée.",
    500: "Erreur interne du serveur.",
    503: "Service momentanément indisponible : la base de données ne répond pas. Réessayez dans quelques instants.",
}

logger = logging.getLogger("crpv_site.errors")


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def json_error(status, message=None, details=None):
    """The API's error answer: ``{"error", "status"[, "details"]}``, in French."""
    body = {"error": message or MESSAGES[status], "status": status}
    if details:
        body["details"] = details
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def _stylesheet():
    """The stylesheet's address, without failing: the 500 page must render even when the static
    files manifest is what broke."""
    try:
        return static("css/site.css")
    except Exception:  # noqa: BLE001 - a missing manifest entry must not turn a 500 page into a crash
        return f"/{settings.STATIC_URL.strip('/')}/css/site.css"


def _static_page(template, status):
    html = loader.render_to_string(template, {"stylesheet": _stylesheet(), "retry_after": settings.RETRY_AFTER})
    return HttpResponse(html, status=status)


def database_unavailable(request):
    """503 with ``Retry-After``: the database cannot be reached or did not answer in time."""
    response = json_error(503) if is_api(request) else _static_page("503.html", 503)
    response["Retry-After"] = str(settings.RETRY_AFTER)
    return response


class DatabaseUnavailableMiddleware:
    """A view's database error (``OperationalError``/``InterfaceError``: cannot connect, statement
    timeout, connection lost) answers 503, logged in one line. Early in ``MIDDLEWARE`` so that the
    answer still gets the security headers; errors raised outside views reach ``server_error``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            reason = " ".join(str(exception).split())[:300]
            logger.error("Base de données indisponible (503) : %s %s : %s", request.method, request.path, reason)
            return database_unavailable(request)
        return None


def bad_request(request, exception):
    if is_api(request):
        return json_error(400)
    return render(request, "400.html", status=400)


@requires_csrf_token
def permission_denied(request, exception):
    if is_api(request):
        return json_error(403)
    return render(request, "403.html", status=403)


def csrf_failure(request, reason=""):
    """``CSRF_FAILURE_VIEW``: a French 403 saying what to do (Django's own page is in English)."""
    if is_api(request):
        return json_error(403, "Requête refusée : jeton CSRF absent ou invalide.")
    message = (
        "Le formulaire n'a pas pu être vérifié (jeton de sécurité absent ou expiré). Rechargez la page, "
        "autorisez les cookies de ce site, puis envoyez le formulaire à nouveau."
    )
    return render(request, "403.html", {"message": message}, status=403)


def page_not_found(request, exception):
    if is_api(request):
        return json_error(404, f"Aucune ressource de l'API à l'adresse « {request.path[:200]} ».")
    return render(request, "404.html", status=404)


def server_error(request):
    """handler500: 503 for a database error (Django calls it inside the ``except`` block of the failed
    request, so ``sys.exc_info()`` is that error), else a 500 that needs neither request nor database."""
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return database_unavailable(request)
    if is_api(request):
        return json_error(500)
    return _static_page("500.html", 500)
