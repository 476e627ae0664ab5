"""A test-only URLconf: the site's, plus views that fail on purpose (a bug, a refusal, a database
error), on a page and under /api/, with the site's error handlers."""

from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.urls import path

from crpv_site.urls import handler400, handler403, handler404, handler500
from crpv_site.urls import urlpatterns as site_urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def bug(request):
    raise ZeroDivisionError("un bogue")


def refused(request):
    raise PermissionDenied("ce cas relève d'un autre centre")


def database_gone(request):
    raise OperationalError("server closed the connection unexpectedly")


urlpatterns = [
    path("essai/bogue/", bug),
    path("essai/refus/", refused),
    path("essai/base/", database_gone),
    path("api/essai/bogue/", bug),
    path("api/essai/refus/", refused),
    path("api/essai/base/", database_gone),
    *site_urlpatterns,
]
