"""Live events of question sessions: the streams readers' pages hold open (server-sent events).

The pages themselves are served by the WSGI server as ever (and from the page cache); only the
streams, under ``/live/``, are served by this small ASGI application, which `dragoman serve`
runs in a granian process of its own. One asyncio loop holds thousands of idle streams: a
stream is a coroutine waiting on a queue, with no thread of its own.

How an event reaches every open stream, in every process:

1. A service (``services.py``) writes a ``LiveEvent`` row in the transaction that makes the
   change, so an event exists exactly when its change is committed.
2. After the commit, ``announcement_publish`` publishes the new rows on Redis (pub/sub) when
   the cache is Redis; each live process's ``Hub`` is subscribed and hands them to its
   streams at once.
3. Without Redis (one machine), each process's ``Hub`` reads the new rows from the table a
   few times a second.

A stream that drops reconnects with ``Last-Event-ID`` (browsers do it by themselves); the rows
after that id are sent first, so no answer is lost. The page names the last event it showed,
so a stream opened from a page held in a cache starts from that page's state.

The live process runs this module without Django's setup (``asgi.py``): no app, model or
template is loaded there (setting them up took 115 of its 148 MB). It needs the settings,
Django's database connection for its few plain reads of the event table, and the words it
adds from the project's own catalogues (``gettext``). Whether the public may see a session
page is asked of the page server (``/questions/<page>/live.json``), where the one rule of
what a reader may see is, on the QuerySet: this process never states it.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import gettext
import inspect
import json
import logging
import re
import time
import urllib.error
import urllib.request
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

logger = logging.getLogger(__name__)

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

STREAM_PATH = re.compile(r"^/live/questions/(\d{1,18})/events/?$")
# A comment line this often keeps proxies and browsers from closing an idle stream.
HEARTBEAT_SECONDS = 15.0
# How often, without Redis, each process reads the event table: an answer waits half of it on
# average before its fan-out starts (one indexed read, in the hub's own thread).
POLL_SECONDS = 0.1
# Events are read again this far back: a transaction that took an id earlier but committed
# later than a newer one (PostgreSQL) is still seen.
LOOK_BACK = timedelta(seconds=10)
REPLAY_LIMIT = 1000
RETRY_MILLISECONDS = 2000
# Events a live process holds per session, encoded: streams resuming within them need no read.
LOG_LIMIT = 500
# Sessions whose events a live process holds at most (those without streams go first).
MAX_LOGS = 200
# How long a session's being public is remembered by a live process.
PUBLIC_SECONDS = 2.0


# Settings ----------------------------------------------------------------------------------
def redis_url() -> str:
    """The Redis the events cross, when the cache is Redis (or DRAGOMAN_LIVE_REDIS_URL says)."""
    explicit = getattr(settings, "DRAGOMAN_LIVE_REDIS_URL", "")
    if explicit:
        return str(explicit)
    cache = settings.CACHES.get("default", {})
    location = cache.get("LOCATION", "")
    if "redis" in str(cache.get("BACKEND", "")).lower():
        if isinstance(location, list | tuple):
            location = location[0]
        return str(location)
    return ""


def channel_name() -> str:
    """The pub/sub channel. Channels are shared by all of a Redis's databases, so the name
    carries the cache's key prefix and database, as keys would."""
    prefix = settings.CACHES.get("default", {}).get("KEY_PREFIX", "")
    url = redis_url()
    database = url.rsplit("/", 1)[-1] if url.count("/") >= 3 else "0"
    return f"dragoman:{prefix}:{database}:questions:live"


def stream_capacity() -> int:
    """Streams one process holds at most; more are asked to come back later (429)."""
    return int(getattr(settings, "DRAGOMAN_LIVE_MAX_STREAMS", 20000))


def pages_url() -> str:
    """Where the page server answers (``serve`` says, for the live process it starts)."""
    url = str(getattr(settings, "DRAGOMAN_LIVE_PAGES_URL", "") or "http://127.0.0.1:8000")
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"DRAGOMAN_LIVE_PAGES_URL is not an HTTP address: {url!r}")
    return url.rstrip("/")


# Events as the streams send them -----------------------------------------------------------
# ``LiveEvent``'s table and columns, read in plain SQL: the live process loads no model
# (tests/questions/test_live.py checks these names against the model).
EVENT_TABLE = "questions_liveevent"
EVENT_COLUMNS = ("id", "session_id", "kind", "data", "created_at")


