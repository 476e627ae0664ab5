"""The address of the client a request comes from, through ``TRUSTED_PROXY_COUNT`` reverse proxies.

Used by the proposal form's rate limit (``initiatives.proposals.ratelimit``) and the admin login's
lockout (django-axes, ``AXES_CLIENT_IP_CALLABLE``), so that both see the same address.

Each proxy appends to ``X-Forwarded-For`` the address it received the request from. Behind N trusted
proxies the N-th entry from the right was appended by the outermost one: the client as that proxy saw
it. Everything left of it is whatever the client sent, so it is never read (a visitor who forges a
leftmost entry does not change the address we count). With ``TRUSTED_PROXY_COUNT=0`` the header is
ignored and ``REMOTE_ADDR`` is the client. See docs/operations.md, "Sécurité".
"""

import ipaddress

from django.conf import settings

UNKNOWN = "inconnue"


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def client_address(request) -> str:
    remote = request.META.get("REMOTE_ADDR") or UNKNOWN
    hops = settings.TRUSTED_PROXY_COUNT
    if hops <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < hops:  # the request did not cross every trusted proxy: only the peer is known
        return remote
    candidate = forwarded[-hops]
    return candidate if _valid(candidate) else remote


def axes_client_address(request) -> str | None:
    """django-axes's ``AXES_CLIENT_IP_CALLABLE``: the same address, ``None`` when unknown (an IP column)."""
    address = client_address(request)
    return address if _valid(address) else None


def login_username(request, credentials=None) -> str:
    """django-axes's ``AXES_USERNAME_CALLABLE``: the e-mail typed at login, case folded, so that
    ``Admin@…`` and ``admin@…`` count as one account (logins ignore case, crpv_site.models)."""
    typed = (credentials or {}).get("username") or request.POST.get("username") or ""
    return str(typed).strip().lower()
