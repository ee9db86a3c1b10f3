"""Signed requests to our inbox from an actor whose copy we hold (as after a first fetch)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.test import Client

from dragoman.federation.models import RemoteActor
from dragoman.federation.signatures import CAVAGE, Message, key_pair_new, sign

REMOTE_ACTOR = "https://other.example/users/ana"
KEY_ID = REMOTE_ACTOR + "#main-key"
PRIVATE, PUBLIC = key_pair_new()


def remote_actor() -> RemoteActor:
    actor, _created = RemoteActor.objects.get_or_create(
        uri=REMOTE_ACTOR,
        defaults={
            "domain": "other.example",
            "preferred_username": "ana",
            "inbox": REMOTE_ACTOR + "/inbox",
            "shared_inbox": "https://other.example/inbox",
            "key_id": KEY_ID,
            "public_key_pem": PUBLIC,
        },
    )
    return actor


def signed_post(
    client: Client,
    path: str,
    document: dict[str, Any],
    *,
    scheme: str = CAVAGE,
    private_key_pem: str = PRIVATE,
    now: datetime | None = None,
    **change: Any,
) -> Any:
    """POST ``document`` signed by the remote actor (or with another key, or at another
    time); ``change`` alters the request after signing (body=..., or a header by name) to
    test refusals."""
    url = "http://testserver" + path
    message = Message.of("POST", url, {"Content-Type": "application/activity+json"})
    message.body = json.dumps(document).encode()
    sign(message, key_id=KEY_ID, private_key_pem=private_key_pem, scheme=scheme, now=now)
    body = change.pop("body", message.body)
    headers = {**dict(message.headers), **change}
    headers.pop("host", None)
    return client.post(
        path,
        data=body,
        content_type=headers.pop("content-type"),
        headers=headers,
    )


def signed_get(client: Client, path: str, *, scheme: str = CAVAGE, **headers: str) -> Any:
    """GET ``path`` as an ActivityPub client, signed by the remote actor (authorized fetch)."""
    url = "http://testserver" + path
    message = Message.of("GET", url, {"Accept": "application/activity+json"})
    sign(message, key_id=KEY_ID, private_key_pem=PRIVATE, scheme=scheme)
    sent = {**dict(message.headers), **headers}
    sent.pop("host", None)
    return client.get(path, headers=sent)
