"""The cache that holds the proposal rate limit is shared by every server process."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SNIPPET = """
import json, django
django.setup()
from django.conf import settings
from django.core.cache import cache
key = "proximites-test-shared-counter"
if {reset}:
    cache.delete(key)
cache.add(key, 0, 60)
print(json.dumps({{"backend": settings.CACHES["default"]["BACKEND"], "count": cache.incr(key)}}))
"""


def in_another_process(env_extra, reset=False):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "crpv_site.settings", **env_extra}
    out = subprocess.run(
        [sys.executable, "-c", SNIPPET.format(reset=reset)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_default_cache_is_a_database_table(settings):
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"


def test_two_processes_share_the_database_cache(tmp_path):
    database = {"DATABASE_URL": f"sqlite:///{tmp_path / 'cache.sqlite3'}", "REDIS_URL": ""}
    subprocess.run(
        [sys.executable, "manage.py", "createcachetable"],
        cwd=ROOT,
        env={**os.environ, **database},
        check=True,
        timeout=60,
    )
    assert in_another_process(database, reset=True)["count"] == 1
    second = in_another_process(database)
    assert second == {"backend": "django.core.cache.backends.db.DatabaseCache", "count": 2}


@pytest.mark.redis
def test_redis_url_switches_to_a_shared_redis_cache():
    env = {"REDIS_URL": "redis://127.0.0.1:6379/13"}
    assert in_another_process(env, reset=True)["count"] == 1
    second = in_another_process(env)
    assert second == {"backend": "django.core.cache.backends.redis.RedisCache", "count": 2}
