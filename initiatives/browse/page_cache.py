"""A cache of the public pages, keyed by the version of what they show.

An anonymous visitor's GET of a public page (the list, a case, themes, territories, centres,
actors, sources, the panoramas, lessons and resources, the API, the open data of /donnees/) is
rendered once per ``PublicVersion`` and URL, then served from Django's ``pages`` cache (Redis, shared
by every process, when ``REDIS_URL`` is set; otherwise each process's memory: the version in the key
makes both safe). ``PublicVersion`` is bumped
inside the transaction of every write that can change a public page — a case and everything it is
made of, reference data, territories, centres, tags, the thesaurus (any model of those apps but the
derived tables, the proposal queue and the e-mail alerts) — so a committed write is never hidden by a
cached page.

Not cached: staff (a session cookie: they see previews), forms that carry a CSRF token (the
response varies on the cookie), redirects and errors, exports (streamed), the admin, the proposal
form, ``/healthz``. A hit costs one small query (the version) and a cache read.
"""

import hashlib
import logging
import uuid

from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse

from initiatives.models import PublicVersion

APPS = {"initiatives", "territories", "taggit"}
# Written on their own, by derived data or by visitors: none of them changes a public page by itself
# (the derived-data writer bumps the version in record_change when it rebuilds cases).
NOT_PUBLIC = {
    *("browsekey", "browsechange", "browseversion", "searchdocument", "searchword", "publicversion"),
    *("proposal", "proposalcounter", "alertsubscription", "alertdigest"),
}
PREFIXES = (
    "/initiatives/",
    "/themes/",
    "/territoires/",
    "/centres-de-ressources/",
    "/acteurs/",
    "/sources/",
    "/cooperations/",
    "/chronologie/",
    "/api/",
    "/enseignements/",
    "/ressources/",
    "/donnees/",
)
NOT_CACHED = ("/initiatives/export.", "/initiatives/lieux/")
TIMEOUT = 300  # seconds: the version changes with every write; this bounds what old entries occupy, and
# what a bulk loader that sends no signal (load_territories) leaves visible before the next write
KEPT_HEADERS = ("Content-Type", "Content-Language", "Link")
logger = logging.getLogger(__name__)


def bump():
    """A new version of the public pages (inside the caller's transaction: visible at its commit).

    A new token with each version, as the facet index's: a version number that comes back (a
    restored backup, a test's rolled-back transaction) never meets pages cached for another state."""
    token = uuid.uuid4().hex
    if not PublicVersion.objects.filter(pk=1).update(version=F("version") + 1, token=token):
        PublicVersion.objects.get_or_create(pk=1, defaults={"version": 1, "token": token})


def current() -> str:
    version = PublicVersion.objects.filter(pk=1).values_list("version", "token").first()
    return f"{version[1]}.{version[0]}" if version else "0"


def _written(sender, **kwargs):
    meta = sender._meta
    if meta.app_label in APPS and meta.model_name not in NOT_PUBLIC:
        bump()


def _m2m_written(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        _written(type(instance))


post_save.connect(_written, dispatch_uid="page_cache_saved")
post_delete.connect(_written, dispatch_uid="page_cache_deleted")
m2m_changed.connect(_m2m_written, dispatch_uid="page_cache_m2m")


def _cacheable_request(request) -> bool:
    path = request.path
    return (
        getattr(settings, "PAGE_CACHE", True)
        and request.method in ("GET", "HEAD")
        and (path == "/" or path.startswith(PREFIXES))
        and not path.startswith(NOT_CACHED)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def _cacheable_response(response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "Cookie" not in response.get("Vary", "")
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )


def _guarded(call, *args):
    # Inside a transaction (ATOMIC_REQUESTS, tests), a failing cache-table query must not abort it.
    if connection.in_atomic_block:
        with transaction.atomic():
            return call(*args)
    return call(*args)


class PageCacheMiddleware:
    """Serve an anonymous visitor's public page from the cache while the public version holds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable_request(request):
            return self.get_response(request)
        # The host and scheme too: pages and API answers hold absolute links built from the request.
        digest = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()[:40]
        key = f"page:{current()}:{digest}"
        try:
            hit = _guarded(caches["pages"].get, key)
        except Exception as error:  # noqa: BLE001 — a cache down (Redis, the table) costs speed, never the page
            logger.warning("Cache des pages indisponible, page calculée sans lui : %s", error)
            return self.get_response(request)
        if hit is not None:
            content, headers = hit
            response = HttpResponse(content if request.method == "GET" else b"")
            for name, value in headers:
                response[name] = value
            response["X-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if request.method == "GET" and _cacheable_response(response):
            headers = [(name, response[name]) for name in KEPT_HEADERS if name in response]
            try:
                _guarded(caches["pages"].set, key, (response.content, headers), TIMEOUT)
            except Exception as error:  # noqa: BLE001 — as above: the page is served, just not kept
                logger.warning("Cache des pages indisponible, page non gardée : %s", error)
        return response
