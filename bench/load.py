"""Load benchmark: gunicorn + PostgreSQL with synthetic cases, concurrent users, the real HTTP path.

    BENCH_DATABASE_URL='postgres://postgres@127.0.0.1:5432/proximites_bench_{size}' \\
        python -m bench load [--size 10000] [--users 16,32] [--duration 60] [--writes]

Starts gunicorn (gunicorn.conf.py when present: workers from the CPU count) with the production
settings on a free loopback port, then runs a bounded asyncio client: each virtual user sends
requests one after another, as fast as answers come, for ``--duration`` seconds, drawing from the
mix of issue 13 — 50 % filtered list, 20 % search, 20 % case page, 10 % API — over at least 500
distinct URLs. It prints requests per second, p50 / p95 / p99, errors, and the status codes. Stops by
itself; loopback only. ``--writes`` adds a writer that publishes and withdraws cases during the run,
then checks that every worker answers the counts the database holds.
"""

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote_plus

from bench.browse import percentile, prepare, setup_django, use_database

ROOT = Path(__file__).resolve().parent.parent
SEARCHES = [
    "aide alimentaire", "continuité scolaire", "santé mentale", "colis", "ordinateurs", "tablettes",
    "perdus de vue", "violences", "masques", "bénévoles", "centre social", "CCAS", "PRE", "Grigny",
    "Marseille", "Nantes", "Roubaix", "décrochage", "fracture numérique", "soutien psychologique",
    "épicerie solidaire", "familles", "jeunes", "personnes âgées", "lien social", "aller vers",
]  # fmt: skip


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def urls(rng, want=600):
    """At least ``want`` distinct URLs per kind, drawn from what the base holds."""
    from initiatives.browse.facets import facet_labels
    from initiatives.models import Initiative

    labels = facet_labels()
    themes, regions = list(labels["theme"]), list(labels["region"])
    departments, periods = list(labels["department"]), list(labels["period"])
    lists = set()
    while len(lists) < want:
        params = [f"theme={rng.choice(themes)}"]
        if rng.random() < 0.6:
            params.append(f"region={rng.choice(regions)}")
        elif rng.random() < 0.5:
            params.append(f"departement={rng.choice(departments)}")
        if rng.random() < 0.3:
            params.append(f"periode={rng.choice(periods)}")
        if rng.random() < 0.3:
            params.append(f"page={rng.randint(2, 5)}")
        lists.add("/initiatives/?" + "&".join(params))
    searches = {f"/initiatives/?q={quote_plus(q)}" for q in SEARCHES}
    while len(searches) < want // 3:
        q, region = rng.choice(SEARCHES), rng.choice(regions)
        searches.add(f"/initiatives/?q={quote_plus(q)}&region={region}")
    writable = Initiative.objects.published().order_by("-pk").values_list("pk", flat=True)[:WRITTEN_CASES]
    slugs = list(
        Initiative.objects.published()
        .exclude(pk__in=list(writable))
        .order_by("?")
        .values_list("slug", flat=True)[:want]
    )
    cases = {f"/initiatives/{slug}/" for slug in slugs}
    api = {f"/api/initiatives/?theme={rng.choice(themes)}&page={rng.randint(1, 3)}" for _ in range(want)}
    return {"list": sorted(lists), "search": sorted(searches), "case": sorted(cases), "api": sorted(api)}


MIX = [("list", 0.5), ("search", 0.2), ("case", 0.2), ("api", 0.1)]


def pick(rng, pools):
    r, acc = rng.random(), 0.0
    for kind, share in MIX:
        acc += share
        if r < acc:
            return kind, rng.choice(pools[kind])
    return "api", rng.choice(pools["api"])


class Client:
    """One virtual user's HTTP/1.1 connection (reopened when the server closes it)."""

    def __init__(self, port):
        self.port, self.reader, self.writer = port, None, None

    async def get(self, path):
        for attempt in (1, 2):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
            request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-Proto: https\r\n\r\n"
            try:
                self.writer.write(request.encode())
                await self.writer.drain()
                return await self._response()
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if attempt == 2:
                    raise
        return None

    async def _response(self):
        status_line = await self.reader.readuntil(b"\r\n")
        status = int(status_line.split()[1])
        headers = {}
        while True:
            line = await self.reader.readuntil(b"\r\n")
            if line == b"\r\n":
                break
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding") == "chunked":
            body = b""
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).strip(), 16)
                body += await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        else:
            body = await self.reader.read()
        if headers.get("connection", "").lower() == "close" or "content-length" not in headers:
            self.close()
        return status, body

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def user(port, pools, deadline, seed, results):
    rng, client = random.Random(seed), Client(port)
    while time.perf_counter() < deadline:
        kind, path = pick(rng, pools)
        started = time.perf_counter()
        try:
            status, _ = await client.get(path)
        except Exception as error:  # a refused or broken connection is an error of the run, not a crash
            status = f"erreur {type(error).__name__}"
        results.append((kind, status, (time.perf_counter() - started) * 1000))
    client.close()


async def run_load(port, pools, users, duration):
    results = []
    deadline = time.perf_counter() + duration
    await asyncio.gather(*(user(port, pools, deadline, seed, results) for seed in range(users)))
    return results


def summary(results, duration):
    times = [ms for _, _, ms in results]
    codes = {}
    for _, status, _ in results:
        codes[status] = codes.get(status, 0) + 1
    errors = sum(n for status, n in codes.items() if not (isinstance(status, int) and status < 400))
    return {
        "requests": len(results),
        "rps": len(results) / duration,
        "p50": statistics.median(times),
        "p95": percentile(times, 95),
        "p99": percentile(times, 99),
        "errors": errors,
        "codes": codes,
        "by_kind": {
            kind: round(statistics.median([ms for k, _, ms in results if k == kind]), 1)
            for kind, _ in MIX
            if any(k == kind for k, _, _ in results)
        },
    }


