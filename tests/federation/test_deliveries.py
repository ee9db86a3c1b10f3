"""Deliveries against a loopback inbox: signed, retried later with a growing delay when the
server fails, the server paused after repeated failures and dropped after days; a blocked
server receives nothing."""

from __future__ import annotations

import json
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone
from django_tasks import default_task_backend

from dragoman.federation import deliveries, services
from dragoman.federation.models import DomainBlock, RemoteServer
from tests.factories import BlogFactory
from tests.ports import free_port

INBOX = ""


class Inbox(BaseHTTPRequestHandler):
    status = 202
    # Answers 401 to RFC 9421 signatures (a server that knows only cavage).
    cavage_only = False
    received: list[dict] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Inbox.received.append(
            {
                "headers": dict(self.headers),
                "body": json.loads(body),
                "path": self.path,
                "at": time.monotonic(),
            }
        )
        if self.path == "/slow":
            time.sleep(4)
        rfc9421 = "Signature-Input" in self.headers
        self.send_response(401 if Inbox.cavage_only and rfc9421 else Inbox.status)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


class Server(ThreadingHTTPServer):
    request_queue_size = 64  # the deliveries' pool connects 16 at once


@pytest.fixture
def inbox():
    global INBOX
    Inbox.status, Inbox.cavage_only, Inbox.received = 202, False, []
    server = Server(("127.0.0.1", free_port()), Inbox)
    INBOX = f"http://127.0.0.1:{server.server_address[1]}/inbox"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Inbox
    server.shutdown()
    server.server_close()


@pytest.fixture
def actor(db, settings):
    settings.BASE_URL = "http://testserver"
    settings.DRAGOMAN_FEDERATION_ALLOW_PRIVATE = True
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    return services.blog_actor(BlogFactory())


def deliver(actor, attempt: int = 1) -> None:
    body = json.dumps({"type": "Create", "id": "http://testserver/a/1"})
    deliveries.inbox_deliver.call(actor_id=actor.pk, inbox=INBOX, body=body, attempt=attempt)


def queued():
    return [
        result for result in default_task_backend.results if result.task.name == "inbox_deliver"
    ]


def test_a_delivery_is_signed_with_rfc9421_first(inbox, actor):
    deliver(actor)

    assert len(inbox.received) == 1
    headers = {k.lower(): v for k, v in inbox.received[0]["headers"].items()}
    assert "signature-input" in headers
    assert headers["content-digest"].startswith("sha-256=:")
    assert RemoteServer.objects.get().signature_scheme == "rfc9421"


def test_a_server_that_refuses_rfc9421_gets_cavage_and_is_remembered(inbox, actor):
    Inbox.cavage_only = True

    deliver(actor)

    assert len(inbox.received) == 2
    assert "signature-input" in {k.lower() for k in inbox.received[0]["headers"]}
    cavage = {k.lower(): v for k, v in inbox.received[1]["headers"].items()}
    assert "signature-input" not in cavage
    assert 'headers="(request-target) host date digest' in cavage["signature"]
    assert RemoteServer.objects.get().signature_scheme == "cavage"
    assert queued() == []

    deliver(actor)  # remembered: cavage at once, one knock
    assert len(inbox.received) == 3
    assert "signature-input" not in {k.lower() for k in inbox.received[2]["headers"]}


def test_a_server_refusing_both_is_not_retried(inbox, actor):
    Inbox.status = 401

    deliver(actor)  # both knocks refused: the server said no

    assert len(inbox.received) == 2
    assert queued() == []


def test_retries_wait_longer_each_time_then_give_up(inbox, actor):
    Inbox.status = 503
    RemoteServer.objects.create(domain="127.0.0.1")
    waits = []
    for attempt in range(1, 4):
        RemoteServer.objects.update(failures=0, paused_until=None)
        before = timezone.now()
        deliver(actor, attempt)
        retry = queued()[-1]
        assert retry.kwargs["attempt"] == attempt + 1
        waits.append((retry.task.run_after - before).total_seconds() / 60)

    # 1, 4, 16 minutes: exponential.
    assert [round(wait) for wait in waits] == [1, 4, 16]
    default_task_backend.clear()
    RemoteServer.objects.update(failures=0, paused_until=None)
    deliver(actor, deliveries.ATTEMPTS)
    assert queued() == []


def test_a_slow_server_does_not_hold_the_others(inbox, actor, settings):
    settings.DRAGOMAN_FEDERATION_TIMEOUT = 2.0
    base = INBOX.removesuffix("/inbox")
    # The slow inbox first: had the others waited behind it, they would arrive after its
    # timeout.
    inboxes = [f"{base}/slow"] + [f"{base}/inbox?n={n}" for n in range(20)]
    body = json.dumps({"type": "Create", "id": "http://testserver/a/1"})
    started = time.monotonic()

    deliveries.inboxes_deliver.call(actor_id=actor.pk, inboxes=inboxes, body=body)

    others = [r["at"] for r in inbox.received if r["path"] != "/slow"]
    assert len(others) == 20
    assert max(others) - started < settings.DRAGOMAN_FEDERATION_TIMEOUT
    # The slow one is tried again later, on its own; the others are done.
    [retry] = queued()
    assert retry.kwargs["inbox"] == f"{base}/slow"


def test_a_failing_server_is_tried_again_later_then_paused_then_dropped(inbox, actor):
    Inbox.status = 503

    deliver(actor)

    retry = queued()[-1]
    assert retry.kwargs["attempt"] == 2
    assert retry.task.run_after > timezone.now() + timedelta(seconds=50)
    for attempt in range(2, deliveries.PAUSE_AFTER_FAILURES + 1):
        deliver(actor, attempt)
    server = RemoteServer.objects.get()
    assert server.paused_until > timezone.now()
    sent = len(inbox.received)
    deliver(actor, 3)  # paused: waits without trying
    assert len(inbox.received) == sent

    RemoteServer.objects.update(
        paused_until=None,
        failing_since=timezone.now() - timedelta(days=deliveries.DROP_AFTER_DAYS + 1),
    )
    deliver(actor, 4)
    assert RemoteServer.objects.get().dropped
    sent = len(inbox.received)
    deliver(actor, 5)
    assert len(inbox.received) == sent


def test_a_dead_server_does_not_hold_the_task_long(actor, settings):
    settings.DRAGOMAN_FEDERATION_TIMEOUT = 0.5  # nothing listens: refused at once anyway

    deliver(actor)

    assert queued()[-1].kwargs["attempt"] == 2


def test_a_blocked_server_receives_nothing(inbox, actor):
    DomainBlock.objects.create(domain="127.0.0.1")

    deliver(actor)

    assert inbox.received == []
