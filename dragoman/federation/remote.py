"""Talking to other servers: fetching their actors and keys, and posting to their inboxes.

Every address comes from a stranger's document, so each one is checked before we connect:
http(s) only, and never a private, loopback or link-local address (a request forged to reach
our own network), unless ``DRAGOMAN_FEDERATION_ALLOW_PRIVATE`` is set (the loopback tests).
Reads stop at a size limit and a timeout; actors are cached in the database for a day.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import socket
import time
from datetime import timedelta
from typing import Any
from urllib.parse import urldefrag, urlsplit

import requests
from django.conf import settings
from django.utils import timezone
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import NewConnectionError

from .models import RemoteActor, RemoteServer

logger = logging.getLogger(__name__)

AP_TYPES = (
    "application/activity+json",
    'application/ld+json; profile="https://www.w3.org/ns/activitystreams"',
)
ACCEPT = f"{AP_TYPES[0]}, {AP_TYPES[1]}"
USER_AGENT = "Dragoman (ActivityPub)"
ACTOR_MAX_AGE = timedelta(days=1)


class RemoteError(Exception):
    """The other server could not be reached, or answered something unusable."""


def domain_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def address_check(url: str) -> None:
    """Raise RemoteError unless ``url`` is http(s) to a public address."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RemoteError(f"Not an http(s) address: {url!r}")
    if settings.DRAGOMAN_FEDERATION_ALLOW_PRIVATE:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except OSError as error:
        raise RemoteError(f"Cannot resolve {parts.hostname}") from error
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise RemoteError(f"{parts.hostname} resolves to a private address")


def _peer_check(connection: HTTPConnection, sock: socket.socket) -> None:
    """Refuse a connection that reached a private address: the name was checked before
    (``address_check``), but it is resolved again to connect, and a name can answer a
    public address the first time and a loopback one the second (DNS rebinding)."""
    if settings.DRAGOMAN_FEDERATION_ALLOW_PRIVATE or getattr(connection, "proxy", None):
        return  # the tests; or an egress proxy, which is the peer then
    if not ipaddress.ip_address(sock.getpeername()[0]).is_global:
        sock.close()
        raise NewConnectionError(connection, f"{connection.host} connected to a private address")


class _PublicHTTPConnection(HTTPConnection):
    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        _peer_check(self, sock)
        return sock


class _PublicHTTPSConnection(HTTPSConnection):
    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        _peer_check(self, sock)
        return sock


class _PublicHTTPPool(HTTPConnectionPool):
    ConnectionCls = _PublicHTTPConnection


class _PublicHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _PublicHTTPSConnection


