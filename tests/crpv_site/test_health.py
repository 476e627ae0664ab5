"""``/healthz`` for the load balancer (issue 13, finding 10): 200 when the database and the shared
cache answer, 503 naming the one that does not; never cached, no cookie, no HTTPS redirect."""

import json
import socket

import pytest
from django.db import connection
from django.test import override_settings

pytestmark = pytest.mark.django_db


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once the socket is closed


def test_healthy_is_200_ok_never_cached_and_without_cookie(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]
    assert not response.cookies
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


@pytest.mark.redis
def test_healthy_with_a_real_redis_cache(client):
    redis = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/9"}
    }
    with override_settings(CACHES=redis):
        assert client.get("/healthz").status_code == 200


def test_a_cache_that_does_not_answer_is_a_503(client):
    dead = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        }
    }
    with override_settings(CACHES=dead):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "error", "database": "ok", "cache": "error"}
    assert "no-store" in response["Cache-Control"]


@pytest.fixture
def dead_database(transactional_db):
    """The default connection pointed at a database that cannot be reached, then restored."""
    saved = dict(connection.settings_dict)
    if connection.vendor == "postgresql":
        connection.close()
        connection.settings_dict.update(HOST="127.0.0.1", PORT=str(closed_port()))
        connection.settings_dict["OPTIONS"] = {**saved.get("OPTIONS", {}), "connect_timeout": 2}
        kept = None
    else:
        # The test database is in memory: Django never closes it (that would destroy it), so it is
        # set aside and the next connection opens a file in a directory that does not exist.
        connection.ensure_connection()
        kept, connection.connection = connection.connection, None
        connection.settings_dict["NAME"] = "/nonexistent-directory/proximites.sqlite3"
    yield
    if kept is None:
        connection.close()
    connection.settings_dict.clear()
    connection.settings_dict.update(saved)
    if kept is not None:
        connection.connection = kept


def test_a_database_that_does_not_answer_is_a_503(client, dead_database):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "error" and body["database"] == "error"


def test_the_probe_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/initiatives/").status_code == 301  # every other page still is
