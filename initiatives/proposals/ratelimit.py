"""How many proposals a client address may send: ``PROPOSALS_PER_HOUR`` accepted per sliding hour.

Counted in Django's cache so that every server process shares it
(``settings.CACHES``: the database table or Redis).
"""

import hashlib
import time

from django.core.cache import cache

RATE_WINDOW = 3600  # seconds: PROPOSALS_PER_HOUR is counted over the last hour (a sliding window)


def rate_key(request) -> str:
    # REMOTE_ADDR, as the brief of the form asks: behind a reverse proxy, the proxy
    # (or the WSGI server) must put the client's address there. Hashed: no address in the cache.
    address = request.META.get("REMOTE_ADDR") or "inconnue"
    return "proposals:ip:" + hashlib.sha256(address.encode()).hexdigest()[:32]


def recent_submissions(request) -> list[float]:
    now = time.time()
    return [t for t in cache.get(rate_key(request), []) if t > now - RATE_WINDOW]


def record_submission(request, recent: list[float]) -> None:
    # get-then-set is not atomic: two simultaneous requests may both pass at the limit.
    # That tolerance of one is fine against floods, which is all this is for.
    cache.set(rate_key(request), [*recent, time.time()], RATE_WINDOW)
