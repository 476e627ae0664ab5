"""`make backup` and `make restore` (issue 13, finding 10): a real round trip on PostgreSQL, from the
demo data of one database to an empty other one, with `manage.py inventory --json` identical; and a
clear refusal on SQLite."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.servers import postgres_server

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def run(command, database_url, timeout=300, **kwargs):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_"))}
    env.update(DATABASE_URL=database_url, PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}")
    return subprocess.run(
        command, cwd=ROOT, env=env, check=True, capture_output=True, text=True, timeout=timeout, **kwargs
    )


def manage(*args, database_url, timeout=300):
    return run([sys.executable, "manage.py", *args], database_url, timeout=timeout).stdout


def make(*args, database_url):
    # `-o .venv/.installed`: the virtualenv is the one running this test; never reinstall it here.
    return run(["make", "--no-print-directory", "-o", ".venv/.installed", *args], database_url).stdout


def test_backup_and_restore_refuse_sqlite_clearly(tmp_path):
    sqlite = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    for target in ("backup", "restore FILE=x.dump"):
        with pytest.raises(subprocess.CalledProcessError) as refused:
            make(*target.split(), f"BACKUP_DIR={tmp_path / 'backups'}", database_url=sqlite)
        assert "SQLite" in refused.value.stderr and "ne servent que PostgreSQL" in refused.value.stderr
    assert not (tmp_path / "backups").exists()


@pytest.fixture
def two_databases():
    """Two scratch PostgreSQL databases beside the test database: <test db>_src and <test db>_dst."""
    if connection.vendor != "postgresql":
        pytest.skip("sauvegarde et restauration : PostgreSQL seulement")
    db = settings.DATABASES["default"]
    server = postgres_server(db)
    names = [f"{db['NAME']}_src", f"{db['NAME']}_dst"]
    client = ["--host", db["HOST"] or "127.0.0.1", "--port", str(db["PORT"] or 5432), "--username", db["USER"]]
    env = {**os.environ, **({"PGPASSWORD": db["PASSWORD"]} if db.get("PASSWORD") else {})}
    for name in names:
        subprocess.run(["dropdb", "--if-exists", *client, name], env=env, check=True, timeout=60)
        subprocess.run(["createdb", *client, name], env=env, check=True, timeout=60)
    yield [f"{server}/{name}" for name in names]
    for name in names:
        subprocess.run(["dropdb", "--if-exists", "--force", *client, name], env=env, check=False, timeout=60)


@pytest.mark.postgresql
def test_a_backup_restored_into_an_empty_database_has_the_same_inventory(two_databases, tmp_path):
    source, target = two_databases
    manage("migrate", "--noinput", "-v0", database_url=source)
    manage("load_demo_data", database_url=source, timeout=600)
    expected = json.loads(manage("inventory", "--json", database_url=source))
    assert expected["initiatives"]["by_status"]["published"] > 0 and expected["resource_centres"] > 0

    out = make("backup", f"BACKUP_DIR={tmp_path}", database_url=source)
    [archive] = tmp_path.glob("proximites-*_src-*.dump")
    assert str(archive) in out and archive.stat().st_size > 100_000

    make("restore", f"FILE={archive}", database_url=target)
    assert json.loads(manage("inventory", "--json", database_url=target)) == expected
    # The restored base works as a site: the migrations are all there, and the search configuration too.
    assert "[ ]" not in manage("showmigrations", "--plan", database_url=target)
    found = manage(
        "shell",
        "-c",
        "from initiatives.browse.search import search; from initiatives.models import Initiative; "
        "print(search(Initiative.objects.published(), 'aide alimentaire').count())",
        database_url=target,
    )
    assert int(found.strip().splitlines()[-1]) > 0

    # A second restore over the now full database replaces it (--clean), and stays identical.
    make("restore", f"FILE={archive}", database_url=target)
    assert json.loads(manage("inventory", "--json", database_url=target)) == expected


def test_make_restore_without_a_file_says_how():
    result = subprocess.run(
        ["make", "--no-print-directory", "-o", ".venv/.installed", "restore"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0 and "make restore FILE=" in result.stdout
