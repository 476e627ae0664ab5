"""Browse benchmark on PostgreSQL: the list, a case page, the API, the Atom feed and the panoramas at
1,000, 10,000 and 100,000 cases.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/proximites_bench python -m bench browse
    BENCH_DATABASE_URL='postgres://postgres@127.0.0.1:5432/proximites_bench_{size}' \
        python -m bench browse --sizes 10000,100000

With ``{size}`` in the address, each size has its own database (created when
missing, kept between runs: 100,000 cases take ~15 minutes to generate), so
the 10,000 figures are not taken on a base already grown to 100,000.

Fills the separate database ``BENCH_DATABASE_URL`` (never the real base) with
synthetic cases (``bench/synthetic.py``), then times whole requests in process
through Django's test client, the same code path as real requests, and prints
p50 / p95 and query counts. The "floor" is the bare SQL of the same disjunctive
facet counts, one aggregate query per facet, executed alone (the pages count
on the in-memory facet index instead, see ``initiatives/bitsets.py``). Figures are
printed; this is not a test.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def percentile(values, p):
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def setup_django():
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url or not url.startswith("postgres"):
        sys.exit("BENCH_DATABASE_URL doit désigner une base PostgreSQL dédiée au banc d'essai.")
    os.environ["DATABASE_URL"] = url.replace("{size}", "any")  # the real name is set per size
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"  # the test client's host name
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crpv_site.settings")
    import django

    # Not setup_test_environment(): its instrumented template rendering would slow what we time.
    django.setup()


def use_database(size):
    """With ``{size}`` in BENCH_DATABASE_URL, switch to (and create) that size's own database."""
    from urllib.parse import urlparse

    import psycopg
    from django.db import connections

    url = os.environ["BENCH_DATABASE_URL"]
    if "{size}" not in url:
        return
    address = urlparse(url.format(size=size))
    name = address.path.lstrip("/")
    server = address._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')
    connection = connections["default"]
    connection.close()
    connection.settings_dict["NAME"] = name
    print(f"  base {name}", flush=True)


def prepare(size):
    from django.core.management import call_command

    from bench.synthetic import generate
    from crpv_site.progress import Progress
    from initiatives.browse.keys import compact
    from initiatives.browse.search.thesaurus import load_thesaurus
    from initiatives.casefiles.loaders import load_reference_data
    from territories.loaders import load_resource_centres, load_territories
    from territories.models import Territory

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)  # the page cache and the rate limit, without Redis
    if not Territory.objects.filter(kind="commune").exists():
        print("  chargement des territoires…", flush=True)
        load_territories()
        load_resource_centres()
        load_reference_data()
    load_thesaurus()  # queries are widened as on the real site
    started = time.perf_counter()
    added = generate(size, progress=Progress(sys.stdout))
    if added:
        print(f"  {added} cas synthétiques ajoutés en {time.perf_counter() - started:.0f} s", flush=True)
        compact()  # as refresh_browse_index does after rewriting every row


def measure(client, url, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        client.get(url)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return times, list(ctx.captured_queries)


def floor(url, runs):
    """Time the bare SQL of the same disjunctive facet counts: one aggregate query per facet
    (``reference_counts.sql_facet_counts``), captured once, then executed alone and summed per run."""
    from django.db import connection
    from django.http import QueryDict
    from django.test.utils import CaptureQueriesContext

    from initiatives.browse.facets import facet_labels
    from initiatives.browse.reference_counts import sql_facet_counts

    labels = facet_labels()
    params = QueryDict(url.partition("?")[2])
    with CaptureQueriesContext(connection) as ctx:
        sql_facet_counts(params, labels=labels)
    facet_sql = [
        q["sql"] for q in ctx.captured_queries if "initiatives_browsekey" in q["sql"] and "GROUP BY" in q["sql"]
    ]
    times = []
    with connection.cursor() as cursor:
        for sql in facet_sql:
            cursor.execute(sql)
        for _ in range(runs):
            started = time.perf_counter()
            for sql in facet_sql:
                cursor.execute(sql)
                cursor.fetchall()
            times.append((time.perf_counter() - started) * 1000)
    return times, len(facet_sql)


def scenarios():
    from initiatives.models import Initiative, Theme

    theme = Theme.objects.filter(parent__isnull=True).order_by("position").first()
    slugs = list(Initiative.objects.published().order_by("?").values_list("slug", flat=True)[:50])
    return [
        ("liste sans filtre", lambda: "/initiatives/"),
        ("liste, 3 filtres", lambda: f"/initiatives/?theme={theme.slug}&region=11&porteur=institutional"),
        ("liste, recherche", lambda: "/initiatives/?q=aide+alimentaire"),
        ("page d'un cas", lambda: f"/initiatives/{random.choice(slugs)}/"),
        ("API liste", lambda: "/api/initiatives/"),
        ("flux Atom", lambda: "/initiatives/flux.atom"),
        ("flux Atom, un thème", lambda: f"/initiatives/flux.atom?theme={theme.slug}"),
        ("coopérations", lambda: "/cooperations/"),
        ("chronologie", lambda: "/chronologie/"),
    ]


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench browse")
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args(argv or [])
    setup_django()
    from django.conf import settings
    from django.test import Client

    settings.PAGE_CACHE = False  # what is timed is the rendering; bench load measures the page cache

    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    for size in sizes:
        print(f"== {size} cas", flush=True)
        use_database(size)
        prepare(size)
        client = Client()
        for name, url in scenarios():
            target = url()
            # Case pages: a different case on each run.
            times, queries = (
                measure(client, target, args.runs) if name != "page d'un cas" else _cases(client, url, args.runs)
            )
            row = {
                "size": size,
                "scenario": name,
                "p50": statistics.median(times),
                "p95": percentile(times, 95),
                "queries": len(queries),
            }
            if name.startswith("liste"):
                ftimes, n = floor(target, min(args.runs, 5))  # the SQL floor takes seconds a run at 100,000
                row["floor_p50"] = statistics.median(ftimes)
                row["floor_p95"] = percentile(ftimes, 95)
                row["facet_queries"] = n
            rows.append(row)
            print("  " + _line(row), flush=True)
        for row in (_cold_search(client, size, args.runs), _after_a_write(client, size, args.runs)):
            rows.append(row)
            print("  " + _line(row), flush=True)
    print()
    print(table(rows))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "browse.json").write_text(json.dumps(rows, indent=1, ensure_ascii=False))


