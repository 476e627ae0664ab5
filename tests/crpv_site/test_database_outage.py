"""A hung or unreachable database answers a 503 in bounded time instead of holding a worker (issue 13,
finding 6). PostgreSQL only: the timeouts are PostgreSQL settings (SQLite has none to test).

The web statement timeout is switched on as a web process does it (``serve_web_requests``, called by
wsgi.py and asgi.py), then the test's connection is closed so that the request opens a new one.
"""

import importlib
import socket
import threading
import time

import psycopg
import pytest
from django.db import connection
from django.test import Client

from crpv_site import database

pytestmark = [
    pytest.mark.postgresql,  # the timeouts are PostgreSQL settings
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def web_process():
    """This test process serves web requests, as under gunicorn: new connections get the timeout."""
    database.serve_web_requests()
    connection.close()
    yield
    database.stop_serving_web_requests()
    connection.close()


@pytest.fixture
def lenient_client():
    return Client(raise_request_exception=False)


def _conninfo():
    params = connection.get_connection_params()
    return psycopg.conninfo.make_conninfo(
        **{k: v for k, v in params.items() if k in ("dbname", "user", "host", "port", "password")}
    )


@pytest.fixture
def table_locked():
    """A second session holds an ACCESS EXCLUSIVE lock on the territories table, in an open
    transaction: every read of it waits, as behind a stuck migration or a hung database."""
    connection.ensure_connection()
    holder = psycopg.connect(_conninfo())
    holder.execute("LOCK TABLE territories_territory IN ACCESS EXCLUSIVE MODE")
    # Without a statement timeout the request would wait for ever: let go after 12 s, so that the
    # test fails (too slow) instead of hanging.
    release = threading.Timer(12, holder.rollback)
    release.start()
    yield
    release.cancel()
    release.join()
    holder.rollback()
    holder.close()


def test_statement_timeout_is_set_on_web_connections_only(settings):
    connection.close()
    with connection.cursor() as cursor:  # a management command, a loader, a migration: no limit
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"
    database.serve_web_requests()
    try:
        connection.close()
        with connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            assert cursor.fetchone()[0] == "5s"
    finally:
        database.stop_serving_web_requests()
        connection.close()


@pytest.mark.parametrize("module", ["crpv_site.wsgi", "crpv_site.asgi"])
def test_the_wsgi_and_asgi_entry_points_make_a_web_process(module):
    database.stop_serving_web_requests()
    try:
        importlib.reload(importlib.import_module(module))
        connection.close()
        with connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            assert cursor.fetchone()[0] == "5s"
    finally:
        database.stop_serving_web_requests()
        connection.close()


def test_every_process_has_a_connect_timeout(settings):
    assert connection.get_connection_params()["connect_timeout"] == settings.DATABASE_CONNECT_TIMEOUT == 5


PAGES = [("/territoires/", "text/html"), ("/api/territories/", "application/json")]


@pytest.mark.parametrize("url, content_type", PAGES)
def test_a_hung_database_answers_503_within_6_seconds(web_process, table_locked, lenient_client, url, content_type):
    started = time.monotonic()
    response = lenient_client.get(url)
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert response["Content-Type"].startswith(content_type)
    assert int(response["Retry-After"]) > 0
    assert elapsed <= 6, f"{elapsed:.1f} s"


@pytest.fixture
def silent_server():
    """A port that accepts TCP connections and never answers, like a hung database server."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    yield listener.getsockname()[1]
    listener.close()


@pytest.fixture
def closed_port():
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nobody listens there now: connecting is refused
    return port


@pytest.fixture
def database_at(settings):
    """Point the default connection at another port (with a 2 s connect timeout) until the test ends."""
    saved = connection.settings_dict.copy()

    def point_to(port):
        connection.close()
        connection.settings_dict["HOST"], connection.settings_dict["PORT"] = "127.0.0.1", str(port)
        connection.settings_dict["OPTIONS"] = {**saved["OPTIONS"], "connect_timeout": 2}

    yield point_to
    connection.close()
    connection.settings_dict.clear()
    connection.settings_dict.update(saved)


@pytest.mark.parametrize("where", ["closed_port", "silent_server"])
@pytest.mark.parametrize("page_cache", [False, True], ids=["view", "middleware"])
def test_an_unreachable_database_answers_503_within_the_connect_timeout(
    request, database_at, lenient_client, settings, where, page_cache
):
    # With the page cache on, the first query is the cache's (a middleware): handler500's path.
    settings.PAGE_CACHE = page_cache
    database_at(request.getfixturevalue(where))
    for url, content_type in PAGES:
        started = time.monotonic()
        response = lenient_client.get(url)
        elapsed = time.monotonic() - started
        assert response.status_code == 503, url
        assert response["Content-Type"].startswith(content_type)
        assert "Retry-After" in response
        assert elapsed <= 2 + 1, f"{url}: {elapsed:.1f} s"
