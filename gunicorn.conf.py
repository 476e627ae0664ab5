"""gunicorn settings for Proximités (Procfile's `web`, `make serve`, `python -m bench load`).

Everything can be changed from the environment, as PaaS set it (docs/operations.md, "Serving"):

- ``PORT`` (8000) and ``HOST`` (0.0.0.0: a PaaS router reaches the container from outside);
- ``WEB_CONCURRENCY``: worker processes, by default 2 × CPU cores + 1 (gunicorn's advice for
  synchronous workers: while one waits on PostgreSQL, another computes);
- ``GUNICORN_TIMEOUT`` (30 s): a worker silent that long is killed and replaced. A request is
  bounded well below it by the database timeouts, so this only catches a stuck process;
- ``GUNICORN_PRELOAD`` (0): see below.
"""

import multiprocessing
import os

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"  # noqa: S104 (PaaS)
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * multiprocessing.cpu_count() + 1)
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30  # on SIGTERM (a deploy), requests in flight get this long to finish
keepalive = 5  # behind a router that keeps connections open

# Recycle a worker after this many requests (jittered so they do not all restart together): bounds
# whatever memory a long-lived process accumulates.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200

# Logs on stdout/stderr, which PaaS and systemd collect; one access line per request, with its duration
# in microseconds (%(D)s) to spot slow pages.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(D)sus "%(a)s"'

# Not preloaded by default. Preloading would import Django once in the master and fork it (less
# memory, faster worker start), but each worker still builds its own in-memory facet index on its
# first request (initiatives/browse/bitsets.py: one copy per process, kept in step with the database
# by the index version), so little is shared; and without preloading a `kill -HUP` of the master
# reloads new code gracefully. GUNICORN_PRELOAD=1 turns it on; no database connection is opened at
# import, so forked workers never share one.
preload_app = os.environ.get("GUNICORN_PRELOAD", "0") == "1"

# gunicorn's control socket (one per user, in ~/.gunicorn) is not used, and would collide between two
# servers of one user (tests/crpv_site/test_serving.py starts two).
control_socket_disable = True

# Trust X-Forwarded-* from the PaaS router only through Django (DJANGO_BEHIND_PROXY): gunicorn itself
# keeps its default (127.0.0.1).
