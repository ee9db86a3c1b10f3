"""Counters in the shared cache that stay exact when many processes count at once.

A rate limit reads "how many so far?" and adds one; done as two steps, ten concurrent
requests all read 4 and all pass a limit of 5. `count_in_window` makes the step one:

- on Redis, `add` and `incr` are single atomic commands (INCR never loses a count);
- on the file cache (one machine, several processes) Django's `incr` is a read then a write,
  so the count is taken under an exclusive file lock (`fcntl.flock`) shared by every process
  that uses the same cache folder;
- the memory cache (tests, one process) locks `incr` itself.
"""

from __future__ import annotations

import fcntl
import hashlib
import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.filebased import FileBasedCache

# Locks are shared by keys that hash alike: a fixed number of lock files, never one per key.
LOCK_STRIPES = 64


def count_in_window(key: str, *, period: int, alias: str = "default") -> int:
    """Add one to the counter under `key` and return the new count.

    The counter starts at the first count and is forgotten `period` seconds later (a fixed
    window): a caller refuses when the count passes its limit. Exact under concurrency.
    """
    backend = caches[alias]
    if isinstance(backend, FileBasedCache):
        with file_lock(Path(settings.CACHES[alias]["LOCATION"]), key):
            return _count_locked(backend, key, period)
    for _attempt in range(3):
        # add() sets 0 only if nothing is there: of many processes, one starts the window.
        backend.add(key, 0, timeout=period)
        try:
            return int(backend.incr(key))
        except ValueError:
            continue  # the window ended between add() and incr(): start the next one
    raise RuntimeError(f"The cache did not keep the counter {key!r}.")


def _count_locked(backend: BaseCache, key: str, period: int) -> int:
    # Called under the lock. Django's FileBasedCache.incr() would write the count back with the
    # default timeout, stretching or cutting the window: the window's end is stored instead.
    now = time.time()
    value = backend.get(key)
    if isinstance(value, tuple) and len(value) == 2 and value[1] > now:
        count, ends = int(value[0]) + 1, float(value[1])
    else:
        count, ends = 1, now + period
    backend.set(key, (count, ends), timeout=max(1, math.ceil(ends - now)))
    return count


@contextmanager
def file_lock(folder: Path, key: str) -> Iterator[None]:
    """An exclusive lock for `key` among all processes using the cache in `folder`."""
    stripe = int(hashlib.blake2b(key.encode(), digest_size=4).hexdigest(), 16) % LOCK_STRIPES
    locks = folder / "locks"
    locks.mkdir(parents=True, exist_ok=True)
    with open(locks / f"{stripe:02d}.lock", "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
