"""`manage.py ensure_admin` (the demo's known administrator password) refuses to run in production
(issue 13, finding 10): run as production runs it, in its own process, against a fresh SQLite file."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "test-ensure-admin-a-long-enough-random-secret-value-0123456789",
    "DJANGO_ALLOWED_HOSTS": "proximites.example.org",
    "SITE_URL": "https://proximites.example.org",
}

ENSURE_ADMIN = ("ensure_admin", "--email", "admin@example.org", "--password", "proximites")


def manage(database, *args, **env_extra):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "REDIS_URL": "", **env_extra}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def users(database):
    with sqlite3.connect(database) as db:
        return db.execute("SELECT email, is_superuser FROM crpv_site_user").fetchall()


def test_ensure_admin_refuses_when_debug_is_off_and_writes_nothing(tmp_path):
    database = tmp_path / "prod.sqlite3"
    assert manage(database, "migrate", "--noinput", DJANGO_DEBUG="1").returncode == 0
    refused = manage(database, *ENSURE_ADMIN, **PRODUCTION)
    assert refused.returncode != 0
    assert "ensure_admin ne sert qu'en développement" in refused.stderr and "Rien n'a été modifié" in refused.stderr
    assert users(database) == []
    # The same command in development creates the account: the refusal above is the setting's doing.
    done = manage(database, *ENSURE_ADMIN, DJANGO_DEBUG="1")
    assert done.returncode == 0, done.stderr
    assert users(database) == [("admin@example.org", 1)]
