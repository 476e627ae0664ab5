"""Backups of the PostgreSQL database with PostgreSQL's own tools (``make backup``, ``make restore``).

``pg_dump -Fc`` writes one compressed archive of the whole database (schema, data, the extensions
and the ``french_unaccent`` search configuration) to ``backups/proximites-<base>-<UTC time>.dump``;
``pg_restore --clean --if-exists --no-owner --no-acl --single-transaction`` puts an archive back into
the database ``DATABASE_URL`` names, replacing what is there, all or nothing. The connection comes
from the settings (``DATABASE_URL``), the password through ``PGPASSWORD``, never on a command line.

SQLite (the development default) is refused: its backup is a copy of ``db.sqlite3`` made while no
server writes to it; there is nothing for these commands to add.
"""

import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

SQLITE_REFUSAL = (
    "La base configurée est SQLite ({name}) : make backup et make restore ne servent que PostgreSQL "
    "(DATABASE_URL=postgres://…). Pour SQLite, arrêtez le serveur et copiez le fichier."
)


def _postgres():
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        raise CommandError(SQLITE_REFUSAL.format(name=database["NAME"]))
    return database


def _client(tool, database):
    path = shutil.which(tool)
    if not path:
        raise CommandError(f"{tool} est introuvable : installez les outils clients de PostgreSQL (postgresql-client).")
    args = [path, "--dbname", database["NAME"]]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if database.get(key):
            args += [option, str(database[key])]
    env = dict(os.environ)
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = database["PASSWORD"]
    return args, env


def _run(args, env):
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if result.returncode:
        raise CommandError(f"{Path(args[0]).name} a échoué ({result.returncode}) :\n{result.stderr.strip()}")


def backup(directory: Path) -> Path:
    database = _postgres()
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = directory / f"proximites-{database['NAME']}-{stamp}.dump"
    args, env = _client("pg_dump", database)
    partial = target.with_suffix(".dump.partial")  # a dump cut short never looks like a backup
    _run([*args, "--format=custom", "--file", str(partial)], env)
    partial.rename(target)
    return target


def restore(archive: Path) -> str:
    database = _postgres()
    if not archive.is_file():
        raise CommandError(f"Fichier de sauvegarde introuvable : {archive}")
    args, env = _client("pg_restore", database)
    _run([*args, "--clean", "--if-exists", "--no-owner", "--no-acl", "--single-transaction", str(archive)], env)
    return database["NAME"]
