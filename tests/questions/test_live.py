"""The live streams: events durable in the table, replayed after Last-Event-ID, delivered
across processes through Redis, and many streams opened at once refused cleanly."""

import asyncio
import contextlib
import html
import json
import os
import re
import subprocess
import sys
import uuid
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings as django_settings
from django.utils import translation

from dragoman.questions import live, services
from dragoman.questions.models import LiveEvent, Question, QuestionSessionPage
from tests.concurrency import retried_while_locked

from .conftest import session_make

pytestmark = pytest.mark.django_db(transaction=True)

REDIS = "redis://127.0.0.1:6379/1"


@pytest.fixture(autouse=True)
def page_server(live_server: Any, settings: Any) -> None:
    """The live application asks the page server whether the public may see a session page,
    as the live process does in production: the test server answers it here."""
    settings.DRAGOMAN_LIVE_PAGES_URL = live_server.url


class Stream:
    """One reader's stream, driven as granian drives the ASGI application."""

    def __init__(
        self,
        app: Any,
        path: str,
        headers: list[tuple[bytes, bytes]] | None = None,
        query: bytes = b"",
    ) -> None:
        self.messages: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.gone = asyncio.Event()
        scope = {
            "type": "http",
            "method": "GET",
            "path": path,
            "query_string": query,
            "headers": headers or [],
        }
        self.task = asyncio.ensure_future(app(scope, self.receive, self.send))
        self.body = b""
        self.status = 0

    async def receive(self) -> dict[str, Any]:
        await self.gone.wait()
        return {"type": "http.disconnect"}

    async def send(self, message: dict[str, Any]) -> None:
        await self.messages.put(message)

    async def read_until(self, text: str, timeout: float = 10) -> str:
        async def loop() -> str:
            while text not in self.body.decode():
                message = await self.messages.get()
                if message["type"] == "http.response.start":
                    self.status = message["status"]
                else:
                    self.body += message.get("body", b"")
                    if not message.get("more_body"):
                        break
            return self.body.decode()

        return await asyncio.wait_for(loop(), timeout)

    async def close(self) -> None:
        self.gone.set()
        await asyncio.wait_for(self.task, 5)


def answered(session: Any, admin: Any, body: str, answer: str) -> Question:
    question = services.question_ask(session=session, body=body)
    question = services.question_approve(acting_user=admin, question=question)
    return services.question_answer(acting_user=admin, question=question, answer=answer)


def test_stream_sends_answers_and_replays_after_last_event_id(admin_user):
    session = session_make()
    answered(session, admin_user, "First question?", "First answer.")
    first_id = LiveEvent.objects.order_by("pk").last().pk
    answered(session, admin_user, "Second question?", "Second answer.")
    path = f"/live/questions/{session.pk}/events"

    async def scenario() -> tuple[str, str]:
        app = live.LiveApplication()
        # A reconnection: the browser names the last event it had.
        stream = Stream(app, path, [(b"last-event-id", str(first_id).encode())])
        replay = await stream.read_until("Second answer.")
        # Now live: an answer given while the stream is open arrives without reloading.
        await sync_to_async(answered)(session, admin_user, "Third question?", "Third answer.")
        body = await stream.read_until("Third answer.")
        await stream.close()
        await app.hub.stop()
        return replay, body

    replay, body = asyncio.run(scenario())
    assert "First answer." not in replay
    assert "event: answered" in replay
    assert body.count("Third answer.") == 1
    events = [json.loads(line[6:]) for line in body.splitlines() if line.startswith("data: ")]
    assert events[-1]["question"]["answer"] == "Third answer."
    assert events[-1]["waiting"] == 0


def test_stream_from_a_page_starts_after_its_last_event(admin_user):
    session = session_make()
    answered(session, admin_user, "Old question?", "Old answer.")
    last = LiveEvent.objects.order_by("pk").last().pk

    async def scenario() -> str:
        app = live.LiveApplication()
        stream = Stream(app, f"/live/questions/{session.pk}/events", query=f"after={last}".encode())
        await stream.read_until("retry:")
        await sync_to_async(answered)(session, admin_user, "New question?", "New answer.")
        body = await stream.read_until("New answer.")
        await stream.close()
        await app.hub.stop()
        return body

    body = asyncio.run(scenario())
    assert "Old answer." not in body


