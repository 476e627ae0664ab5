"""How many proposals a client address may send: ``PROPOSALS_PER_HOUR`` per hour window.

Each accepted submission is counted *before* the proposal is stored, by one atomic operation
that returns the new count, so that simultaneous submissions can never read the same count
(issue 13, finding 1: a get-then-set let 20 of 20 simultaneous submissions through):

- ``REDIS_URL`` set: Redis ``INCR`` and ``EXPIRE … NX`` in one MULTI/EXEC, on a key per client and
  per window, which expires by itself;
- otherwise: one SQL upsert in ``ProposalCounter``
  (``INSERT … ON CONFLICT (client, window_start) DO UPDATE SET count = count + 1 RETURNING count``,
  PostgreSQL and SQLite ≥ 3.35); the first count of a new window deletes the rows of past windows.
  Django's database cache would not do: its ``add``/``incr`` read then write.

Windows are fixed hours (from the top of the hour, UTC): the refusal page gives the end of the
current one as the time to retry. A client may thus send up to twice the limit across the turn of
an hour, which is fine against floods, all this is for.

Only a valid submission is counted: a form refused for its errors costs nothing (the visitor
corrects and sends again); a filled honeypot is not counted either (nothing is stored). A visitor
already at the limit is refused before the form is even validated (a read, not the decision).

The client is ``crpv_site.client_ip.client_address`` (``TRUSTED_PROXY_COUNT``), keyed by an HMAC
of it with the secret key: no address is stored.

The e-mail alerts' subscription form (``initiatives.alerts``) counts with the same functions under
its own ``scope``: the scope is part of the HMAC and of the Redis key, so each form has its own count
in the same table (or Redis database), and a visitor who proposed five cases may still subscribe.
"""

import hashlib
import hmac
import time

import redis
from django.conf import settings
from django.db import connection

from crpv_site.client_ip import client_address
from initiatives.models import ProposalCounter

FIELDS = ("client", "window_start", "count")
RATE_WINDOW = 3600  # seconds: PROPOSALS_PER_HOUR is counted per hour window
PROPOSALS = "proposals"  # the scope of the proposal form, the default
REDIS_PREFIX = f"proximites:{PROPOSALS}:"
_redis_clients = {}


def clock() -> float:
    """Now, in Unix seconds: the one clock of the limit (tests move it instead of waiting an hour)."""
    return time.time()


def window_start(now: float | None = None) -> int:
    now = clock() if now is None else now
    return int(now // RATE_WINDOW) * RATE_WINDOW


def retry_at(now: float | None = None) -> int:
    """When the client may send again: the end of the current window (Unix seconds)."""
    return window_start(now) + RATE_WINDOW


def client_key(request, scope: str = PROPOSALS) -> str:
    message = f"{scope}:{client_address(request)}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:40]


def _redis_key(scope: str, client: str, window: int) -> str:
    return f"proximites:{scope}:{client}:{window}"


def _redis():
    url = settings.REDIS_URL
    if url not in _redis_clients:
        _redis_clients[url] = redis.Redis.from_url(url)
    return _redis_clients[url]


def submissions(request, scope: str = PROPOSALS) -> int:
    """How many submissions the client sent in the current window (a plain read: never decides alone)."""
    client, window = client_key(request, scope), window_start()
    if settings.REDIS_URL:
        return int(_redis().get(_redis_key(scope, client, window)) or 0)
    row = ProposalCounter.objects.filter(client=client, window_start=window).values_list("count", flat=True)
    return row.first() or 0


def count_submission(request, scope: str = PROPOSALS) -> int:
    """Count one submission of the client, atomically; returns the count including it."""
    client, window = client_key(request, scope), window_start()
    if settings.REDIS_URL:
        key = _redis_key(scope, client, window)
        with _redis().pipeline(transaction=True) as pipe:
            pipe.incr(key)
            pipe.expire(key, RATE_WINDOW + 60, nx=True)
            count, _ = pipe.execute()
        return int(count)
    return _count_in_sql(client, window)


def _count_in_sql(client: str, window: int) -> int:
    quote = connection.ops.quote_name
    table = quote(ProposalCounter._meta.db_table)
    client_col, window_col, count_col = (quote(ProposalCounter._meta.get_field(f).column) for f in FIELDS)
    sql = (
        f"INSERT INTO {table} ({client_col}, {window_col}, {count_col}) VALUES (%s, %s, 1) "
        f"ON CONFLICT ({client_col}, {window_col}) DO UPDATE SET {count_col} = {table}.{count_col} + 1 "
        f"RETURNING {count_col}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [client, window])
        (count,) = cursor.fetchone()
    if count == 1:  # the first submission of this client in this window: drop the windows that are over
        ProposalCounter.objects.filter(window_start__lt=window).delete()
    return count
