"""Interoperability with bovine, an ActivityPub implementation this project did not write
(from PyPI), on loopback: it looks a blog up by WebFinger, follows it with a signature of its
own, receives the entries the blog publishes (checking our signatures with its own code),
and replies; the reply waits in the moderation queue, and the official answer goes back.

The remote side is an aiohttp server in a thread serving one bovine actor; Dragoman runs as
pytest-django's live server. Deliveries run at once (django-tasks' immediate backend).
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

pytest.importorskip("bovine", reason="bovine (dev dependency) is not installed")
aiohttp_web = pytest.importorskip("aiohttp.web")

import aiohttp  # noqa: E402
from bovine.clients.lookup_account import lookup_with_webfinger  # noqa: E402
from bovine.clients.signed_http import legacy_digest_method  # noqa: E402
from bovine.clients.signed_http_methods import signed_post  # noqa: E402
from bovine.crypto import build_validate_http_signature_raw, generate_rsa_public_private_key  # noqa: E402
from bovine.crypto.types import CryptographicIdentifier, CryptographicSecret  # noqa: E402

from dragoman.conversations.models import Comment  # noqa: E402
from dragoman.conversations.services import comment_approve, official_reply_create  # noqa: E402
from dragoman.federation.models import Follow, RemoteReply  # noqa: E402
from tests.factories import BlogFactory, EntryFactory  # noqa: E402
from tests.ports import free_port  # noqa: E402

# A free port per test process (never a fixed one: parallel runs would collide).
REMOTE_PORT = free_port()
REMOTE = f"http://127.0.0.1:{REMOTE_PORT}"


class BovineServer:
    """One actor, ``ana``, whose inbox keeps what arrives with a signature bovine accepts."""

    def __init__(self) -> None:
        self.public_pem, self.private_pem = generate_rsa_public_private_key()
        self.actor_id = f"{REMOTE}/users/ana"
        self.key_id = self.actor_id + "#main-key"
        self.received: list[dict[str, Any]] = []
        self.refused = 0
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()

    def actor(self) -> dict[str, Any]:
        return {
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            "id": self.actor_id,
            "type": "Person",
            "preferredUsername": "ana",
            "name": "Ana from another ministry",
            "inbox": self.actor_id + "/inbox",
            "outbox": self.actor_id + "/outbox",
            "publicKey": {
                "id": self.key_id,
                "owner": self.actor_id,
                "publicKeyPem": self.public_pem,
            },
        }

    async def _key(self, key_id: str) -> CryptographicIdentifier | None:
        async with aiohttp.ClientSession() as session:
            response = await session.get(
                key_id.split("#")[0], headers={"Accept": "application/activity+json"}
            )
            data = await response.json(content_type=None)
        return CryptographicIdentifier.from_public_key(data["publicKey"])

    async def _actor(self, request: Any) -> Any:
        return aiohttp_web.json_response(self.actor(), content_type="application/activity+json")

    async def _inbox(self, request: Any) -> Any:
        body = await request.read()

        async def read_body() -> bytes:
            return body

        validate = build_validate_http_signature_raw(self._key)
        headers = {name.lower(): value for name, value in request.headers.items()}
        owner = await validate("post", str(request.url), headers, read_body)
        if not owner:
            self.refused += 1
            return aiohttp_web.Response(status=401)
        self.received.append(json.loads(body))
        return aiohttp_web.Response(status=202)

    def run(self) -> None:
        asyncio.set_event_loop(self.loop)
        app = aiohttp_web.Application()
        app.router.add_get("/users/ana", self._actor)
        app.router.add_post("/users/ana/inbox", self._inbox)
        runner = aiohttp_web.AppRunner(app)
        self.loop.run_until_complete(runner.setup())
        self.loop.run_until_complete(aiohttp_web.TCPSite(runner, "127.0.0.1", REMOTE_PORT).start())
        self.ready.set()
        self.loop.run_forever()
        self.loop.run_until_complete(runner.cleanup())

    def secret(self) -> CryptographicSecret:
        return CryptographicSecret.from_pem(self.key_id, self.private_pem)

    def call(self, coroutine: Any) -> Any:
        """Run a bovine client call on the server's loop, from the test's thread."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=30)

    async def post(self, inbox: str, document: dict[str, Any]) -> int:
        async with aiohttp.ClientSession() as session:
            response = await signed_post(
                session, self.secret(), inbox, json.dumps(document), legacy_digest_method
            )
            return response.status

    async def webfinger(self, base: str, resource: str) -> str | None:
        async with aiohttp.ClientSession() as session:
            return await lookup_with_webfinger(
                session, f"{base}/.well-known/webfinger", {"resource": resource}
            )