def test_bad_streams_are_refused_without_a_server_error(settings):
    draft = session_make(publish=False)
    settings.DRAGOMAN_LIVE_MAX_STREAMS = 5
    session = session_make()

    async def scenario() -> list[int]:
        app = live.LiveApplication()
        statuses = []
        for path in [
            "/live/questions/999999/events",
            f"/live/questions/{draft.pk}/events",
            "/live/nothing",
            "/live/questions/99999999999999999999/events",
        ]:
            stream = Stream(app, path)
            await stream.read_until("\u0000")  # until the response ends
            statuses.append(stream.status)
        # Opened many times: the first ones are served, the rest asked to come back later.
        streams = [
            Stream(app, f"/live/questions/{session.pk}/events", [(b"last-event-id", b"junk\xff")])
            for _ in range(20)
        ]
        for stream in streams:
            # A refused stream ends at once; an accepted one stays open (and times out here).
            with contextlib.suppress(asyncio.TimeoutError):
                await stream.read_until("\u0000", timeout=1)
        statuses.extend(stream.status for stream in streams)
        for stream in streams:
            await stream.close()
        await app.hub.stop()
        return statuses

    statuses = asyncio.run(scenario())
    assert statuses[:4] == [404, 404, 404, 404]
    assert statuses[4:].count(200) == 5
    assert statuses[4:].count(429) == 15


async def answered_from(log: live.SessionLog) -> dict[str, Any]:
    """The first answer a hub holds for a session, as its streams send it (the approval may
    come first, read back from the table when the hub subscribed)."""
    while True:
        changed = log.changed
        for event_id, message in log.events:
            if b"event: answered" in message:
                data = message.split(b"data: ", 1)[1].strip()
                return {"id": event_id, "data": json.loads(data)}
        await changed.wait()


def _redis_or_skip() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS).ping()
    except redis.RedisError as error:
        pytest.skip(f"No Redis on {REDIS}: {error}")


def test_events_cross_processes_through_redis(settings, admin_user):
    """Two live processes (two hubs, each with its own Redis subscription) both receive an
    answer published by a third party (the process where the official pressed the button)."""
    _redis_or_skip()
    settings.DRAGOMAN_LIVE_REDIS_URL = REDIS
    settings.CACHES = {
        **settings.CACHES,
        "default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"},
    }
    session = session_make()
    question = services.question_approve(
        acting_user=admin_user, question=services.question_ask(session=session, body="Across?")
    )

    async def scenario() -> list[dict[str, Any]]:
        hubs = [live.Hub(), live.Hub()]
        for hub in hubs:
            hub.start()
        await asyncio.gather(*(asyncio.wait_for(hub.ready.wait(), 10) for hub in hubs))
        # The table is not read in between (a long poll would also find it): Redis carries it.
        logs = [hub.join(session.pk) for hub in hubs]
        await sync_to_async(retried_while_locked)(
            lambda: services.question_answer(
                acting_user=admin_user, question=question, answer="Through Redis."
            )
        )
        received = [await asyncio.wait_for(answered_from(log), 5) for log in logs]
        for hub in hubs:
            await hub.stop()
        return received

    received = asyncio.run(scenario())
    assert [event["data"]["question"]["answer"] for event in received] == ["Through Redis."] * 2
    assert received[0]["id"] == received[1]["id"] == LiveEvent.objects.order_by("pk").last().pk


def test_stream_of_a_page_older_than_the_process_stays_open_for_new_events(admin_user):
    """A page rendered before the live process started (its last event older than what the
    process holds) is caught up from the table once, then follows the session's log: the
    stream stays open rather than ending and being reopened for ever."""
    other = session_make(title="Another session")
    answered(other, admin_user, "Elsewhere?", "Elsewhere.")
    session = session_make()

    async def scenario() -> tuple[str, bool]:
        app = live.LiveApplication()
        hub = app.get_hub()
        await asyncio.wait_for(hub.ready.wait(), 10)
        stream = Stream(app, f"/live/questions/{session.pk}/events", query=b"after=0")
        await stream.read_until("retry:")
        await sync_to_async(answered)(session, admin_user, "Late question?", "Late answer.")
        body = await stream.read_until("Late answer.")
        still_open = not stream.task.done()
        await stream.close()
        await hub.stop()
        return body, still_open

    body, still_open = asyncio.run(scenario())
    assert "Elsewhere." not in body
    assert body.count("Late answer.") == 1
    assert still_open


