"""Counting served pages in memory, per process, and writing the counts in batches.

The page cache calls ``page_served`` for every public page it serves (``publishing.served``),
hit or render. That call only notes the request in a list: what the figures need (the time,
the path, the dependencies, user agent, referrer, address, purpose) is classified and written
later, by ``flush``, once ``DRAGOMAN_COUNTING_BATCH`` requests are waiting or
``DRAGOMAN_COUNTING_INTERVAL`` seconds have passed, and when the process exits. A hit thus
costs a tuple and an append; a thousand hits cost one transaction.

What a flush keeps is counts (``Figure``) and, for the day only, the salted hashes that make
the daily readers (``ReaderMark``). Addresses and user agents never leave this process's
memory, and only until the next flush.
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import multiprocessing.util
import os
import queue
import threading
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from typing import Any

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

from . import classify, services

logger = logging.getLogger(__name__)

# (unix time, method, path, shows, user agent, referrer, host, address, purpose)
Noted = tuple[float, str, str, Any, str, str, str, str, str]

_pending: list[Noted] = []
_extra: list[tuple[float, str, tuple[Any, ...]]] = []  # shares and searches
_lock = threading.Lock()


class Limits:
    """Read from the settings once per flush, not once a request (a settings read costs more
    than noting the request does)."""

    batch = 1000
    interval = 10.0
    next_flush = time.monotonic() + 10.0
    address = "REMOTE_ADDR"

    @classmethod
    def read(cls) -> None:
        cls.batch = int(settings.DRAGOMAN_COUNTING_BATCH)
        cls.interval = float(settings.DRAGOMAN_COUNTING_INTERVAL)
        cls.next_flush = time.monotonic() + cls.interval
        cls.address = str(getattr(settings, "DRAGOMAN_CLIENT_IP_HEADER", "") or "REMOTE_ADDR")


def page_served(environ: Mapping[str, Any], path: str, status: int, shows: Iterable[str]) -> None:
    """Note one served page (the watcher registered with ``publishing.served``)."""
    get = environ.get
    _pending.append(
        (
            time.time(),
            get("REQUEST_METHOD", ""),
            path,
            shows,
            get("HTTP_USER_AGENT", ""),
            get("HTTP_REFERER", ""),
            get("HTTP_HOST", ""),
            get(Limits.address, ""),
            get("HTTP_SEC_PURPOSE") or get("HTTP_PURPOSE") or get("HTTP_X_MOZ") or "",
        )
    )
    if len(_pending) >= Limits.batch or time.monotonic() >= Limits.next_flush:
        flush(wait=False)


def flush_when_due() -> None:
    if len(_pending) + len(_extra) >= Limits.batch or time.monotonic() >= Limits.next_flush:
        flush(wait=False)


def share_clicked(*, entry_id: int, network: str, user_agent: str, method: str) -> None:
    _extra.append((time.time(), "share", (entry_id, network, user_agent, method)))
    flush_when_due()


def searched(words: str, total: int) -> None:
    """Note a search's words and whether they found anything (a watcher of ``search``)."""
    _extra.append((time.time(), "search", (words, total)))
    flush_when_due()


class Days:
    """The local day of a moment, worked out once per day rather than once a request."""

    def __init__(self) -> None:
        self.start, self.end, self.day = 0.0, -1.0, date.min

    def of(self, moment: float) -> date:
        if not self.start <= moment < self.end:
            local = timezone.localtime(datetime.fromtimestamp(moment, UTC))
            midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
            self.day = midnight.date()
            self.start = midnight.timestamp()
            # The next midnight, whatever the length of this day (a change of clock).
            following = timezone.make_aware(
                datetime.combine(self.day + timedelta(days=1), dtime.min)
            )
            self.end = following.timestamp()
        return self.day


def interface_language(path: str, codes: frozenset[str]) -> str:
    first = path.lstrip("/").split("/", 1)[0]
    return first if first in codes else settings.LANGUAGE_CODE


def query_words(words: str) -> str:
    """The words only, folded: punctuation and spacing do not make another query."""
    return " ".join(words.lower().split())[:200]


def flush(*, wait: bool = True) -> None:
    """Hand what this process noted since the last flush to be classified and written in one
    batch: at once (``wait``: tests, the process's exit), or by this process's writer thread,
    so that a reader's request never waits for the database (``page_served``)."""
    global _pending, _extra
    with _lock:
        pending, _pending = _pending, []
        extra, _extra = _extra, []
        Limits.read()
    if not pending and not extra:
        return
    if wait:
        if not write(pending, extra):
            logger.error("Counting lost a batch of %s requests.", len(pending) + len(extra))
    else:
        Writer.hand(pending, extra)