def _cold_search(client, size, runs):
    """The text search as its first reader meets it: no term kept from an earlier request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from initiatives.browse.search import match

    times = []
    for _ in range(runs):
        match.forget()
        started = time.perf_counter()
        assert client.get("/initiatives/?q=aide+alimentaire").status_code == 200
        times.append((time.perf_counter() - started) * 1000)
    match.forget()
    with CaptureQueriesContext(connection) as ctx:
        client.get("/initiatives/?q=aide+alimentaire")
    return {
        "size": size,
        "scenario": "recherche, 1er passage",
        "p50": statistics.median(times),
        "p95": percentile(times, 95),
        "queries": len(ctx.captured_queries),
    }


def _after_a_write(client, size, runs):
    """The first list request after a one-case write: each process brings its index up to date
    (re-reads the case's keys, moves it in each order) before it answers."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from initiatives.models import Initiative

    case = Initiative.objects.published().order_by("pk").first()
    times = []
    client.get("/initiatives/")
    for run in range(runs + 1):
        case.title = f"{case.title.split(' — ')[0]} — {run}"
        case.save()  # outside any boundary: its derived data is rebuilt at once, the index version bumped
        if run == runs:  # one more, to count its queries
            with CaptureQueriesContext(connection) as ctx:
                client.get("/initiatives/")
            break
        started = time.perf_counter()
        response = client.get("/initiatives/")
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return {
        "size": size,
        "scenario": "liste après une écriture",
        "p50": statistics.median(times),
        "p95": percentile(times, 95),
        "queries": len(ctx.captured_queries),
    }


def _cases(client, url, runs):
    all_times, queries = [], []
    for _ in range(runs):
        times, queries = measure(client, url(), 1)
        all_times += times
    return all_times, queries


def _line(row):
    text = f"{row['scenario']:<20} p50 {row['p50']:7.1f} ms  p95 {row['p95']:7.1f} ms  {row['queries']:3d} requêtes"
    if "floor_p50" in row:
        ratio = row["p50"] / row["floor_p50"]
        text += f"  | plancher p50 {row['floor_p50']:6.1f} ms ({row['facet_queries']} comptages), ratio {ratio:.2f}"
    return text


def table(rows):
    lines = [
        "| cas | scénario | p50 (ms) | p95 (ms) | requêtes SQL | plancher p50 (ms) | liste / plancher |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        floor_cells = f"{r['floor_p50']:.1f} | {r['p50'] / r['floor_p50']:.2f}" if "floor_p50" in r else " | "
        lines.append(
            f"| {r['size']:,} | {r['scenario']} | {r['p50']:.1f} | {r['p95']:.1f} | {r['queries']} | {floor_cells} |"
        )
    by = {(r["size"], r["scenario"]): r for r in rows}
    sizes = sorted({r["size"] for r in rows})
    if len(sizes) >= 2:
        big, mid = sizes[-1], sizes[-2]
        for name in ("liste sans filtre", "liste, 3 filtres", "liste, recherche"):
            if (big, name) in by and (mid, name) in by:
                ratio = by[(big, name)]["p95"] / by[(mid, name)]["p95"]
                lines.append(f"\np95 {name} à {big:,} / à {mid:,} : {ratio:.2f}")
    for size in sizes:
        after, steady = by.get((size, "liste après une écriture")), by.get((size, "liste sans filtre"))
        if after and steady:
            lines.append(f"\nà {size:,} : p95 après une écriture / p95 stable = {after['p95'] / steady['p95']:.2f}")
    return "\n".join(lines)