def _stream_address(page_html: str) -> tuple[str, bytes]:
    """The stream a session page's script opens (live.js): its address, after its last event."""
    address = html.unescape(re.search(r'data-live-url="([^"]*)"', page_html).group(1))
    last = re.search(r'data-last-event="(\d*)"', page_html).group(1)
    path, _sep, query = address.partition("?")
    return path, "&".join(part for part in (query, f"after={last}") if part).encode()


def _events(body: str) -> list[dict[str, Any]]:
    return [json.loads(line[6:]) for line in body.splitlines() if line.startswith("data: ")]


def test_each_language_version_follows_the_session_in_its_own_words(client, admin_user):
    """The English session and its Russian translation are open at once: a vote and an answer
    reach each page in that page's words (the translated question, the vote count and the
    status line in Russian, with Russian plural forms), and the English page's in English."""
    session = session_make()
    asked = services.question_approve(
        acting_user=admin_user,
        question=services.question_ask(session=session, body="When will the rules apply?"),
    )
    russian = session_make(
        parent=session.get_parent().specific,
        title="Спросите посла",
        language="ru",
        translation_of=session,
        translated=[(asked, "Когда вступят в силу правила?", "")],
    )
    with translation.override("ru"):
        russian_address = russian.url
    english_page = client.get(session.url).content.decode()
    russian_page = client.get(russian_address).content.decode()

    async def scenario() -> tuple[str, str]:
        app = live.LiveApplication()
        streams = []
        for page_html in (english_page, russian_page):
            path, query = _stream_address(page_html)
            streams.append(Stream(app, path, query=query))
        for stream in streams:
            await stream.read_until("retry:")
        await sync_to_async(services.question_vote)(question=asked, voter="reader-1")
        await sync_to_async(services.question_vote)(question=asked, voter="reader-2")
        await sync_to_async(services.question_answer)(
            acting_user=admin_user, question=asked, answer="In May."
        )
        bodies = [await stream.read_until("In May.") for stream in streams]
        for stream in streams:
            await stream.close()
        await app.hub.stop()
        return bodies[0], bodies[1]

    english, russian_body = asyncio.run(scenario())
    english_events, russian_events = _events(english), _events(russian_body)
    assert [e["kind"] for e in russian_events] == ["votes", "votes", "answered"]
    assert {e["question"]["body"] for e in russian_events} == {"Когда вступят в силу правила?"}
    # Not translated yet: the answer in the official's words, as the page shows it.
    assert russian_events[-1]["question"]["answer"] == "In May."
    assert russian_events[1]["question"]["votes_label"] == "2 голоса"
    assert russian_events[-1]["waiting_label"] == "0 вопросов ожидают ответа."
    assert {e["question"]["body"] for e in english_events} == {"When will the rules apply?"}
    assert english_events[1]["question"]["votes_label"] == "2 votes"
    assert english_events[-1]["waiting_label"] == "0 questions wait for their answers."


def test_a_version_is_encoded_once_for_all_its_readers(admin_user):
    """The hub encodes each event once per language version: readers of the same version share
    one log (and its bytes), readers of another version have theirs."""
    session = session_make()
    hub = live.Hub()
    spanish = live.Version(page_id=session.pk + 1000, session_id=session.pk, language="es")
    first, second = hub.join(session.pk, spanish), hub.join(session.pk, spanish)
    english = hub.join(session.pk, live.Version(session.pk, session.pk, "en"))
    hub.dispatch(
        [
            {
                "id": 7,
                "session": session.pk,
                "kind": "votes",
                "data": {"question": {"id": 1, "body": "Q?", "votes": 3}, "waiting": 1},
            }
        ]
    )

    assert first is second
    assert english is not first
    assert first.events[-1][1] is second.events[-1][1]
    assert b'"votes_label": "3 votes"' in english.events[-1][1]
    assert b'"votes_label": "3 votos"' in first.events[-1][1]


class _Done:
    """What granian's ``send`` returns: an awaitable already done (the bytes are handed over)."""

    def __await__(self) -> Any:
        return iter(())


