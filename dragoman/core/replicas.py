"""Read replicas: which reads may lag behind the primary, and the fence that keeps refreshed
pages from showing what a change replaced.

With DATABASE_REPLICA_URL set, settings add a `replica` database and `ReplicaRouter`.
Every read goes to the primary (`default`) unless the request is one whose reader can bear a
second's lag: an anonymous GET or HEAD of a public page, a feed or the search
(`ReplicaReadsMiddleware` marks it). So the admin, anyone signed in (a session cookie), every
form sent, the task workers, commands and the scheduler all read the primary, and an editor
always reads their own writes. Once a request writes, its later reads go to the primary too.

The page cache is refreshed by bumping tokens after a change commits; the next anonymous
reader renders the page again, and that render is stored until the next change. Rendered
from a replica that has not yet replayed the change, the stale page would be kept. So after
every announced change commits, `fence_raise` records the primary's WAL position in the
shared cache *before* the page cache's tokens are bumped (core.changes calls it first); a
render that may lag first checks the replica has replayed up to the fence and reads the
primary when it has not (or when the replica does not answer). A read the replica fails
mid-request (it cancels one that its replay conflicts with, or it stops) is answered again
from the primary: the reader sees no error.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, OperationalError, connections
from django.http import HttpRequest, HttpResponseBase

logger = logging.getLogger(__name__)

REPLICA_DB_ALIAS = "replica"
FENCE_KEY = "dragoman:replica:fence"
FENCE_LOCK_KEY = "dragoman:replica:fence-lock"
SAFE_METHODS = frozenset({"GET", "HEAD"})

# Routes (URL names, "app:name") whose anonymous GETs may read the replica. Publishing adds
# every cacheable route; search adds its pages. Wagtail's page view is always one.
_lagging_routes: set[str] = set()


def lagging_reads_allow(view_name: str) -> None:
    """Let anonymous GETs of this route read a replica that may be a moment behind. For
    pages every reader shares; never for a page that reads what its reader just wrote (a
    confirmation link, an invitation), which must find it."""
    _lagging_routes.add(view_name)


def lagging_routes() -> frozenset[str]:
    return frozenset(_lagging_routes)


def replica_configured() -> bool:
    return bool(getattr(settings, "DATABASE_REPLICA_URL", ""))


@dataclass
class Reads:
    """Where this request's reads go: decided at its first read, primary once it writes."""

    may_lag: bool = False
    pinned: bool = False
    alias: str | None = None
    # The view called again, once, should the replica fail a read mid-request.
    again: Callable[[], HttpResponseBase] | None = None

    def read_alias(self) -> str:
        if self.pinned or not self.may_lag:
            return DEFAULT_DB_ALIAS
        if self.alias is None:
            current = replica_has_replayed_fence() and replica_answers()
            self.alias = REPLICA_DB_ALIAS if current else DEFAULT_DB_ALIAS
        return self.alias


# None outside a request (workers, commands, the scheduler, tests): the primary.
_reads: ContextVar[Reads | None] = ContextVar("dragoman_reads", default=None)


def current_reads() -> Reads | None:
    return _reads.get()


class ReplicaRouter:
    """Django's database router for a primary and one replica (settings.DATABASE_ROUTERS)."""

    def db_for_read(self, model: type, **hints: Any) -> str:
        reads = _reads.get()
        return DEFAULT_DB_ALIAS if reads is None else reads.read_alias()

    def db_for_write(self, model: type, **hints: Any) -> str:
        reads = _reads.get()
        if reads is not None:
            # Read your own writes: the replica has not seen this one yet.
            reads.pinned = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # one database and its copy

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        # The replica replays the primary's schema; it is read-only anyway.
        return db == DEFAULT_DB_ALIAS


def request_may_lag(request: HttpRequest, view_name: str, is_page_view: bool) -> bool:
    """Whether this request's reads may come from the replica."""
    if request.method not in SAFE_METHODS:
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META:
        return False  # a signed-in reader (an editor, a member) reads their own writes
    return is_page_view or view_name in _lagging_routes


