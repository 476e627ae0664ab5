"""The public page cache (initiatives.browse.page_cache) through real HTTP: a page is served from the
cache until any write that can change it is committed, whatever was written."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from initiatives.models import ThesaurusEntry
from tests.factories import CommuneFactory, InitiativeFactory, ThemeFactory, national_network

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    from django.core.cache import caches

    settings.PAGE_CACHE = True
    caches["pages"].clear()  # per process, in memory without Redis: it outlives each test's transaction
    national_network()
    commune = CommuneFactory(name="Bohain-en-Vermandois")
    case = InitiativeFactory(title="Paniers solidaires", territory=commune, summary="Des colis livrés.")
    return {"case": case, "commune": commune}


def hit(response):
    return response.get("X-Cache") == "hit"


def test_a_second_visit_is_served_from_the_cache_in_two_queries(client, cached):
    first = client.get("/initiatives/")
    assert first.status_code == 200 and not hit(first)
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/initiatives/")
    assert hit(second) and second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    # The version, and the cache table (none with Redis); savepoints exist only inside the test's transaction.
    statements = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) <= 2, statements


@pytest.mark.parametrize(
    "write",
    [
        "case_title",
        "theme_added",
        "territory_renamed",
        "tag_added",
        "thesaurus_edited",
    ],
)
def test_every_kind_of_write_shows_at_once(client, cached, write):
    case, commune = cached["case"], cached["commune"]
    path = "/initiatives/?q=paniers"
    client.get(path)
    assert hit(client.get(path))
    if write == "case_title":
        case.title = "Paniers solidaires du Breil"
        case.save()
        expected = "Paniers solidaires du Breil"
    elif write == "theme_added":
        case.themes.add(ThemeFactory(name="Aide alimentaire"))
        expected = "Aide alimentaire"
    elif write == "territory_renamed":
        commune.name = "Bohain"
        commune.save()
        expected = "Bohain ("
    elif write == "tag_added":
        case.tags.add(Tag.objects.create(name="circuit court", slug="circuit-court"))
        expected = "circuit court"
    else:
        ThesaurusEntry.objects.create(key="paniers", terms="paniers\nbons d'achat")
        expected = "bons d&#x27;achat"
    response = client.get(path)
    assert not hit(response)
    assert expected in response.content.decode()


def test_staff_pages_exports_forms_and_other_hosts_are_not_shared(client, cached, admin_user, settings):
    settings.ALLOWED_HOSTS = ["testserver", "example.test"]
    client.get("/api/initiatives/")
    other_host = client.get("/api/initiatives/", HTTP_HOST="example.test")
    assert not hit(other_host) and "http://example.test/" in other_host.content.decode()
    for path in ("/initiatives/export.csv", "/proposer/", "/admin/login/"):
        client.get(path)
        assert not hit(client.get(path)), path
    client.force_login(admin_user)  # a session: previews and drafts, never the shared page
    client.get("/initiatives/")
    assert not hit(client.get("/initiatives/"))


def test_with_the_setting_off_nothing_is_cached(client, cached, settings):
    settings.PAGE_CACHE = False
    client.get("/initiatives/")
    assert not hit(client.get("/initiatives/"))


@pytest.mark.parametrize(
    "backend",
    [
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"},
        {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "table_qui_n_existe_pas"},
    ],
    ids=["redis_unreachable", "cache_table_missing"],
)
def test_a_cache_down_serves_the_page_uncached(client, cached, settings, backend, caplog):
    settings.CACHES = {"default": backend, "pages": backend}  # setting_changed resets the cache handlers
    first = client.get("/initiatives/")
    second = client.get("/initiatives/")
    assert first.status_code == second.status_code == 200
    assert "Paniers solidaires" in second.content.decode() and not hit(second)
    assert any("Cache des pages indisponible" in r.getMessage() for r in caplog.records)


def test_a_version_number_that_comes_back_never_serves_an_older_page(client, cached):
    """A restored backup, or a rolled-back write, brings a version number back: the token changes with
    every version, so the page cached for that number before is not taken for the new state."""
    from initiatives.models import PublicVersion

    client.get("/initiatives/")
    old = PublicVersion.objects.get(pk=1).version
    case = cached["case"]
    case.title = "Paniers solidaires du Breil"
    case.save()
    PublicVersion.objects.filter(pk=1).update(version=old)  # the number comes back, as after a restore
    response = client.get("/initiatives/")
    assert not hit(response) and "Paniers solidaires du Breil" in response.content.decode()