def write(pending: list[Noted], extra: list[tuple[float, str, tuple[Any, ...]]]) -> bool:
    """Classify and write one batch; False if the database refused it (the caller keeps it)."""
    try:
        batch = tally(pending, extra)
        services.figures_record(batch=batch)
    except Exception:
        logger.warning(
            "Counting could not write a batch of %s requests; it is kept and tried again.",
            len(pending) + len(extra),
            exc_info=True,
        )
        return False
    return True


Batch = tuple[list[Noted], list[Any]]


class Writer:
    """One thread per process that writes the batches handed to it, in order.

    A batch the database refuses (away for a moment, locked) is kept and tried again, after
    ``RETRY_SECONDS`` (the last delay repeats), while later batches wait behind it; beyond
    ``MAX_WAITING`` waiting batches, new ones are dropped rather than hoarded (bounded memory:
    the database away for long). ``stop`` writes what waits and ends the thread (the
    process's exit, ``at_exit``)."""

    MAX_WAITING = 20
    RETRY_SECONDS: tuple[float, ...] = (0.5, 1.0, 2.0, 5.0, 10.0)
    # At the exit, a batch still refused after this many more tries is given up (logged).
    TRIES_WHEN_STOPPING = 3
    batches: queue.SimpleQueue[Batch | None] = queue.SimpleQueue()
    thread: threading.Thread | None = None
    stopping = threading.Event()
    pid = 0

    @classmethod
    def running(cls) -> bool:
        return cls.thread is not None and cls.pid == os.getpid() and cls.thread.is_alive()

    @classmethod
    def hand(cls, pending: list[Noted], extra: list[Any]) -> None:
        if not cls.running():
            with _lock:
                if not cls.running():
                    if cls.pid != os.getpid():
                        # A worker forked from a process that had a writer: what the
                        # parent's queue held is the parent's to write.
                        cls.batches = queue.SimpleQueue()
                    cls.pid = os.getpid()
                    cls.stopping = threading.Event()
                    cls.thread = threading.Thread(
                        target=cls.run, name="evaluation-writer", daemon=True
                    )
                    cls.thread.start()
        if cls.batches.qsize() >= cls.MAX_WAITING:
            logger.error(
                "Counting dropped a batch of %s requests: the writer is behind.", len(pending)
            )
            return
        cls.batches.put((pending, extra))

    @classmethod
    def run(cls) -> None:
        while True:
            batch = cls.batches.get()
            if batch is None:
                return  # ``stop``: everything handed before it is written
            cls.write_until_done(*batch)
            close_old_connections()

    @classmethod
    def write_until_done(cls, pending: list[Noted], extra: list[Any]) -> None:
        tries = 0
        while not write(pending, extra):
            close_old_connections()  # a broken connection is not reused for the next try
            tries += 1
            if cls.stopping.is_set():
                if tries >= cls.TRIES_WHEN_STOPPING:
                    logger.error(
                        "Counting lost a batch of %s requests: the database refused it "
                        "until the process stopped.",
                        len(pending) + len(extra),
                    )
                    return
                continue
            delay = cls.RETRY_SECONDS[min(tries, len(cls.RETRY_SECONDS)) - 1]
            cls.stopping.wait(delay)

    @classmethod
    def stop(cls, timeout: float = 10.0) -> bool:
        """Write every batch handed so far and end the thread; True once it has ended.
        Without a thread of this process's own, writes what waits here."""
        if not cls.running():
            cls.drain()
            return True
        assert cls.thread is not None
        cls.stopping.set()
        cls.batches.put(None)
        cls.thread.join(timeout)
        return not cls.thread.is_alive()

    @classmethod
    def drain(cls) -> None:
        """Write what waits, in this thread."""
        cls.stopping.set()
        if cls.pid and cls.pid != os.getpid():
            # Forked from a process that had a writer: what waits is the parent's to write.
            cls.batches = queue.SimpleQueue()
            return
        while not cls.batches.empty():
            batch = cls.batches.get()
            if batch is not None:
                cls.write_until_done(*batch)


