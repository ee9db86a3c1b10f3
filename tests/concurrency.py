"""Run the same call from many threads at once, for the tests of races.

Each thread gets its own database connection (Django opens one per thread) and closes it at
the end; the threads wait at a barrier so that their requests really overlap.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import connections

T = TypeVar("T")


def at_once(count: int, call: Callable[[int], T]) -> list[T | BaseException]:
    """call(0) ... call(count - 1) in `count` threads started together; results in order,
    or the exception a call raised."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(number: int) -> None:
        barrier.wait()
        try:
            results[number] = call(number)
        except BaseException as error:  # reported to the test, not swallowed
            results[number] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def retried_while_locked(call: Callable[[], T], attempts: int = 50) -> T:
    """``call()``, made again while SQLite's shared in-memory test database says a table is
    locked: there a reader in another thread (a live hub's poll) locks the whole table for a
    moment, where the file database Dragoman runs on (WAL) lets a writer write beside
    readers. The call must be one transaction, so that a refused attempt left nothing."""
    import time

    from django.db import OperationalError

    for _ in range(attempts - 1):
        try:
            return call()
        except OperationalError as error:
            if "locked" not in str(error):
                raise
            time.sleep(0.05)
    return call()