@pytest.fixture
def bovine_server():
    server = BovineServer()
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    if not server.ready.wait(10):
        pytest.fail(f"The bovine server did not start on port {REMOTE_PORT}")
    yield server
    server.loop.call_soon_threadsafe(server.loop.stop)
    thread.join(10)


@pytest.fixture
def federated(settings: Any, live_server: Any) -> str:
    settings.BASE_URL = live_server.url
    settings.DRAGOMAN_FEDERATION_ALLOW_PRIVATE = True
    settings.DRAGOMAN_PAGE_CACHE = False
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.ALLOWED_HOSTS = ["*"]
    return live_server.url


def wait_for(condition: Any, seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.django_db(transaction=True)
def test_bovine_follows_receives_replies_and_gets_the_answer(federated, bovine_server):
    base = federated
    blog = BlogFactory(slug="embassy-news")
    host = base.split("://", 1)[1]

    # WebFinger, as bovine does it.
    actor_url = bovine_server.call(bovine_server.webfinger(base, f"acct:embassy-news@{host}"))
    assert actor_url == f"{base}/federation/actors/embassy-news"

    # A Follow signed by bovine (draft-cavage), answered by an Accept that bovine verifies.
    follow = {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{REMOTE}/activities/follow-1",
        "type": "Follow",
        "actor": bovine_server.actor_id,
        "object": actor_url,
    }
    assert bovine_server.call(bovine_server.post(actor_url + "/inbox", follow)) == 202
    assert Follow.objects.get().status == Follow.Status.ACCEPTED
    assert wait_for(lambda: any(a["type"] == "Accept" for a in bovine_server.received))

    # Publishing delivers a Create of an Article, signed so that bovine accepts it.
    entry = EntryFactory(
        blog=blog, title="Consular hours", date=timezone.now() - timedelta(hours=1)
    )
    assert wait_for(lambda: any(a["type"] == "Create" for a in bovine_server.received))
    create = next(a for a in bovine_server.received if a["type"] == "Create")
    assert create["object"]["type"] == "Article"
    assert create["object"]["name"] == "Consular hours"
    assert create["object"]["id"] == f"{base}/entries/{entry.pk}/"
    assert bovine_server.refused == 0

    # A signed reply enters the moderation queue, not the page.
    note = {
        "id": f"{REMOTE}/notes/1",
        "type": "Note",
        "attributedTo": bovine_server.actor_id,
        "inReplyTo": create["object"]["id"],
        "content": "<p>Are the hours the same in August?</p>",
        "to": [actor_url],
    }
    reply = {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{REMOTE}/activities/create-1",
        "type": "Create",
        "actor": bovine_server.actor_id,
        "object": note,
    }
    assert bovine_server.call(bovine_server.post(f"{base}/federation/inbox", reply)) == 202
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment.body == "Are the hours the same in August?"
    assert RemoteReply.objects.get().actor.handle == "@ana@127.0.0.1"

    # Approved and answered: the answer goes back to bovine as a Note in reply.
    moderator = get_user_model().objects.create_superuser("moderator", "m@example.org", "x")
    comment_approve(comment=comment, acting_user=moderator)
    official_reply_create(comment=comment, acting_user=moderator, body="Yes, the same.")
    assert wait_for(
        lambda: any(
            a["type"] == "Create" and a["object"].get("inReplyTo") == note["id"]
            for a in bovine_server.received
        )
    )
    assert bovine_server.refused == 0

    # Unpublishing sends a Delete.
    entry.refresh_from_db()
    entry.unpublish()
    assert wait_for(lambda: any(a["type"] == "Delete" for a in bovine_server.received))