@contextlib.contextmanager
def _reading() -> Iterator[Any]:
    """A cursor for the streams' polling reads, which must never stand in a writer's way.

    On a SQLite database shared in memory (the tests' live servers) a reader holds a lock on
    the table it reads, and a writer meeting it fails at once ("database table is locked"):
    the hub polls every 0.1 s, so an answer's write could fail. Read-uncommitted lifts those
    read locks; it changes nothing on a database file (WAL) or on PostgreSQL.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA read_uncommitted = 1")
        yield cursor


def _events(where: str, params: Sequence[Any], limit: int = REPLAY_LIMIT) -> list[dict[str, Any]]:
    """Events as the streams send them, oldest first, through Django's connection (its
    placeholders, quoting and adapters for SQLite and PostgreSQL alike)."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for column in EVENT_COLUMNS[:4])
    with _reading() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {quote(EVENT_TABLE)} WHERE {where} "  # noqa: S608 - fixed names
            f"ORDER BY {quote('id')} LIMIT %s",
            [*params, limit],
        )
        rows = cursor.fetchall()
    return [
        # The JSON column comes back as text (SQLite, and Django's jsonb loader on PostgreSQL).
        {
            "id": pk,
            "session": session,
            "kind": kind,
            "data": json.loads(data) if isinstance(data, str) else data,
        }
        for pk, session, kind, data in rows
    ]


def events_after(
    *, session_id: int | None, after: int, limit: int = REPLAY_LIMIT
) -> list[dict[str, Any]]:
    """The events after ``after`` (of one session, or all), oldest first."""
    quote = connection.ops.quote_name
    if session_id is None:
        return _events(f"{quote('id')} > %s", [after], limit)
    return _events(f"{quote('session_id')} = %s AND {quote('id')} > %s", [session_id, after], limit)


def events_by_id(ids: Sequence[int]) -> list[dict[str, Any]]:
    """These events (just committed), oldest first."""
    marks = ", ".join(["%s"] * len(ids))
    return _events(f"{connection.ops.quote_name('id')} IN ({marks})", list(ids), len(ids))


def recent_events(*, after: int) -> list[dict[str, Any]]:
    """Events newer than ``after``, or written in the last moments (see LOOK_BACK)."""
    quote = connection.ops.quote_name
    since = connection.ops.adapt_datetimefield_value(timezone.now() - LOOK_BACK)
    return _events(f"{quote('id')} > %s OR {quote('created_at')} >= %s", [after, since])


def last_event_id() -> int:
    quote = connection.ops.quote_name
    with _reading() as cursor:
        cursor.execute(f"SELECT MAX({quote('id')}) FROM {quote(EVENT_TABLE)}")  # noqa: S608
        row = cursor.fetchone()
    return int(row[0] or 0) if row else 0


RETRY_LINE = f"retry: {RETRY_MILLISECONDS}\n\n".encode()
HEARTBEAT_LINE = b": -\n\n"


def sse_message(event: dict[str, Any], version: Version | None = None) -> bytes:
    """The bytes a stream sends for an event, as one language version of the session shows it."""
    shown = version.shown(event["data"]) if version is not None else event["data"]
    data = json.dumps({"kind": event["kind"], **shown}, ensure_ascii=False)
    # JSON has no raw line breaks, so the data is one "data:" line.
    return f"id: {event['id']}\nevent: {event['kind']}\ndata: {data}\n\n".encode()


def interface_language(code: str) -> str:
    """A language of the interface, or "" (no words added: the page's own templates say them)."""
    return code if code in {known for known, _name in settings.LANGUAGES} else ""


