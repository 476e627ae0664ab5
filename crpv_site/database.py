"""The web requests' ``statement_timeout`` (PostgreSQL), set on each new connection of a web process.

Why per process and per connection, not in ``DATABASES``: the settings module is shared by every
process, and migrations, ``load_*`` commands, imports and backups legitimately run statements for
minutes; a web request that waits on the database more than a few seconds, though, holds a server
worker, and four of them blocked the whole site (issue 13). So ``crpv_site/wsgi.py`` and
``crpv_site/asgi.py`` — the entry points of gunicorn, of any WSGI/ASGI server and of
``runserver`` — call ``serve_web_requests()``, which hooks Django's ``connection_created`` signal:
every connection that process opens then runs ``SET statement_timeout`` once (one round trip per
connection, not per request: connections persist ``DATABASE_CONN_MAX_AGE`` seconds). A management
command never imports these modules, so it never has the limit. SQLite: nothing to do (no such
setting; its ``timeout`` option bounds lock waits).

A statement that passes the limit raises ``OperationalError`` (``QueryCanceled``), which
``crpv_site.errors`` answers with a 503; ``connect_timeout`` (settings, every process) bounds the
wait for a database that does not answer at all.
"""

from django.conf import settings
from django.db.backends.signals import connection_created

DISPATCH_UID = "crpv_site.database.web_statement_timeout"


def web_statement_timeout(sender, connection, **kwargs):
    milliseconds = settings.DATABASE_STATEMENT_TIMEOUT_MS
    if connection.vendor != "postgresql" or milliseconds <= 0:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('statement_timeout', %s, false)", [f"{milliseconds}ms"])


def serve_web_requests():
    """This process serves web requests: its database connections get the web statement timeout."""
    connection_created.connect(web_statement_timeout, dispatch_uid=DISPATCH_UID)


def stop_serving_web_requests():
    """The opposite (tests): connections opened from now on have no statement timeout."""
    connection_created.disconnect(dispatch_uid=DISPATCH_UID)
