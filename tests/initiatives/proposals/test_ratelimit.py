"""The proposal form's rate limit: counted atomically (issue 13, finding 1) per client address, the
address read through the trusted proxies only (finding 2).

The race tests send simultaneous submissions over real HTTP to a live server (each request in its
own thread and database connection) and call the counter from separate connections: exactly
``PROPOSALS_PER_HOUR`` pass, then the next is refused. They run on PostgreSQL (SQLite serialises
writers, so it cannot show a race, and its in-memory test database refuses a live server's concurrent
writes) and against Redis when one listens on 127.0.0.1:6379.
"""

import http.client
import re
import threading
from urllib.parse import urlencode, urlsplit

import pytest
from django.db import connections
from django.test import RequestFactory

from crpv_site.client_ip import axes_client_address, client_address, login_username
from initiatives.models import Proposal, ProposalCounter
from initiatives.proposals import ratelimit
from tests.factories import national_network

PROPOSE = "/proposer/"
REDIS_TEST_URL = "redis://127.0.0.1:6379/7"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


# Markers of tests/conftest.py: PostgreSQL-only tests are skipped on SQLite; Redis tests fail instead of
# skipping where .ci/run starts Redis (PROXIMITES_REQUIRE_REDIS=1); CI counts that both kinds ran.
needs_postgresql = pytest.mark.postgresql
needs_redis = pytest.mark.redis


def form(title="Paniers solidaires", **extra):
    return {
        "title": title,
        "description": "Des habitantes livrent des paniers aux familles isolées.",
        "contact_email": "habitante@example.org",
        "website": "",
        **extra,
    }


@pytest.fixture
def clock(monkeypatch):
    """The limit's clock, set by the test: 10:59:58 UTC on a given day, moved by ``clock.now = …``."""

    class Clock:
        # Two seconds before the turn of an hour; the tests that do not move it send their bursts in
        # one frozen second, so a burst never straddles two windows.
        now = 1_590_000_000 - 1_590_000_000 % 3600 + 3598

    monkeypatch.setattr(ratelimit, "clock", lambda: Clock.now)
    return Clock


@pytest.fixture
def redis_counter(settings):
    settings.REDIS_URL = REDIS_TEST_URL
    client = ratelimit._redis()
    for key in client.scan_iter(f"{ratelimit.REDIS_PREFIX}*"):
        client.delete(key)
    yield client
    for key in client.scan_iter(f"{ratelimit.REDIS_PREFIX}*"):
        client.delete(key)