def tally(pending: list[Noted], extra: list[tuple[float, str, tuple[Any, ...]]]) -> services.Batch:
    """Counts from noted requests. The same reader asking for the same page the same day is
    classified and hashed once, however many times they asked."""
    days = Days()
    alike: Counter[tuple[date, str, str, str, str, str, str, str]] = Counter()
    shown: dict[str, list[str]] = {}
    for moment, method, path, shows, user_agent, referrer, host, address, purpose in pending:
        alike[(days.of(moment), method, path, user_agent, referrer, host, address, purpose)] += 1
        if path not in shown:
            shown[path] = list(shows)
    batch = services.Batch()
    places = services.Places()
    salts: dict[date, str | None] = {}
    codes = frozenset(code for code, _name in settings.LANGUAGES)
    for (day, method, path, user_agent, referrer, host, address, purpose), times in alike.items():
        entry_id, blog_id, mission_id, language = places.of(shown[path])
        session_id, session_blog, session_mission = places.session_of(shown[path])
        if session_id:
            blog_id, mission_id = session_blog, session_mission
        key = (entry_id, blog_id, mission_id)
        agent = classify.agent(user_agent)
        if method == "HEAD":
            batch.add(day, "excluded", key, "reason", "head", times)
            continue
        if "/feed/" in path:
            # Feed readers are robots by nature: every fetch counts, with what they report.
            reader = agent.feed_reader or ("robot" if agent.robot else "browser")
            batch.add(day, "feed", key, "", "", times)
            batch.add(day, "feed", key, "reader", reader, times)
            if agent.subscribers is not None:
                batch.subscribers(day, key, agent.feed_reader, agent.subscribers)
            continue
        if agent.robot:
            batch.add(day, "excluded", key, "reason", "robot", times)
            continue
        if purpose and classify.is_prefetch(purpose):
            batch.add(day, "excluded", key, "reason", "prefetch", times)
            continue
        batch.add(day, "view", key, "", "", times)
        batch.add(day, "view", key, "language", language or interface_language(path, codes), times)
        batch.add(day, "view", key, "device", agent.device, times)
        batch.add(day, "view", key, "referrer", classify.referrer_domain(referrer, host), times)
        if session_id:
            batch.add(day, "view", key, "session", str(session_id), times)
        if day not in salts:
            salts[day] = services.salt_of(day)
        salt = salts[day]
        if salt is None:
            continue  # a day already closed: its readers were counted and its salt destroyed
        digest = hashlib.blake2b(
            f"{address}\x00{user_agent}".encode(errors="replace"),
            key=salt.encode()[:64],
            digest_size=16,
        ).hexdigest()
        for scope in services.reader_scopes(entry_id, blog_id, mission_id, session_id):
            batch.marks.add((day, scope, digest))
    for moment, kind, values in extra:
        day = days.of(moment)
        if kind == "share":
            entry_id, network, user_agent, method = values
            entry_id, blog_id, mission_id, _language = places.of([f"entry:{entry_id}"])
            key = (entry_id, blog_id, mission_id)
            if method == "HEAD":
                batch.add(day, "excluded", key, "reason", "head")
            elif classify.agent(user_agent).robot:
                batch.add(day, "excluded", key, "reason", "robot")
            else:
                batch.add(day, "share", key, "", "")
                batch.add(day, "share", key, "network", network)
        elif kind == "search":
            words, total = values
            folded = query_words(words)
            if folded:
                batch.add(day, "search", (0, 0, 0), "query", folded)
                if not total:
                    batch.add(day, "search_empty", (0, 0, 0), "query", folded)
    return batch


def forget() -> None:
    """Drop what this process noted and remembered (tests, and a changed configuration)."""
    global _pending, _extra
    with _lock:
        _pending, _extra = [], []
    Limits.read()
    classify._agents.clear()
    classify._extra.clear()
    services.Places.forget()


def at_exit() -> None:
    """What this process noted, written before it ends: at the interpreter's exit, and when
    a granian worker stops on SIGTERM or SIGINT (it finishes its requests, then its process
    ends, ``tests/evaluation/test_shutdown.py``). A SIGKILL, or granian's kill after
    ``--workers-kill-timeout``, loses what was noted since the last flush: at most
    ``DRAGOMAN_COUNTING_BATCH`` requests or ``DRAGOMAN_COUNTING_INTERVAL`` seconds of them,
    plus the batches the writer had not written yet (docs/privacy.md)."""
    flush(wait=False)
    if not Writer.stop(timeout=STOP_SECONDS):
        logger.error("Counting's writer did not finish before the process's exit.")


# Within granian's --workers-kill-timeout (30 s, ``dragoman serve``), so the worker ends by
# itself rather than being killed with the batch half written.
STOP_SECONDS = 20.0

atexit.register(at_exit)
# granian's workers are forked multiprocessing processes: they end with os._exit, which runs
# no atexit handler, but multiprocessing's own exit finalizers do run (``Finalize`` with an
# exit priority). Registered in the process that loads the application, i.e. each worker.
multiprocessing.util.Finalize(None, at_exit, exitpriority=10)
