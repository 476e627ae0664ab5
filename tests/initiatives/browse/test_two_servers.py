"""Scaling out (issue 13, finding 10): two server processes on one PostgreSQL database each hold
their own in-memory facet index (initiatives/browse/bitsets.py), and both follow a write made
elsewhere: every request compares the index version (BrowseVersion) with its own and re-reads the
changed cases. Two real gunicorn servers, one worker each, production settings; bounded in time."""

import json
import subprocess
import sys

import pytest
from django.db import connection

from initiatives.models import Initiative
from tests.factories import CommuneFactory, InitiativeFactory, ThemeFactory, national_network
from tests.servers import ROOT, Server, free_port, get, postgres_server, server_env

URL = "/api/initiatives/?theme=aide-alimentaire"


@pytest.fixture
def two_servers(transactional_db, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("plusieurs serveurs sur une base partagée : PostgreSQL (la base de test SQLite est en mémoire)")
    db = connection.settings_dict
    env = server_env(
        DATABASE_URL=f"{postgres_server(db)}/{db['NAME']}",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="two-servers-" + "s" * 50,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_HSTS_SECONDS="0",
        WEB_CONCURRENCY="1",
        # Off, so that each answer comes from the process asked, not from a page the other one cached.
        PAGE_CACHE="0",
    )
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, timeout=180)
    servers = []
    try:
        for name in ("a", "b"):
            port = free_port()
            command = f"gunicorn crpv_site.wsgi --config gunicorn.conf.py --bind 127.0.0.1:{port}"
            servers.append(Server(command, env, port, tmp_path / f"{name}.log"))
        yield [server.wait_ready() for server in servers]
    finally:
        for server in servers:
            server.stop()


def count(server):
    status, _, body = get(server.url + URL)
    assert status == 200, body[:500]
    return json.loads(body)["count"]


def theme_counts(server):
    status, _, body = get(server.url + "/api/initiatives/")
    assert status == 200
    facets = json.loads(body)["facets"]["theme"]
    return {v["value"]: v["count"] for v in facets}


@pytest.mark.postgresql
def test_a_write_shows_in_the_facet_counts_of_both_servers(two_servers):
    national_network()
    food = ThemeFactory(name="Aide alimentaire", slug="aide-alimentaire")
    ThemeFactory(name="Continuité scolaire", slug="continuite-scolaire")
    first = InitiativeFactory(title="Paniers solidaires", territory=CommuneFactory())
    first.themes.set([food])
    a, b = two_servers
    # Each process reads its index once, on its first request.
    assert [count(a), count(b)] == [1, 1]
    assert theme_counts(a)["aide-alimentaire"] == theme_counts(b)["aide-alimentaire"] == 1

    # A write made elsewhere (here: this test process, committed), seen by both at once.
    second = InitiativeFactory(title="Épicerie mobile", territory=CommuneFactory())
    second.themes.set([food])
    assert [count(a), count(b)] == [2, 2]
    assert theme_counts(a)["aide-alimentaire"] == theme_counts(b)["aide-alimentaire"] == 2

    # Withdrawn from publication: gone from both.
    first.status = Initiative.Status.ARCHIVED
    first.save()
    assert [count(a), count(b)] == [1, 1]
    assert theme_counts(a)["aide-alimentaire"] == theme_counts(b)["aide-alimentaire"] == 1