@dataclasses.dataclass
class Version:
    """One language version of a session as its open pages show the events: the page (the
    session or a translation of it), the interface language the page was shown in, and the
    translation's wording of the questions (question id: body, answer).

    Events are written once, in the original's words and without interface words; each
    version's streams receive them with the translated wording and with the words the page
    script writes (the vote count, the status line) in the page's language, plural forms
    included, so that what arrives reads as a reload would show it."""

    page_id: int
    session_id: int
    language: str = ""
    translated: Mapping[int, tuple[str, str]] = dataclasses.field(default_factory=dict)

    @property
    def key(self) -> tuple[int, str]:
        return (self.page_id, self.language)

    def shown(self, data: dict[str, Any]) -> dict[str, Any]:
        shown = dict(data)
        question = data.get("question")
        if isinstance(question, dict):
            question = dict(question)
            wording = self.translated.get(question.get("id"))  # type: ignore[arg-type]
            if wording is not None:
                # An answer not translated yet shows in the official's words (as the page does).
                question["body"] = wording[0]
                question["answer"] = wording[1] or question.get("answer", "")
            shown["question"] = question
        answering = data.get("answering")
        if isinstance(answering, dict) and answering.get("id") in self.translated:
            shown["answering"] = {**answering, "body": self.translated[answering["id"]][0]}
        if self.language:
            words = catalogue(self.language)
            if isinstance(question, dict) and isinstance(question.get("votes"), int):
                question["votes_label"] = words.ngettext(
                    "%(counter)s vote", "%(counter)s votes", question["votes"]
                ) % {"counter": question["votes"]}
            if isinstance(data.get("waiting"), int):
                shown["waiting_label"] = words.ngettext(
                    "%(counter)s question waits for its answer.",
                    "%(counter)s questions wait for their answers.",
                    data["waiting"],
                ) % {"counter": data["waiting"]}
        return shown


_CATALOGUES: dict[str, gettext.NullTranslations] = {}


def catalogue(language: str) -> gettext.NullTranslations:
    """The project's own catalogues (``LOCALE_PATHS``, where the words above are translated)
    for one language, read with Python's ``gettext``: Django's translation needs its apps set
    up, which the live process does without (tests/questions/test_live.py checks that the
    words are Django's)."""
    found = _CATALOGUES.get(language)
    if found is None:
        found = gettext.NullTranslations()
        for directory in reversed(list(settings.LOCALE_PATHS)):
            read = gettext.translation(
                "django", localedir=str(directory), languages=[language], fallback=True
            )
            # The first of LOCALE_PATHS wins, as in Django.
            read.add_fallback(found)
            found = read
        _CATALOGUES[language] = found
    return found


# Publishing (in the process that made the change, after its commit) -----------------------
_redis_client: Any = None


def _client() -> Any:
    global _redis_client
    if _redis_client is None:
        import redis

        _redis_client = redis.Redis.from_url(redis_url())
    return _redis_client


def publish(event_ids: Iterable[int]) -> None:
    """Tell every live process about these committed events (no-op without Redis: the
    processes read the table)."""
    ids = list(event_ids)
    if not ids or not redis_url():
        return
    events = events_by_id(ids)
    if events:
        _client().publish(channel_name(), json.dumps(events, ensure_ascii=False))


def announcement_publish(announcement: Any) -> None:
    """Listener of ``SessionChanged`` (after commit)."""
    publish(getattr(announcement, "event_ids", ()))


# The hub: one per process, fans events out to that process's streams ----------------------
class SessionLog:
    """One session's recent events in this process, as received, and the logs of the language
    versions whose streams are open here.

    Every event of the session with an id above ``complete_after`` is in ``events`` (oldest
    first) and in each version's log, so a stream that starts or resumes after that id reads
    its backlog here, not from the database."""

    __slots__ = ("complete_after", "events", "versions")

    def __init__(self, complete_after: int) -> None:
        self.events: deque[tuple[int, dict[str, Any]]] = deque()
        self.complete_after = complete_after
        self.versions: dict[tuple[int, str], VersionLog] = {}

    @property
    def streams(self) -> int:
        return sum(log.streams for log in self.versions.values())

    def append(self, event_id: int, event: dict[str, Any]) -> None:
        self.events.append((event_id, event))
        for log in self.versions.values():
            log.events.append((event_id, sse_message(event, log.version)))
        while len(self.events) > LOG_LIMIT:
            forgotten, _event = self.events.popleft()
            for log in self.versions.values():
                log.events.popleft()
            self.complete_after = forgotten

    def version(self, version: Version) -> VersionLog:
        """The log of this version's streams (made from the events held when it has none)."""
        log = self.versions.get(version.key)
        if log is None:
            log = self.versions[version.key] = VersionLog(self, version)
            log.events.extend((i, sse_message(event, version)) for i, event in self.events)
        else:
            # The translation as published now, for the events to come.
            log.version = version
        return log

    def wake(self) -> None:
        for log in self.versions.values():
            log.wake()


