"""The shared caches a deployment may use, for tests that must hold on each of them.

`file`: the file cache (`dragoman.core.filecache`) in a folder of the test's own. `redis`: the
Redis on 127.0.0.1:6379 (database 5) under a key prefix unique to the run, skipped with the reason
when no Redis answers.
"""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

REDIS = ("127.0.0.1", 6379)
REDIS_URL = "redis://127.0.0.1:6379/5"


def redis_available() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1):
            return True
    except OSError:
        return False


def cache_settings(kind: str, folder: Path) -> dict[str, Any]:
    if kind == "file":
        return {
            "BACKEND": "dragoman.core.filecache.FileCache",
            "LOCATION": str(folder / "cache"),
        }
    if not redis_available():
        pytest.skip("no Redis on 127.0.0.1:6379")
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": f"dragoman-test-{uuid.uuid4().hex}",
    }


@pytest.fixture(params=["file", "redis"])
def shared_cache(request: Any, settings: Any, tmp_path: Path) -> Iterator[str]:
    """Each test that asks runs once with the file cache and once with Redis."""
    chosen = cache_settings(request.param, tmp_path)
    settings.CACHES = {"default": chosen}
    yield request.param
    if "KEY_PREFIX" in chosen:
        # The Redis database is shared: remove this run's keys, nobody else's.
        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"{chosen['KEY_PREFIX']}:*"):
            client.delete(key)
