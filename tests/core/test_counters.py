"""Counters in the shared cache stay exact when many threads count at once."""

from __future__ import annotations

import time

from dragoman.core.counters import count_in_window
from tests.concurrency import at_once

THREADS = 16


def test_concurrent_counts_are_each_counted_once(shared_cache):
    counts = at_once(THREADS, lambda _n: count_in_window("counter:test", period=60))

    assert sorted(counts) == list(range(1, THREADS + 1))  # type: ignore[type-var]


def test_a_window_starts_again_after_its_period(shared_cache):
    count_in_window("counter:window", period=1)
    count_in_window("counter:window", period=1)

    time.sleep(1.2)

    assert count_in_window("counter:window", period=1) == 1


def test_counters_under_different_keys_are_apart(shared_cache):
    count_in_window("counter:a", period=60)

    assert count_in_window("counter:b", period=60) == 1