class VersionLog:
    """A session's recent events as one language version shows them, each encoded once for
    all that version's streams. Streams wait on ``changed``, one event object for all of
    them, which the hub replaces and sets when something arrives (or a heartbeat is due)."""

    __slots__ = ("changed", "events", "readers", "session", "streams", "version")

    def __init__(self, session: SessionLog, version: Version) -> None:
        self.session = session
        self.version = version
        self.events: deque[tuple[int, bytes]] = deque()
        self.changed = asyncio.Event()
        self.streams = 0
        # The streams being written to: the hub hands each event to them itself.
        self.readers: set[StreamWriter] = set()

    @property
    def complete_after(self) -> int:
        return self.session.complete_after

    def after(self, event_id: int) -> list[tuple[int, bytes]] | None:
        """The events after this id, or None when some of them are no longer held."""
        if event_id < self.session.complete_after:
            return None
        newer: list[tuple[int, bytes]] = []
        for held in reversed(self.events):
            if held[0] <= event_id:
                break
            newer.append(held)
        newer.reverse()
        return newer

    def wake(self) -> None:
        for reader in list(self.readers):
            reader.catch_up(self)
        changed, self.changed = self.changed, asyncio.Event()
        changed.set()

    def heartbeat(self) -> None:
        for reader in list(self.readers):
            reader.write(HEARTBEAT_LINE)


class StreamWriter:
    """One open stream, written to by the hub directly: the server's ``send`` of granian hands
    the bytes to its own thread and is done when it returns, so an event reaches thousands of
    streams in one loop over them, without waking a coroutine per stream. A ``send`` that is
    not done at once (another server's coroutine) is awaited in a task of the stream's own,
    and what comes meanwhile follows it in order."""

    __slots__ = ("closed", "pending", "send", "sent", "writing")

    def __init__(self, send: Send, sent: int, closed: asyncio.Future[None]) -> None:
        self.send = send
        self.sent = sent
        self.closed = closed
        # Made only when a send is not done at once (a deque is half a kilobyte per stream).
        self.pending: deque[bytes] | None = None
        self.writing: asyncio.Task[None] | None = None

    def catch_up(self, log: VersionLog) -> None:
        """Send what the log holds after what this stream sent; a stream that fell behind what
        the log holds ends (the browser reconnects with Last-Event-ID)."""
        newer = log.after(self.sent)
        if newer is None:
            self.close()
        elif newer:
            self.sent = newer[-1][0]
            # One event (the usual case): its bytes as encoded, shared, not copied.
            self.write(newer[0][1] if len(newer) == 1 else b"".join(m for _i, m in newer))

    def write(self, body: bytes) -> None:
        if self.closed.done():
            return
        if self.writing is not None:
            if self.pending is None:
                self.pending = deque()
            self.pending.append(body)
            return
        try:
            left = _send_now(self.send, body)
        except Exception:  # the reader went away
            self.close()
            return
        if left is not None:
            self.writing = asyncio.ensure_future(self.finish(left))

    async def finish(self, left: Awaitable[Any]) -> None:
        try:
            await left
            while self.pending:
                await self.send(_body(self.pending.popleft()))
            self.pending = None
        except Exception:  # the reader went away
            self.close()
        finally:
            self.writing = None

    def close(self) -> None:
        if not self.closed.done():
            self.closed.set_result(None)
        if self.writing is not None:
            self.writing.cancel()


def _body(body: bytes) -> dict[str, Any]:
    return {"type": "http.response.body", "body": body, "more_body": True}


def _send_now(send: Send, body: bytes) -> Awaitable[Any] | None:
    """Call ``send``; None when it is done already (granian's is), else what is left to await."""
    result = send(_body(body))
    if inspect.iscoroutine(result):
        return result
    try:
        result.__await__().__next__()
    except StopIteration:
        return None
    return result