class ReplicaReadsMiddleware:
    """Marks the requests whose reads may lag (see `request_may_lag`), once the URL is
    resolved; every other request, and anything after it in this thread, reads the primary."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        # Server threads answer request after request: each starts on the primary.
        token = _reads.set(Reads())
        try:
            return self.get_response(request)
        finally:
            _reads.reset(token)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> None:
        # Imported here, as publishing's middleware does: wagtail.views needs the app
        # registry, which is not ready when core.changes (and so this module) is first loaded.
        from wagtail.views import serve

        reads = _reads.get()
        match = getattr(request, "resolver_match", None)
        if reads is not None and match is not None:
            reads.may_lag = request_may_lag(request, match.view_name, view is serve)
            if reads.may_lag:
                reads.again = lambda: view(request, *args, **kwargs)

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponseBase | None:
        """A read the replica failed: a GET that wrote nothing, answered again from the primary.
        A replica cancels a query whose rows its replay must remove or lock ("conflict with
        recovery"), and a replica that stops breaks its connections; neither is the reader's
        business. Django calls this for an exception in the view or in its template's render,
        not in another middleware's process_view (the site's lookup, once a process)."""
        reads = _reads.get()
        if (
            reads is None
            or reads.again is None
            or reads.pinned
            or reads.alias != REPLICA_DB_ALIAS
            or not isinstance(exception, OperationalError)
        ):
            return None
        logger.warning("The replica failed a read; answering from the primary", exc_info=exception)
        again, reads.again = reads.again, None  # once: the primary's own errors are errors
        reads.alias = DEFAULT_DB_ALIAS
        if REPLICA_DB_ALIAS in connections.settings:
            connections[REPLICA_DB_ALIAS].close()
        response = again()
        render = getattr(response, "render", None)
        # The first try may have failed in its template's render, after which Django renders
        # nothing more: the answer goes out rendered.
        return render() if callable(render) else response


# Fence ----------------------------------------------------------------------------------------


def lsn_parse(text: str) -> int:
    """PostgreSQL's WAL position "16/B374D848" as a number."""
    high, _, low = text.partition("/")
    return (int(high, 16) << 32) | int(low, 16)


def lsn_format(position: int) -> str:
    return f"{position >> 32:X}/{position & 0xFFFFFFFF:X}"


def postgresql(alias: str) -> bool:
    return alias in connections.settings and connections[alias].vendor == "postgresql"


# The furthest position this process saw the replica replay: replay only moves forward, so
# a render after an older fence needs no question to the replica.
_replayed = 0


def replica_has_replayed_fence(alias: str = REPLICA_DB_ALIAS) -> bool:
    """Whether the replica holds every change announced so far (at most one query)."""
    global _replayed
    if not postgresql(alias):
        return True  # a copy we cannot ask (tests' mirror): trusted as current
    fence = cache.get(FENCE_KEY)
    wanted = lsn_parse(fence) if fence else 0
    if wanted <= _replayed:
        return True
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(
                "SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()"
                " ELSE pg_current_wal_lsn() END::text"
            )
            row = cursor.fetchone()
    except DatabaseError:
        # A replica down or restarting: the primary answers instead, the reader sees no error.
        logger.warning("The replica did not answer; reading the primary", exc_info=True)
        connections[alias].close()
        return False
    if row and row[0]:
        _replayed = max(_replayed, lsn_parse(row[0]))
    return wanted <= _replayed


def replica_answers(alias: str = REPLICA_DB_ALIAS) -> bool:
    """Whether the replica's connection works (Django's health check, which it would make at
    this request's first query anyway); a replica down costs readers nothing but its speed."""
    if alias not in connections.settings:
        return True
    connection = connections[alias]
    try:
        connection.close_if_health_check_failed()
        connection.ensure_connection()
    except DatabaseError:
        logger.warning("The replica did not answer; reading the primary", exc_info=True)
        connection.close()
        return False
    return True


def fence_raise() -> None:
    """Record the primary's WAL position after a commit, so that renders that may lag wait for
    the replica to reach it (read the primary until then). Call after the commit, before the
    page cache's tokens are bumped. A no-op without a PostgreSQL replica."""
    if not replica_configured() or not postgresql(DEFAULT_DB_ALIAS):
        return
    # Writers take turns (a short lock in the shared cache), so that a slower writer's older
    # position never overwrites a newer one: the fence only moves forward.
    deadline = time.monotonic() + 2
    while not cache.add(FENCE_LOCK_KEY, 1, timeout=5):
        if time.monotonic() > deadline:
            logger.warning("Raising the replica fence without its lock")
            break
        time.sleep(0.005)
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            position = lsn_parse(cursor.fetchone()[0])
        current = cache.get(FENCE_KEY)
        if not current or lsn_parse(current) < position:
            cache.set(FENCE_KEY, lsn_format(position), timeout=None)
    finally:
        cache.delete(FENCE_LOCK_KEY)
