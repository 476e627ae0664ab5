"""Project-wide test setup.

The suite never reaches the network (house rule 8): every socket connection to
an address outside the loopback range is refused, so a test that tries fails
loudly instead of passing on a connected machine. PostgreSQL on 127.0.0.1 and
the live server of the browser tests stay reachable.
"""

import ipaddress
import os
import socket

import pytest
from xdist.scheduler import LoadScopeScheduling

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


def redis_listening(host="127.0.0.1", port=6379):
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


# Tests that need one backend say so with a marker, and CI proves they ran (.ci/run):
# ``postgresql``: skipped on SQLite; ``redis``: needs the server on 127.0.0.1:6379, and where
# PROXIMITES_REQUIRE_REDIS=1 (set by .ci/run, which starts it) a missing server fails them.
_ran = {"postgresql": 0, "redis": 0}


def pytest_runtest_setup(item):
    from django.db import connection

    # tests/e2e lifts Django's async-safety check only while its browser runs (Playwright's event loop):
    # any other test must run with the check in force.
    if "DJANGO_ALLOW_ASYNC_UNSAFE" in os.environ and not item.get_closest_marker("browser"):
        pytest.fail(
            "DJANGO_ALLOW_ASYNC_UNSAFE est posé hors des tests navigateur : le contrôle async de Django est levé"
        )

    if item.get_closest_marker("postgresql") and connection.vendor != "postgresql":
        pytest.skip("propre à PostgreSQL (DATABASE_URL=postgres://…)")
    if item.get_closest_marker("redis") and not redis_listening():
        message = "pas de serveur Redis sur 127.0.0.1:6379"
        if os.environ.get("PROXIMITES_REQUIRE_REDIS") == "1":
            pytest.fail(message + " : .ci/run le démarre, ces tests doivent tourner")
        pytest.skip(message)


class WholeModules(LoadScopeScheduling):
    """pytest-xdist's schedule (``make test`` and .ci/run pass ``-n auto``): a test module runs whole in
    one worker (its module fixtures, the Redis database it uses), and so do tests/data, whose package
    fixture loads the real demo data once and flushes it after, and tests/e2e (Chromium launched once).
    Spread over workers between other modules, they would load and flush again each time."""

    def _split_scope(self, nodeid):
        path = nodeid.split("::")[0]
        return next((package for package in ("tests/data/", "tests/e2e/") if path.startswith(package)), path)


def pytest_xdist_make_scheduler(config, log):
    return WholeModules(config, log)


def pytest_runtest_logreport(report):
    if report.when == "call" and report.passed:
        for name in _ran:
            if name in report.keywords:
                _ran[name] += 1


def pytest_terminal_summary(terminalreporter):
    # .ci/run reads this line to check that the PostgreSQL pass ran the PostgreSQL-only tests.
    terminalreporter.write_line(
        f"proximites: {_ran['postgresql']} PostgreSQL-only and {_ran['redis']} Redis tests passed"
    )


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


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Production hashes passwords with PBKDF2 at ~1 M iterations, about half a second a user on this
    machine: tests that create a few users spent more time hashing than testing. The servers the tests
    start in their own processes keep the real hasher (tests/crpv_site/test_serving.py)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