class _PublicAdapter(HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {  # type: ignore[attr-defined]
            "http": _PublicHTTPPool,
            "https": _PublicHTTPSPool,
        }


def _session() -> requests.Session:
    """A session whose connections check the address they reached (``_peer_check``)."""
    session = requests.Session()
    adapter = _PublicAdapter()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def _read_limited(response: requests.Response, deadline: float, limit: int) -> bytes:
    """The body, up to the size limit and the deadline: requests' timeout bounds each read,
    not the whole, so a server dripping a byte at a time would otherwise hold us for days."""
    body = b""
    # read1: what has arrived (one read of the socket), where iter_content would wait for
    # a whole chunk, byte by byte, before the deadline is looked at.
    while chunk := response.raw.read1(65536, decode_content=True):
        body += chunk
        if len(body) > limit:
            raise RemoteError(f"The answer from {response.url} is over {limit} bytes")
        if time.monotonic() > deadline:
            raise RemoteError(f"The answer from {response.url} took too long")
    return body


def _get(url: str, headers: dict[str, str], *, limit: int = 0) -> tuple[int, bytes]:
    limit = limit or settings.DRAGOMAN_FEDERATION_MAX_BYTES
    deadline = time.monotonic() + settings.DRAGOMAN_FEDERATION_TIMEOUT
    try:
        with (
            _session() as session,
            session.get(
                url,
                headers=headers,
                timeout=settings.DRAGOMAN_FEDERATION_TIMEOUT,
                stream=True,
                allow_redirects=False,
            ) as response,
        ):
            if response.status_code != 200:
                return response.status_code, b""
            return 200, _read_limited(response, deadline, limit)
    except requests.RequestException as error:
        raise RemoteError(f"{url}: {error}") from error


def get_json(url: str, *, signed: bool = True) -> dict[str, Any]:
    """GET an ActivityPub document, signed as this server (``instance.py``): servers in
    authorized-fetch mode answer nothing else. RFC 9421 first, then cavage if the server
    refuses it; the scheme that worked is remembered per server, as for deliveries.
    WebFinger is not ActivityPub and is fetched unsigned (``signed=False``)."""
    from .instance import fetch_sign
    from .signatures import CAVAGE, RFC9421, Message

    address_check(url)
    plain = {"Accept": ACCEPT, "User-Agent": USER_AGENT}
    if not signed:
        status, body = _get(url, plain)
    else:
        server, _created = RemoteServer.objects.get_or_create(domain=domain_of(url))
        schemes = [RFC9421, CAVAGE] if server.signature_scheme != CAVAGE else [CAVAGE]
        for scheme in schemes:
            message = fetch_sign(Message.of("GET", url, plain), scheme)
            status, body = _get(url, dict(message.headers))
            if status == 200:
                if server.signature_scheme != scheme:
                    RemoteServer.objects.filter(pk=server.pk).update(signature_scheme=scheme)
                break
            if status not in (400, 401, 403):
                break  # not a refused signature: the other scheme would fare no better
    if status != 200:
        raise RemoteError(f"{url} answered {status}")
    try:
        document = json.loads(body)
    except ValueError as error:
        raise RemoteError(f"{url} did not answer JSON") from error
    if not isinstance(document, dict):
        raise RemoteError(f"{url} did not answer a JSON object")
    return document


def text_get(url: str, *, limit: int) -> str:
    """GET a text document (a published blocklist), with the checks of every fetch: public
    address, no redirects, the timeout, ``limit`` bytes at most."""
    address_check(url)
    status, body = _get(
        url, {"Accept": "text/csv, text/plain", "User-Agent": USER_AGENT}, limit=limit
    )
    if status != 200:
        raise RemoteError(f"{url} answered {status}")
    return body.decode("utf-8", errors="replace")


def post(url: str, body: bytes, headers: dict[str, str]) -> int:
    """POST to an inbox; the status code, or RemoteError when nothing came back."""
    address_check(url)
    try:
        with (
            _session() as session,
            session.post(
                url,
                data=body,
                headers=headers,
                timeout=settings.DRAGOMAN_FEDERATION_TIMEOUT,
                stream=True,
                allow_redirects=False,
            ) as response,
        ):
            return response.status_code
    except requests.RequestException as error:
        raise RemoteError(f"{url}: {error}") from error


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def actor_store(document: dict[str, Any], *, fetched_from: str) -> RemoteActor:
    """Keep a fetched actor document; its id must be on the server it came from."""
    uri = _text(document.get("id"))
    if not uri or domain_of(uri) != domain_of(fetched_from):
        raise RemoteError(f"The actor at {fetched_from} names an id on another server")
    inbox = _text(document.get("inbox"))
    if not inbox:
        raise RemoteError(f"The actor {uri} has no inbox")
    endpoints = document.get("endpoints")
    endpoints = endpoints if isinstance(endpoints, dict) else {}
    key = document.get("publicKey")
    if isinstance(key, list) and key:
        key = key[0]
    key = key if isinstance(key, dict) else {}
    values = {
        "domain": domain_of(uri),
        "kind": _text(document.get("type"))[:40] or "Person",
        "preferred_username": _text(document.get("preferredUsername"))[:200],
        "name": _text(document.get("name"))[:300],
        "url": _text(document.get("url"))[:500] if _text(document.get("url")) else "",
        "inbox": inbox[:500],
        "shared_inbox": _text(endpoints.get("sharedInbox"))[:500],
        "key_id": _text(key.get("id"))[:600],
        "public_key_pem": _text(key.get("publicKeyPem")),
        "fetched_at": timezone.now(),
    }
    actor, _created = RemoteActor.objects.update_or_create(uri=uri, defaults=values)
    return actor


def actor_get(uri: str, *, refresh: bool = False) -> RemoteActor:
    """The remote actor at ``uri``, from our copy when it is less than a day old."""
    uri = urldefrag(uri)[0]
    actor = RemoteActor.objects.filter(uri=uri).first()
    if actor is not None and not refresh and timezone.now() - actor.fetched_at < ACTOR_MAX_AGE:
        return actor
    return actor_store(get_json(uri), fetched_from=uri)


def key_pem(key_id: str, refresh: bool) -> str:
    """The public key of ``key_id`` (``<actor>#main-key``), for signature checks."""
    actor = RemoteActor.objects.filter(key_id=key_id).first()
    if actor is not None and actor.public_key_pem and not refresh:
        return actor.public_key_pem
    if actor is not None and refresh and timezone.now() - actor.fetched_at < timedelta(minutes=1):
        return actor.public_key_pem  # fetched a moment ago: asking again changes nothing
    document = get_json(urldefrag(key_id)[0])
    if document.get("type") in ("Key", "CryptographicKey") and document.get("owner"):
        actor = actor_get(str(document["owner"]), refresh=True)
    else:
        actor = actor_store(document, fetched_from=urldefrag(key_id)[0])
    if actor.key_id != key_id or not actor.public_key_pem:
        raise RemoteError(f"No key {key_id} on its actor")
    return actor.public_key_pem


def webfinger(handle: str) -> str:
    """The actor address of ``user@server`` (WebFinger), for following by handle."""
    handle = handle.strip().removeprefix("@")
    user, _, host = handle.partition("@")
    if not user or not host:
        raise RemoteError(f"Not a handle: {handle!r}")
    scheme = (
        "http" if settings.DRAGOMAN_FEDERATION_ALLOW_PRIVATE and _is_loopback(host) else "https"
    )
    document = get_json(
        f"{scheme}://{host}/.well-known/webfinger?resource=acct:{handle}", signed=False
    )
    for link in document.get("links", []):
        if isinstance(link, dict) and link.get("rel") == "self" and link.get("href"):
            return str(link["href"])
    raise RemoteError(f"No actor for {handle}")


def _is_loopback(host: str) -> bool:
    name = host.rsplit(":", 1)[0].strip("[]")
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return name == "localhost"


def strip_fragment(url: str) -> str:
    return urldefrag(url)[0]
