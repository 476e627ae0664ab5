"""``/healthz``: is this server process able to serve? For the load balancer and the PaaS probe.

Two checks, each a round trip: the database answers ``SELECT 1``, and the shared cache stores and
returns a value (the page cache, the proposals' rate limit and the import previews live there).
200 with ``{"status": "ok", …}`` when both pass, 503 naming the failing one otherwise; the error
itself goes to the log, not to the caller. Never cached, no session or cookie, reachable over plain
HTTP (``SECURE_REDIRECT_EXEMPT``) so that a probe inside the platform's network needs no TLS.
"""

import logging
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _cache():
    key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    try:
        return cache.get(key) == value
    finally:
        cache.delete(key)


CHECKS = {"database": _database, "cache": _cache}


@require_safe
@never_cache
def healthz(request):
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = "ok" if check() else "error"
        except Exception:  # any failure of a dependency is a 503, never a 500
            logger.exception("healthz: %s en échec", name)
            results[name] = "error"
    healthy = all(result == "ok" for result in results.values())
    return JsonResponse({"status": "ok" if healthy else "error", **results}, status=200 if healthy else 503)