class Hub:
    """Receives every session's events once per process, encodes each once per language
    version followed here, and wakes the streams of its session; each stream then sends the
    bytes it has not sent yet. The hub
    never waits on a stream, and a stream holds no queue of its own."""

    def __init__(self, *, url: str | None = None, channel: str | None = None) -> None:
        self.url = redis_url() if url is None else url
        self.channel = channel or channel_name()
        self.logs: dict[int, SessionLog] = {}
        # Streams open (or being opened) in this process.
        self.count = 0
        # Ids already handed out (bounded): the look-back and Redis may both bring one.
        self.seen: OrderedDict[int, None] = OrderedDict()
        self.last_id = 0
        self.task: asyncio.Task[None] | None = None
        self.heartbeat_task: asyncio.Task[None] | None = None
        self.ready = asyncio.Event()
        # Whether ``last_id`` says where the table stood when the hub started.
        self.started = False
        # The hub's reads have a thread of their own: thousands of streams opening at once
        # queue theirs in the shared pool, and must not delay the events.
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="live-hub")

    # Streams ------------------------------------------------------------------------------
    def join(self, session_id: int, version: Version | None = None) -> VersionLog:
        """A stream of this version of the session (by default the session's own page, with
        no interface words) joins: the log it reads and waits on."""
        log = self.logs.get(session_id)
        if log is None:
            # From here on every event of the session reaches this log; what came before
            # (while the hub had no log for it) is read from the table.
            log = self.logs[session_id] = SessionLog(self.last_id if self.started else -1)
        shown = log.version(version or Version(page_id=session_id, session_id=session_id))
        shown.streams += 1
        return shown

    def leave(self, session_id: int, shown: VersionLog) -> None:
        shown.streams -= 1
        log = shown.session
        if shown.streams <= 0 and log.versions.get(shown.version.key) is shown:
            # A version nobody follows is not encoded any more (made again from the session's
            # events when a reader comes back).
            del log.versions[shown.version.key]
        if log.streams <= 0 and len(self.logs) > MAX_LOGS and self.logs.get(session_id) is log:
            del self.logs[session_id]

    def dispatch(self, events: Iterable[dict[str, Any]]) -> None:
        woken: set[int] = set()
        for event in events:
            event_id = int(event["id"])
            if event_id in self.seen:
                continue
            self.seen[event_id] = None
            while len(self.seen) > 10000:
                self.seen.popitem(last=False)
            self.last_id = max(self.last_id, event_id)
            session_id = int(event["session"])
            log = self.logs.get(session_id)
            if log is None:
                if len(self.logs) >= MAX_LOGS:
                    self.forget_idle_logs()
                # The events of a session arrive in the order of their ids (services lock
                # the session), so this log holds all of them from this one on.
                log = self.logs[session_id] = SessionLog(event_id - 1)
            log.append(event_id, event)
            woken.add(session_id)
        for session_id in woken:
            self.logs[session_id].wake()

    def forget_idle_logs(self) -> None:
        for session_id in [key for key, log in self.logs.items() if log.streams <= 0]:
            del self.logs[session_id]

    async def heartbeat(self) -> None:
        """Wake every stream now and then: one with nothing new sends a comment line."""
        while True:
            await asyncio.sleep(HEARTBEAT_SECONDS)
            for log in list(self.logs.values()):
                for shown in list(log.versions.values()):
                    shown.heartbeat()

    # Sources ------------------------------------------------------------------------------
    def start(self) -> None:
        if self.task is None:
            loop = asyncio.get_running_loop()
            self.task = loop.create_task(self.run())
            self.heartbeat_task = loop.create_task(self.heartbeat())

    async def stop(self) -> None:
        for task in (self.task, self.heartbeat_task):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self.task = self.heartbeat_task = None

    async def run(self) -> None:
        self.last_id = await database(last_event_id, executor=self.executor)
        # Sessions whose streams opened before the hub knew where the table stood.
        for log in self.logs.values():
            if log.complete_after < 0:
                log.complete_after = self.last_id
        self.started = True
        if self.url:
            await self.listen_redis()
        else:
            await self.poll()

    async def catch_up(self) -> None:
        self.dispatch(await database(recent_events, executor=self.executor, after=self.last_id))

    async def poll(self) -> None:
        self.ready.set()
        while True:
            try:
                await self.catch_up()
            except Exception:  # the database away for a moment: try again
                logger.warning("Could not read the live events; trying again.", exc_info=True)
            await asyncio.sleep(POLL_SECONDS)

    async def listen_redis(self) -> None:
        import redis.asyncio as aioredis

        while True:
            client = aioredis.from_url(self.url)
            try:
                async with client.pubsub() as pubsub:
                    await pubsub.subscribe(self.channel)
                    self.ready.set()
                    # Whatever was committed while we were not subscribed.
                    await self.catch_up()
                    while True:
                        message = await pubsub.get_message(
                            ignore_subscribe_messages=True, timeout=HEARTBEAT_SECONDS
                        )
                        if message is None:
                            continue
                        try:
                            self.dispatch(json.loads(message["data"]))
                        except (ValueError, KeyError, TypeError):
                            logger.warning("Ignored a malformed live event message.")
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("Lost the live events' Redis; reconnecting.", exc_info=True)
                await asyncio.sleep(1)
            finally:
                with contextlib.suppress(Exception):
                    await client.aclose()


