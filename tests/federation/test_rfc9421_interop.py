"""RFC 9421 signatures checked against an implementation this project did not write, both ways,
on loopback: Misskey's @misskey-dev/node-http-message-signatures (npm), run by
``misskey_peer.mjs`` (a small ActivityPub peer: one actor, an inbox).

- Ours to theirs: a delivery is signed with RFC 9421, and Misskey's library rebuilds the
  signature base and checks it (a peer that refuses it would make us fall back to cavage,
  and the scheme remembered for the server would say so).
- Theirs to ours: the peer signs a Follow with RFC 9421 through Misskey's library; our inbox
  accepts it.
(bovine's RFC 9421 code covers only @method, @path and @authority, and does not verify
@target-uri, which we sign: bovine stays the draft-cavage counterpart, test_interoperability.py.)
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from dragoman.federation import services
from dragoman.federation.deliveries import deliver_now
from dragoman.federation.models import Follow, RemoteServer
from dragoman.federation.signatures import RFC9421, key_pair_new
from tests.factories import BlogFactory

ROOT = Path(__file__).resolve().parents[2]
PEER = Path(__file__).with_name("misskey_peer.mjs")
LIBRARY = ROOT / "node_modules" / "@misskey-dev" / "node-http-message-signatures"

pytestmark = pytest.mark.skipif(
    shutil.which("node") is None or not LIBRARY.exists(),
    reason="node and `make tools` (npm) are needed for Misskey's library",
)


class Peer:
    def __init__(self, process: subprocess.Popen[str], port: int) -> None:
        self.process = process
        self.origin = f"http://127.0.0.1:{port}"
        self.actor = f"{self.origin}/users/ana"

    def call(self, method: str, path: str, document: Any = None) -> Any:
        data = json.dumps(document).encode() if document is not None else None
        request = urllib.request.Request(self.origin + path, data=data, method=method)
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())


@pytest.fixture
def peer():
    private, public = key_pair_new()
    process = subprocess.Popen(
        ["node", str(PEER)],
        cwd=ROOT,
        env={**os.environ, "PEER_PRIVATE_KEY": private, "PEER_PUBLIC_KEY": public},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line:
            pytest.fail("The Misskey peer did not start: " + (process.stderr.read() or ""))
        yield Peer(process, json.loads(line)["port"])
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture
def federated(settings, live_server):
    settings.BASE_URL = live_server.url
    settings.DRAGOMAN_FEDERATION_ALLOW_PRIVATE = True
    settings.ALLOWED_HOSTS = ["*"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    cache.clear()
    return live_server.url


@pytest.mark.django_db(transaction=True)
def test_misskeys_library_verifies_our_rfc9421_signature(federated, peer):
    actor = services.blog_actor(BlogFactory(slug="embassy-news"))
    body = json.dumps({"id": f"{federated}/a/1", "type": "Create", "actor": "x"}).encode()

    status = deliver_now(actor, f"{peer.origin}/inbox", body)

    received = peer.call("GET", "/received")
    assert status == 202
    assert received == [{"type": "Create", "verified": True, "reason": "verified"}]
    assert RemoteServer.objects.get(domain="127.0.0.1").signature_scheme == RFC9421


@pytest.mark.django_db(transaction=True)
def test_our_inbox_verifies_misskeys_rfc9421_signature(federated, peer):
    services.blog_actor(BlogFactory(slug="embassy-news"))
    target = f"{federated}/federation/actors/embassy-news"
    follow = {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{peer.actor}/follows/1",
        "type": "Follow",
        "actor": peer.actor,
        "object": target,
    }

    answer = peer.call("POST", "/send", {"url": f"{target}/inbox", "activity": follow})

    assert answer["status"] == 202, answer
    follower = Follow.objects.get(direction=Follow.Direction.INCOMING)
    assert follower.remote.uri == peer.actor
    assert follower.status == Follow.Status.ACCEPTED