def start_server(port, env):
    config = ROOT / "gunicorn.conf.py"
    command = [sys.executable, "-m", "gunicorn", "crpv_site.wsgi", "--bind", f"127.0.0.1:{port}"]
    if config.exists():
        command += ["--config", str(config)]
    else:
        command += ["--workers", str(2 * (os.cpu_count() or 1) + 1), "--timeout", "30"]
    command += ["--access-logfile", "/dev/null", "--error-logfile", "-", "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("gunicorn n'a pas démarré")


def server_env(database_url):
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="bench-load-" + "x" * 50,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_HSTS_SECONDS="0",
        SITE_URL="http://127.0.0.1",
        PYTHONPATH=str(ROOT),
    )
    return env


WRITTEN_CASES = 200  # the writer's cases: the most recent ones, which the URL pool leaves out (no 404)


def run_with_writes(port, pools, users, duration, size, every):
    """The load, while a writer in its own process withdraws and republishes cases (the ORM: signals,
    derived data, index version; a process of its own, as a curator's request would be, so that it
    does not hold this client's interpreter); then every worker must answer the counts the database
    holds."""
    import json

    from initiatives.models import BrowseKey

    writer = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bench",
            "load",
            "--size",
            str(size),
            "--writer",
            str(duration),
            "--write-every",
            str(every),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    results = asyncio.run(run_load(port, pools, users, duration))
    written = json.loads(writer.communicate(timeout=duration + 120)[0].strip().splitlines()[-1])["written"]
    figures = summary(results, duration)
    themes = list(BrowseKey.objects.filter(facet="theme").values_list("value", flat=True).distinct()[:5])
    truth = {t: BrowseKey.objects.filter(facet="theme", value=t).count() for t in themes}
    answers = asyncio.run(_counts(port, themes, 12))
    wrong = [(t, n) for t, counts in answers.items() for n in counts if n != truth[t]]
    figures["codes"]["écritures"] = written
    figures["codes"]["comptes vérifiés"] = sum(len(c) for c in answers.values())
    figures["codes"]["comptes faux"] = len(wrong)
    figures["errors"] += len(wrong)
    return figures


def write_for(duration, every):
    """The writer's loop (``--writer SECONDS``): a change of status every ``every`` seconds, all put back
    at the end."""
    import json

    from initiatives.models import Initiative

    rng, written = random.Random(7), []
    ids = list(Initiative.objects.published().order_by("-pk").values_list("pk", flat=True)[:WRITTEN_CASES])
    deadline = time.perf_counter() + duration
    while time.perf_counter() < deadline:
        case = Initiative.objects.get(pk=rng.choice(ids))
        case.status = Initiative.Status.DRAFT if case.status == Initiative.Status.PUBLISHED else "published"
        case.save()
        written.append(case.pk)
        time.sleep(every)
    for case in Initiative.objects.filter(pk__in=written, status=Initiative.Status.DRAFT):
        case.status = Initiative.Status.PUBLISHED
        case.save()
    print(json.dumps({"written": len(written)}), flush=True)


async def _counts(port, themes, repeats):
    """Each theme's count, asked ``repeats`` times on fresh connections (so that every worker answers)."""
    import json

    out = {}
    for theme in themes:
        out[theme] = []
        for _ in range(repeats):
            client = Client(port)
            status, body = await client.get(f"/api/initiatives/?theme={theme}&par_page=10")
            client.close()
            out[theme].append(json.loads(body)["count"] if status == 200 else -1)
    return out


def database_url():
    from django.db import connection

    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def warm(port, pools):
    """Every worker reads its facet index before the clock starts (a process's first request reads it)."""
    asyncio.run(run_load(port, {k: v[:20] for k, v in pools.items()}, 8, 8))


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench load")
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--users", default="16,32")
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--writes", action="store_true", help="une écriture concurrente, puis les comptes vérifiés")
    parser.add_argument("--write-every", type=float, default=0.25, help="secondes entre deux écritures (--writes)")
    parser.add_argument("--writer", type=int, help=argparse.SUPPRESS)  # the writer process of --writes
    args = parser.parse_args(argv or [])
    setup_django()
    use_database(args.size)
    if args.writer:
        return write_for(args.writer, args.write_every)
    prepare(args.size)
    pools = urls(random.Random(2020))
    print(f"  {sum(len(v) for v in pools.values())} adresses distinctes", flush=True)
    port = free_port()
    env = server_env(database_url())
    # The production settings serve hashed static files from STATIC_ROOT (whitenoise's manifest).
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    server = start_server(port, env)
    try:
        warm(port, pools)
        for users in [int(u) for u in args.users.split(",")]:
            if args.writes:
                figures = run_with_writes(port, pools, users, args.duration, args.size, args.write_every)
            else:
                figures = summary(asyncio.run(run_load(port, pools, users, args.duration)), args.duration)
            print(
                f"  {users} utilisateurs, {args.duration} s : {figures['rps']:.1f} req/s, p50 {figures['p50']:.0f} ms, "
                f"p95 {figures['p95']:.0f} ms, p99 {figures['p99']:.0f} ms, {figures['errors']} erreurs "
                f"(codes {figures['codes']}; médianes par type {figures['by_kind']})",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main(sys.argv[1:])