async def database(
    function: Callable[..., Any], *, executor: Executor | None = None, **kwargs: Any
) -> Any:
    """Run a database read in a worker thread (Django's ORM is synchronous)."""

    def call() -> Any:
        close_old_connections()
        try:
            return function(**kwargs)
        finally:
            close_old_connections()

    if executor is not None:
        return await asyncio.get_running_loop().run_in_executor(executor, call)
    return await sync_to_async(call, thread_sensitive=False)()


# The ASGI application ------------------------------------------------------------------------
class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect (to HTTPS, to another host) is an answer this process cannot use: an error."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


# Straight to the page server: no proxy from the environment, no redirect followed.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())


def page_version(*, page_id: int, host: str = "") -> Version | None:
    """The session page's version (without its interface language), or None when the public
    may not see the page: asked of the page server (``views.session_live``), which holds the
    rule of what a reader may see. ``host`` is the one the reader came by (the page server
    checks it against the allowed hosts, as for the page itself)."""
    request = urllib.request.Request(  # noqa: S310 - pages_url() is http(s) only
        f"{pages_url()}/questions/{page_id}/live.json",
        headers={"Host": host} if host else {},
    )
    try:
        with _opener.open(request, timeout=5) as response:
            found = json.load(response)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return None
        raise
    return Version(
        page_id=page_id,
        session_id=int(found["session"]),
        translated={int(q): (str(body), str(answer)) for q, body, answer in found["translated"]},
    )


async def _respond(
    send: Send, status: int, message: str, headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"access-control-allow-origin", b"*"),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": message.encode()})


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return ""


def _language(scope: Scope) -> str:
    """The interface language the page was shown in (``?lang=``), when it is one."""
    query = parse_qs(bytes(scope.get("query_string", b"")).decode("latin-1"))
    return interface_language((query.get("lang") or [""])[0].strip())


def _after(scope: Scope) -> int:
    """Where a stream starts: the browser's Last-Event-ID on a reconnection, else the last
    event the page showed (``?after=``), else from now."""
    text = _header(scope, b"last-event-id").strip()
    if not text:
        query = parse_qs(bytes(scope.get("query_string", b"")).decode("latin-1"))
        text = (query.get("after") or [""])[0].strip()
    if text.isascii() and text.isdecimal() and len(text) <= 18:
        return int(text)
    return -1