# The client's address


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "198.51.100.7", "10.0.0.1"),  # no trusted proxy: the header is ignored
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # a forged leftmost entry is never read
        (2, "6.6.6.6, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        (2, "198.51.100.7", "10.0.0.1"),  # fewer entries than proxies: only the peer is known
        (1, "", "10.0.0.1"),
        (1, "pas-une-adresse", "10.0.0.1"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_is_read_through_the_trusted_proxies_only(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_without_the_forwarded_header_the_peer_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(RequestFactory().get("/", REMOTE_ADDR="10.0.0.1")) == "10.0.0.1"


@pytest.mark.django_db
def test_six_visitors_behind_one_proxy_are_all_accepted(client, settings):
    national_network()
    settings.TRUSTED_PROXY_COUNT = 1
    for i in range(6):
        response = client.post(
            PROPOSE, form(f"Proposition {i}"), REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"198.51.100.{i + 1}"
        )
        assert response.status_code == 302, i
    assert Proposal.objects.count() == 6


@pytest.mark.django_db
def test_a_forged_leftmost_forwarded_entry_does_not_bypass_the_limit(client, settings, clock):
    national_network()
    settings.TRUSTED_PROXY_COUNT = 1
    statuses = [
        client.post(
            PROPOSE, form(f"Proposition {i}"), REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"6.6.6.{i}, 198.51.100.9"
        ).status_code
        for i in range(settings.PROPOSALS_PER_HOUR + 3)
    ]
    assert statuses == [302] * settings.PROPOSALS_PER_HOUR + [429] * 3
    assert Proposal.objects.count() == settings.PROPOSALS_PER_HOUR


@pytest.mark.django_db
def test_a_refused_form_does_not_use_the_quota(client, settings, clock):
    national_network()
    for _ in range(settings.PROPOSALS_PER_HOUR + 2):
        assert client.post(PROPOSE, form(title=""), REMOTE_ADDR="203.0.113.3").status_code == 200
    for i in range(settings.PROPOSALS_PER_HOUR):
        assert client.post(PROPOSE, form(f"Proposition {i}"), REMOTE_ADDR="203.0.113.3").status_code == 302
    assert client.post(PROPOSE, form("Une de trop"), REMOTE_ADDR="203.0.113.3").status_code == 429


@pytest.mark.django_db
def test_the_sql_counter_purges_the_windows_that_are_over():
    ProposalCounter.objects.create(client="ancien", window_start=ratelimit.window_start() - 2 * 3600, count=4)
    ProposalCounter.objects.create(client="voisin", window_start=ratelimit.window_start(), count=3)
    request = RequestFactory().post(PROPOSE, REMOTE_ADDR="203.0.113.4")
    assert ratelimit.count_submission(request) == 1
    # The first count of a window purges the windows that are over, at once; the current one stays.
    assert sorted(ProposalCounter.objects.values_list("client", "count")) == [
        (ratelimit.client_key(request), 1),
        ("voisin", 3),
    ]
    assert ratelimit.count_submission(request) == 2
    assert sorted(ProposalCounter.objects.values_list("count", flat=True)) == [2, 3]


def test_windows_are_clock_hours_and_a_refusal_says_the_end_of_the_current_one():
    assert ratelimit.window_start(7200) == ratelimit.window_start(10799.9) == 7200
    assert ratelimit.window_start(10800) == 10800
    assert ratelimit.retry_at(7300) == 10800


def test_the_window_follows_the_clock_when_no_time_is_given(clock):
    assert ratelimit.window_start() == clock.now - clock.now % 3600
    assert ratelimit.retry_at() == clock.now - clock.now % 3600 + 3600


@pytest.mark.parametrize("backend", ["sql", pytest.param("redis", marks=pytest.mark.redis)])
@pytest.mark.django_db
def test_each_client_has_its_own_count_and_a_new_one_starts_at_zero(settings, backend, request):
    if backend == "redis":
        request.getfixturevalue("redis_counter")
    else:
        settings.REDIS_URL = ""
    first = RequestFactory().post(PROPOSE, REMOTE_ADDR="203.0.113.21")
    other = RequestFactory().post(PROPOSE, REMOTE_ADDR="203.0.113.22")
    assert ratelimit.submissions(first) == 0
    assert [ratelimit.count_submission(first) for _ in range(3)] == [1, 2, 3]
    assert ratelimit.submissions(first) == 3 and ratelimit.submissions(other) == 0
    assert ratelimit.count_submission(other) == 1
    key = ratelimit.client_key(first)
    assert len(key) == 40 and key != ratelimit.client_key(other) and "203.0.113.21" not in key


@pytest.mark.redis
def test_a_redis_count_expires_after_the_window_and_a_minute(redis_counter, settings):
    first = RequestFactory().post(PROPOSE, REMOTE_ADDR="203.0.113.23")
    ratelimit.count_submission(first)
    ratelimit.count_submission(first)
    [key] = list(redis_counter.scan_iter(f"{ratelimit.REDIS_PREFIX}*"))
    assert 3600 < redis_counter.ttl(key) <= 3660


# Simultaneous submissions over real HTTP


def burst(live_server, size, address="203.0.113.50"):
    """``size`` POSTs of the form released at once, each on its own connection; their status codes."""
    origin = urlsplit(live_server.url)
    first = http.client.HTTPConnection(origin.hostname, origin.port, timeout=60)
    first.request("GET", PROPOSE)
    page = first.getresponse()
    cookie = page.getheader("Set-Cookie").split(";")[0]
    token = TOKEN.search(page.read().decode()).group(1)
    first.close()
    body = urlencode(form(csrfmiddlewaretoken=token))
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie, "X-Forwarded-For": address}
    # Connected one by one beforehand (the live server's listen queue is short); the requests go at once.
    conns = []
    for _ in range(size):
        conns.append(http.client.HTTPConnection(origin.hostname, origin.port, timeout=120))
        conns[-1].connect()
    start = threading.Barrier(size)
    statuses = []

    def post(conn):
        start.wait()
        try:
            conn.request("POST", PROPOSE, body=body, headers=headers)
            statuses.append(conn.getresponse().status)
        except OSError as error:
            statuses.append(repr(error))
        finally:
            conn.close()

    threads = [threading.Thread(target=post, args=(conn,)) for conn in conns]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(statuses, key=str)


def assert_exactly_the_limit_passes(live_server, settings, size):
    national_network()
    settings.TRUSTED_PROXY_COUNT = 1  # the burst comes "through a proxy" from one visitor
    limit = settings.PROPOSALS_PER_HOUR
    statuses = burst(live_server, size)
    assert statuses.count(302) == limit and statuses.count(429) == size - limit, statuses
    assert Proposal.objects.count() == limit
    assert burst(live_server, 1) == [429]  # and the next one, later, is refused too
    assert Proposal.objects.count() == limit


@needs_postgresql
@pytest.mark.parametrize("size", [20, 60])
def test_simultaneous_submissions_pass_exactly_the_limit_with_the_sql_counter(live_server, settings, clock, size):
    settings.REDIS_URL = ""
    assert_exactly_the_limit_passes(live_server, settings, size)


@needs_postgresql
@needs_redis
@pytest.mark.parametrize("size", [20, 60])
def test_simultaneous_submissions_pass_exactly_the_limit_with_redis(live_server, settings, redis_counter, clock, size):
    assert_exactly_the_limit_passes(live_server, settings, size)
    assert ProposalCounter.objects.count() == 0  # Redis counted, not the table


# Simultaneous counts from separate database connections


def count_concurrently(size, address="203.0.113.60"):
    request = RequestFactory().post(PROPOSE, REMOTE_ADDR=address)
    start = threading.Barrier(size)
    counts = []

    def count():
        try:
            start.wait()
            counts.append(ratelimit.count_submission(request))
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=count) for _ in range(size)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(counts)


@needs_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", [20, 60])
def test_simultaneous_counts_in_sql_are_all_distinct(settings, size):
    settings.REDIS_URL = ""
    assert count_concurrently(size) == list(range(1, size + 1))
    assert ProposalCounter.objects.get().count == size


@needs_redis
@pytest.mark.parametrize("size", [20, 60])
def test_simultaneous_counts_in_redis_are_all_distinct(redis_counter, size):
    assert count_concurrently(size) == list(range(1, size + 1))
    (key,) = redis_counter.scan_iter(f"{ratelimit.REDIS_PREFIX}*")
    assert 0 < redis_counter.ttl(key) <= ratelimit.RATE_WINDOW + 60  # the key goes away by itself


@pytest.mark.django_db
@pytest.mark.parametrize("backend", ["sql", pytest.param("redis", marks=pytest.mark.redis)])
def test_the_window_is_one_hour_moved_by_a_controlled_clock(client, settings, clock, backend, request):
    """Full at the end of an hour, open again at the turn of it, full again, and open an hour later:
    a window of a day (or of anything but an hour) fails here. The refusal says when to come back."""
    national_network()
    if backend == "redis":
        request.getfixturevalue("redis_counter")
    limit = settings.PROPOSALS_PER_HOUR

    def send(n, start=0):
        return [client.post(PROPOSE, form(f"Proposition {start + i}"), REMOTE_ADDR="203.0.113.9").status_code
                for i in range(n)]  # fmt: skip

    assert send(limit) == [302] * limit
    refused = client.post(PROPOSE, form("Une de trop"), REMOTE_ADDR="203.0.113.9")
    assert refused.status_code == 429 and refused["Retry-After"] == "60"  # two seconds left, at least a minute
    clock.now += 2  # the top of the next hour: a new window
    assert send(limit, start=10) == [302] * limit
    assert send(1, start=20) == [429]
    clock.now += 3599  # the last second of that hour: still full
    assert send(1, start=30) == [429]
    clock.now += 1
    assert send(1, start=40) == [302]
    assert Proposal.objects.count() == 2 * limit + 1


def test_the_admin_lockout_reads_the_same_address_and_a_case_folded_login(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    behind = RequestFactory().post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert axes_client_address(behind) == "198.51.100.7"
    assert axes_client_address(RequestFactory().get("/", REMOTE_ADDR="")) is None  # unknown: no IP to store
    typed = RequestFactory().post("/", {"username": "  Admin@Exemple.FR "})
    assert login_username(typed) == "admin@exemple.fr"
    assert login_username(typed, {"username": "Curatrice@Oriv.org"}) == "curatrice@oriv.org"
    assert (
        login_username(RequestFactory().post("/", {})) == "" and login_username(RequestFactory().post("/"), None) == ""
    )


@pytest.mark.django_db
def test_each_form_counts_apart(settings):
    settings.REDIS_URL = ""
    request = RequestFactory().post(PROPOSE, REMOTE_ADDR="203.0.113.30")
    assert ratelimit.count_submission(request, "alertes") == 1
    assert ratelimit.count_submission(request, "alertes") == 2
    assert (ratelimit.submissions(request), ratelimit.submissions(request, "alertes")) == (0, 2)
    assert ratelimit.count_submission(request) == 1
