"""The site as production serves it (issue 13, finding 10): the Procfile's commands and `make serve`
start gunicorn with gunicorn.conf.py and the production settings (DEBUG off, whitenoise's hashed
static files), and answer over plain HTTP on the loopback. Each server runs in its own process group
against a temporary SQLite file, and is stopped at the end, whatever happens; bounded in time."""

import re
import subprocess
import sys

from tests.servers import ROOT, Server, free_port, get, server_env


def procfile():
    """The Procfile's process types: {"web": command, "release": command, …}."""
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(":", 1) for line in lines if line.strip() and not line.startswith("#"))


def base_env(tmp_path, port):
    """A temporary database and the environment of a PaaS container; nothing about HTTPS."""
    return server_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'served.sqlite3'}", PORT=str(port), HOST="127.0.0.1", WEB_CONCURRENCY="1"
    )


def check_production_site(server):
    status, headers, home = get(server.url + "/")
    assert status == 200
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "geolocation=()" in headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in headers  # plain HTTP: no HSTS, and no redirect (200)
    assert get(server.url + "/initiatives/?tri=titre")[0] == 200
    # DEBUG is off: static files carry whitenoise's content hash and are cached for a year.
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', home)
    assert stylesheet, "feuille de style sans empreinte : les réglages de production ne sont pas actifs"
    status, headers, _ = get(server.url + stylesheet.group(1))
    assert status == 200 and "max-age=315360000" in headers["Cache-Control"]
    # … and an unknown page is the site's French 404, not Django's debug page.
    status, _, body = get(server.url + "/page-absente/")
    assert status == 404 and "DEBUG = True" not in body
    status, headers, body = get(server.url + "/healthz")
    assert status == 200 and '"status": "ok"' in body and "Set-Cookie" not in headers


def test_the_procfile_release_then_web_commands_serve_the_site(tmp_path):
    port = free_port()
    env = base_env(tmp_path, port)
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="procfile-test-" + "s" * 50,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        SITE_URL=f"http://127.0.0.1:{port}",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_HSTS_SECONDS="0",
    )
    commands = procfile()
    assert set(commands) == {"web", "release", "postdeploy"}
    assert commands["release"] == commands["postdeploy"]  # Heroku's name, Scalingo's name: one command
    # What a PaaS does: the build collects the static files, the release migrates, then web starts.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True, timeout=180
    )
    subprocess.run(commands["release"], shell=True, cwd=ROOT, env=env, check=True, timeout=180)
    server = Server(commands["web"].strip(), env, port, tmp_path / "web.log")
    try:
        check_production_site(server.wait_ready())
    finally:
        server.stop()
    assert "gunicorn.conf.py" in commands["web"] and "Booting worker" in (tmp_path / "web.log").read_text()


def test_make_serve_runs_the_production_settings_over_plain_http(tmp_path):
    port = free_port()
    env = base_env(tmp_path, port)
    # `-o .venv/.installed`: the virtualenv is the one running this test; never reinstall it here.
    server = Server(
        f"make --no-print-directory -o .venv/.installed serve PORT={port}", env, port, tmp_path / "serve.log"
    )
    try:
        check_production_site(server.wait_ready())
    finally:
        server.stop()
    assert server.process.returncode is not None