class LiveApplication:
    """The ASGI application of ``/live/``: one event stream per open session page."""

    def __init__(self) -> None:
        self.hub: Hub | None = None
        # Whether a session is public, remembered a moment: a reconnection storm of thousands
        # of readers asks the database once per session, not once per reader.
        self.public: dict[int, tuple[Version | None, float]] = {}
        self.public_pending: dict[int, asyncio.Future[Any]] = {}
        self.backlog_pending: dict[tuple[tuple[int, str], int], asyncio.Future[Any]] = {}

    def get_hub(self) -> Hub:
        if self.hub is None:
            self.hub = Hub()
        self.hub.start()
        return self.hub

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        match = STREAM_PATH.match(scope.get("path", ""))
        if match is None:
            await _respond(send, 404, "No such stream.")
            return
        if scope.get("method") not in ("GET", "HEAD"):
            await _respond(send, 405, "Streams are read with GET.", [(b"allow", b"GET")])
            return
        await self.stream(int(match.group(1)), scope, receive, send)

    async def lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self.hub is not None:
                    await self.hub.stop()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def version(self, page_id: int, host: str = "") -> Version | None:
        known = self.public.get(page_id)
        now = time.monotonic()
        if known is not None and known[1] > now:
            return known[0]
        # Readers arriving together share one look-up.
        pending = self.public_pending.get(page_id)
        if pending is None:
            pending = asyncio.ensure_future(
                sync_to_async(page_version, thread_sensitive=False)(page_id=page_id, host=host)
            )
            self.public_pending[page_id] = pending
            try:
                version: Version | None = await pending
            finally:
                del self.public_pending[page_id]
            if len(self.public) > 10000:
                self.public.clear()
            self.public[page_id] = (version, time.monotonic() + PUBLIC_SECONDS)
            return version
        return await asyncio.shield(pending)  # type: ignore[no-any-return]

    async def stream(self, page_id: int, scope: Scope, receive: Receive, send: Send) -> None:
        hub = self.get_hub()
        if hub.count >= stream_capacity():
            await _respond(
                send,
                429,
                "Too many readers are following sessions right now; the page reconnects by itself.",
                [(b"retry-after", b"5")],
            )
            return
        # Counted before the first wait, so that streams opened together cannot all pass.
        hub.count += 1
        try:
            await self.checked_stream(hub, page_id, scope, receive, send)
        finally:
            hub.count -= 1

    async def checked_stream(
        self, hub: Hub, page_id: int, scope: Scope, receive: Receive, send: Send
    ) -> None:
        try:
            found = await self.version(page_id, _header(scope, b"host"))
        except Exception:
            logger.warning("Could not check session %s.", page_id, exc_info=True)
            await _respond(send, 429, "Please try again in a moment.", [(b"retry-after", b"2")])
            return
        if found is None:
            await _respond(send, 404, "No such session.")
            return
        version = dataclasses.replace(found, language=_language(scope))
        session_id = version.session_id
        # Joined before reading any backlog, so nothing dispatched in between is missed; what
        # both bring is sent once (ids only grow within a session).
        log = hub.join(session_id, version)
        try:
            if not hub.ready.is_set():
                # Streams opened while the hub starts: "from now" is where the table stands once
                # the hub knows it (before, such a stream took 0 for it, found itself behind
                # its log at the first event and was ended: 250 of 5,000 in bench-live).
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(asyncio.shield(hub.ready.wait()), 10)
            after = _after(scope)
            backlog: list[tuple[int, bytes]] = []
            # The last id this stream has nothing more to send up to.
            sent = hub.last_id if after < 0 else after
            if after >= 0:
                held = log.after(after) if hub.ready.is_set() else None
                if held is None:
                    # Older than what this process holds: read from the table (readers
                    # resuming from the same event share one read). The read comes after
                    # joining, so it holds all the log does not.
                    known = log.complete_after
                    held = await self.backlog(version, after)
                    sent = max(sent, known)
                backlog = held
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [
                        (b"content-type", b"text/event-stream; charset=utf-8"),
                        (b"cache-control", b"no-store"),
                        (b"x-accel-buffering", b"no"),  # nginx: pass each event at once
                        (b"access-control-allow-origin", b"*"),
                    ],
                }
            )
            if scope.get("method") == "HEAD":
                await send({"type": "http.response.body", "body": b""})
                return
            sent = max([sent, *(event_id for event_id, _message in backlog)])
            first = RETRY_LINE + b"".join(message for _i, message in backlog)
            await send({"type": "http.response.body", "body": first, "more_body": True})
            await self.forward(log, sent, receive, send)
        finally:
            hub.leave(session_id, log)

    async def backlog(self, version: Version, after: int) -> list[tuple[int, bytes]]:
        """Events older than the log holds, read from the table and encoded once for all the
        version's readers resuming from the same event."""
        key = (version.key, after)
        pending = self.backlog_pending.get(key)
        if pending is None:
            pending = asyncio.ensure_future(self.backlog_read(version, after))
            self.backlog_pending[key] = pending
            pending.add_done_callback(lambda _done: self.backlog_pending.pop(key, None))
        return await asyncio.shield(pending)  # type: ignore[no-any-return]

    @staticmethod
    async def backlog_read(version: Version, after: int) -> list[tuple[int, bytes]]:
        events = await database(events_after, session_id=version.session_id, after=after)
        return [(int(event["id"]), sse_message(event, version)) for event in events]

    async def forward(self, log: VersionLog, sent: int, receive: Receive, send: Send) -> None:
        """Hand the stream to its log: the hub writes each event to it as it arrives, until
        the reader goes away or falls behind what the log holds (then the stream ends and
        the browser reconnects with Last-Event-ID)."""
        closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        reader = StreamWriter(send, sent, closed)
        # What the log received while the backlog was being sent, then (no wait in between)
        # every event as the hub receives it.
        reader.catch_up(log)
        log.readers.add(reader)
        disconnected = asyncio.ensure_future(self.until_disconnect(receive))
        disconnected.add_done_callback(lambda _done: reader.close())
        try:
            await closed
        except asyncio.CancelledError:  # the server let go of the stream
            return
        finally:
            log.readers.discard(reader)
            reader.close()
            disconnected.cancel()

    @staticmethod
    async def until_disconnect(receive: Receive) -> None:
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return


application = LiveApplication()
