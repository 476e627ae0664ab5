"""Project-wide test setup.

The suite never reaches the network (house rule 8): every socket connection to
an address outside the loopback range is refused, so a test that tries fails
loudly instead of passing on a connected machine. PostgreSQL on 127.0.0.1 and
the live server of the browser tests stay reachable.
"""

import ipaddress
import socket

import pytest

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


class NetworkBlocked(RuntimeError):
    pass


def _is_local(address):
    if isinstance(address, str | bytes):  # Unix socket path
        return True
    host = address[0]
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _guarded_connect(self, address):
    if not _is_local(address):
        raise NetworkBlocked(f"Les tests ne doivent pas sortir sur le réseau : connexion à {address!r} refusée")
    return _real_connect(self, address)


def _guarded_connect_ex(self, address):
    if not _is_local(address):
        raise NetworkBlocked(f"Les tests ne doivent pas sortir sur le réseau : connexion à {address!r} refusée")
    return _real_connect_ex(self, address)


def pytest_configure(config):
    socket.socket.connect = _guarded_connect
    socket.socket.connect_ex = _guarded_connect_ex


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser(email="admin@example.org", password="motdepasse-admin")
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _no_page_cache_unless_asked(settings):
    """The public page cache (initiatives.browse.page_cache) is off in tests, which count queries and
    change settings between requests; tests/initiatives/browse/test_page_cache.py turns it on."""
    settings.PAGE_CACHE = False


@pytest.fixture(autouse=True)
def _no_login_lockout_nor_second_factor_unless_asked(settings):
    """django-axes needs the request at every authenticate() (``client.login`` gives none) and would lock the
    tests that try wrong passwords; the second factor would stop every ``force_login`` at /admin/.
    tests/crpv_site/test_login_security.py turns each on (issue 13, finding 5)."""
    settings.AXES_ENABLED = False
    settings.OTP_REQUIRED = False