def test_an_event_is_written_to_every_stream_by_the_hub_itself(admin_user):
    """The hub hands each event's one encoded copy to every stream of the version while it
    dispatches it: no coroutine per stream is woken to send it."""
    session = session_make()

    async def scenario() -> tuple[list[bytes], list[bytes], bool]:
        hub = live.Hub()
        log = hub.join(session.pk)
        written: tuple[list[bytes], list[bytes]] = ([], [])
        loop = asyncio.get_running_loop()
        for sink in written:

            def send(message: dict[str, Any], sink: list[bytes] = sink) -> _Done:
                sink.append(message["body"])
                return _Done()

            log.readers.add(live.StreamWriter(send, 0, loop.create_future()))
        hub.dispatch([{"id": 3, "session": session.pk, "kind": "answered", "data": {"waiting": 0}}])
        # Written before this coroutine gave the loop a chance to run anything.
        return written[0], written[1], all(r.writing is None for r in log.readers)

    first, second, direct = asyncio.run(scenario())
    assert len(first) == len(second) == 1
    assert first[0] is second[0]
    assert b"event: answered" in first[0]
    assert direct


def test_the_live_process_sets_up_no_django_app():
    """The live process's entry point loads settings and the database connection only: no
    app, model or template (what took 115 MB of its memory)."""
    probe = (
        "import sys\n"
        "import dragoman.questions.asgi\n"
        "from django.apps import apps\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('wagtail', 'allauth'))\n"
        "print(apps.ready, loaded, 'dragoman.questions.models' in sys.modules)\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "dragoman.settings"}
    done = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False [] False"


def test_the_event_table_read_in_plain_sql_is_the_models():
    fields = {field.column for field in LiveEvent._meta.concrete_fields}
    assert LiveEvent._meta.db_table == live.EVENT_TABLE
    assert set(live.EVENT_COLUMNS) <= fields


def test_events_read_in_plain_sql_are_the_rows(admin_user):
    session = session_make()
    answered(session, admin_user, "Plain?", "Plain answer, «quoted».")
    rows = list(LiveEvent.objects.filter(session=session).order_by("pk"))

    read = live.events_after(session_id=session.pk, after=0)

    assert [(e["id"], e["session"], e["kind"], e["data"]) for e in read] == [
        (row.pk, row.session_id, row.kind, row.data) for row in rows
    ]
    assert live.events_by_id([rows[-1].pk]) == read[-1:]
    assert live.last_event_id() == rows[-1].pk
    # Written just now: within the look-back, so read again whatever the last id seen.
    assert [e["id"] for e in live.recent_events(after=rows[-1].pk)] == [r.pk for r in rows]


@pytest.mark.parametrize("language", [code for code, _name in django_settings.LANGUAGES])
def test_the_live_words_are_djangos(language):
    """The words the live process adds, read from the catalogues without Django's translation
    machinery, are those Django's gives the pages."""
    words = live.catalogue(language)
    with translation.override(language):
        for count in (0, 1, 2, 5, 11, 21):
            for singular, plural in [
                ("%(counter)s vote", "%(counter)s votes"),
                (
                    "%(counter)s question waits for its answer.",
                    "%(counter)s questions wait for their answers.",
                ),
            ]:
                assert words.ngettext(singular, plural, count) == translation.ngettext(
                    singular, plural, count
                )


def test_the_page_server_says_which_session_pages_the_public_may_see(client, admin_user):
    session = session_make()
    draft = session_make(publish=False)
    asked = services.question_approve(
        acting_user=admin_user, question=services.question_ask(session=session, body="Rules?")
    )
    french = session_make(
        parent=session.get_parent().specific,
        title="Demandez à l'ambassadeur",
        language="fr",
        translation_of=session,
        translated=[(asked, "Les règles ?", "")],
    )

    assert client.get(f"/questions/{draft.pk}/live.json").status_code == 404
    assert client.get(f"/questions/{session.pk}/live.json").json() == {
        "session": session.pk,
        "translated": [],
    }
    assert client.get(f"/questions/{french.pk}/live.json").json() == {
        "session": session.pk,
        "translated": [[asked.pk, "Les règles ?", ""]],
    }
    QuestionSessionPage.objects.get(pk=session.pk).unpublish()
    assert client.get(f"/questions/{session.pk}/live.json").status_code == 404
    # As the live process asks it: the same answer.
    assert live.page_version(page_id=session.pk) is None
    assert live.page_version(page_id=french.pk).session_id == session.pk
