"""Fetching other servers' actors against a loopback server: private and loopback addresses
refused unless the test setting allows them, a timeout (also for a server that drips its
answer), a size limit, no redirects, and a day's cache."""

from __future__ import annotations

import json
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from dragoman.federation import remote
from dragoman.federation.models import RemoteActor
from dragoman.federation.signatures import key_pair_new
from tests.ports import free_port

_PRIVATE, PUBLIC = key_pair_new()


class Peer(BaseHTTPRequestHandler):
    """Answers /users/ana with an actor; /slow after a pause; /drip a byte at a time; /big
    over the limit; /moved with a redirect to the actor."""

    hits: list[str] = []

    def do_GET(self) -> None:
        Peer.hits.append(self.path)
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        actor = {
            "id": f"{base}/users/ana",
            "type": "Person",
            "preferredUsername": "ana",
            "inbox": f"{base}/users/ana/inbox",
            "endpoints": {"sharedInbox": f"{base}/inbox"},
            "publicKey": {"id": f"{base}/users/ana#main-key", "publicKeyPem": PUBLIC},
        }
        body = json.dumps(actor).encode()
        if self.path == "/slow":
            time.sleep(2)
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", f"{base}/users/ana")
            self.end_headers()
            return
        if self.path == "/big":
            body = json.dumps({**actor, "summary": "x" * 5000}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/activity+json")
        self.send_header("Content-Length", str(len(body) + (100 if self.path == "/drip" else 0)))
        self.end_headers()
        if self.path == "/drip":
            try:
                for byte in body + b" " * 100:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.05)
            except OSError:
                pass  # we hung up: as meant
            return
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def peer(db, settings):
    settings.DRAGOMAN_FEDERATION_ALLOW_PRIVATE = True
    settings.DRAGOMAN_FEDERATION_TIMEOUT = 0.5
    settings.DRAGOMAN_FEDERATION_MAX_BYTES = 4000
    Peer.hits = []
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Peer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_private_and_loopback_addresses_are_refused_without_the_test_setting(peer, settings):
    settings.DRAGOMAN_FEDERATION_ALLOW_PRIVATE = False

    for url in (
        f"{peer}/users/ana",
        "http://10.0.0.7/users/ana",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/users/ana",
        "http://localhost/users/ana",
        "file:///etc/passwd",
    ):
        with pytest.raises(remote.RemoteError):
            remote.actor_get(url)
    with pytest.raises(remote.RemoteError):
        remote.post(f"{peer}/inbox", b"{}", {})

    assert Peer.hits == []
    assert not RemoteActor.objects.exists()


def test_an_actor_is_fetched_once_a_day(peer):
    first = remote.actor_get(f"{peer}/users/ana")
    again = remote.actor_get(f"{peer}/users/ana#main-key")

    assert again.pk == first.pk
    assert first.shared_inbox == f"{peer}/inbox"
    assert first.public_key_pem == PUBLIC
    fetched = len(Peer.hits)
    assert fetched >= 1

    RemoteActor.objects.update(fetched_at=timezone.now() - timedelta(days=1, minutes=1))
    remote.actor_get(f"{peer}/users/ana")

    assert len(Peer.hits) > fetched


@pytest.mark.parametrize("path", ["/slow", "/drip"])
def test_a_slow_server_is_given_up_on_at_the_timeout(peer, path):
    started = time.monotonic()

    with pytest.raises(remote.RemoteError):
        remote.get_json(peer + path, signed=False)

    assert time.monotonic() - started < 1.5


def test_an_answer_over_the_size_limit_is_refused(peer):
    with pytest.raises(remote.RemoteError, match="over 4000 bytes"):
        remote.get_json(f"{peer}/big", signed=False)


def test_a_redirect_is_not_followed(peer):
    # A redirect could lead anywhere, a private address included: it is not followed.
    with pytest.raises(remote.RemoteError, match="302"):
        remote.get_json(f"{peer}/moved", signed=False)

    assert Peer.hits == ["/moved"]


def test_an_actor_naming_an_id_on_another_server_is_refused(peer):
    with pytest.raises(remote.RemoteError, match="another server"):
        remote.actor_store({"id": "https://elsewhere.example/u/x", "inbox": "x"}, fetched_from=peer)


def test_a_name_that_turns_private_after_the_check_is_refused(peer, settings, monkeypatch):
    """DNS rebinding: the name answers a public address to the check, then loopback to the
    connection. The connection itself checks where it arrived."""
    import socket

    settings.DRAGOMAN_FEDERATION_ALLOW_PRIVATE = False
    port = int(peer.rsplit(":", 1)[1])
    real_getaddrinfo = socket.getaddrinfo
    answers = iter(["93.184.216.34"])

    def rebinding(host, *args, **kwargs):
        if host != "rebind.example":
            return real_getaddrinfo(host, *args, **kwargs)
        address = next(answers, "127.0.0.1")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)

    with pytest.raises(remote.RemoteError, match="private address"):
        remote.get_json(f"http://rebind.example:{port}/users/ana", signed=False)
    answers = iter(["93.184.216.34"])
    with pytest.raises(remote.RemoteError, match="private address"):
        remote.post(f"http://rebind.example:{port}/inbox", b"{}", {})

    assert Peer.hits == []
