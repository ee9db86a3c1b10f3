"""What arrives at our inboxes: checked, then handed to one service.

Order of checks: the signature (unsigned, forged, tampered, stale or replayed: 401, nothing
changes); the signer must be the activity's actor (or on its server); blocked servers and
accounts are dropped with a log line (202, so they learn nothing); an activity id seen
before is answered 202 and not done twice.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.core.cache import cache

from . import moderation, services
from .models import LocalActor, RemoteActor
from .remote import RemoteError, actor_get, domain_of, key_pem, strip_fragment
from .signatures import Message, SignatureRefused, verify, window

logger = logging.getLogger(__name__)


class InboxError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def key_lookup(key_id: str, refresh: bool) -> str:
    try:
        return key_pem(key_id, refresh)
    except RemoteError as error:
        raise SignatureRefused(f"The signer's key cannot be fetched: {error}") from error


def receive(message: Message, *, local: LocalActor | None) -> str:
    """Check and act on one POST to an inbox; returns what was done, for the log."""
    try:
        key_id = verify(message, key_of=key_lookup)
    except SignatureRefused as error:
        logger.info("Inbox: refused %s: %s", message.url, error)
        raise InboxError(401, str(error)) from error
    try:
        document = json.loads(message.body)
    except ValueError as error:
        raise InboxError(400, "The body is not JSON.") from error
    if not isinstance(document, dict) or not isinstance(document.get("type"), str):
        raise InboxError(400, "The body is not an activity.")
    actor_uri = document.get("actor")
    if isinstance(actor_uri, dict):
        actor_uri = actor_uri.get("id")
    if not isinstance(actor_uri, str) or not actor_uri:
        raise InboxError(400, "The activity names no actor.")
    if domain_of(actor_uri) != domain_of(strip_fragment(key_id)):
        raise InboxError(401, "The signature is not the actor's.")
    domain = domain_of(actor_uri)
    if moderation.domain_blocked(domain) or moderation.actor_blocked(actor_uri):
        logger.info("Inbox: dropped %s from %s (blocked).", document.get("type"), actor_uri)
        return "dropped"
    activity_id = str(document.get("id", ""))
    if activity_id and not cache.add(
        "dragoman:fed:activity:" + activity_id, 1, timeout=int(window().total_seconds() * 2)
    ):
        return "seen"
    try:
        remote = actor_get(actor_uri)
    except RemoteError as error:
        raise InboxError(400, f"The actor cannot be fetched: {error}") from error
    try:
        return _act(document, remote=remote, local=local)
    except services.Refused as error:
        raise InboxError(422, str(error)) from error


def _object_id(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) else ""


def _local_of(uri: str) -> LocalActor | None:
    from .activities import actor_id

    username = uri.rstrip("/").rsplit("/", 1)[-1]
    actor = LocalActor.objects.filter(username=username).first()
    return actor if actor is not None and actor_id(actor) == uri else None


def _act(document: dict[str, Any], *, remote: RemoteActor, local: LocalActor | None) -> str:
    kind = document["type"]
    obj = document.get("object")
    if kind == "Follow":
        target = _local_of(_object_id(obj))
        if target is None:
            raise services.Refused("No such actor here.")
        services.follow_received(local=target, remote=remote, activity_id=str(document["id"]))
        return "followed"
    if kind == "Undo" and isinstance(obj, dict):
        if obj.get("type") == "Follow":
            target = _local_of(_object_id(obj.get("object")))
            if target is not None:
                services.follow_undone(local=target, remote=remote)
            return "unfollowed"
        if obj.get("type") in ("Like", "Announce"):
            services.reaction_undone(activity_id=_object_id(obj), actor_uri=remote.uri)
            return "reaction undone"
        return "ignored"
    if kind in ("Accept", "Reject") and isinstance(obj, dict | str):
        follow_object = obj if isinstance(obj, dict) else {}
        local_actor = _local_of(_object_id(follow_object.get("actor"))) if follow_object else None
        if local_actor is None and isinstance(obj, str):
            from .models import Follow

            follow = Follow.objects.filter(activity_id=obj, remote=remote).first()
            local_actor = follow.local if follow else None
        if local_actor is not None:
            services.follow_answered(local=local_actor, remote=remote, accepted=kind == "Accept")
        return kind.lower()
    if kind in ("Create", "Update") and isinstance(obj, dict):
        if obj.get("type") not in ("Note", "Article", "Page", "Question"):
            return "ignored"
        if _object_id(obj.get("attributedTo")) not in ("", remote.uri):
            raise services.Refused("The object is not the actor's.")
        in_reply_to = _object_id(obj.get("inReplyTo"))
        if in_reply_to and moderation.replies_refused(remote.domain, remote.uri):
            logger.info("Inbox: dropped a reply from %s (silenced).", remote.uri)
            return "dropped"
        if kind == "Update":
            return services.note_updated(remote=remote, note=obj)
        recipients: list[LocalActor | None] = (
            [local] if local is not None else [*_recipients(document, remote)]
        )
        for recipient in recipients or [None]:
            services.note_received(local=recipient, remote=remote, note=obj)
        return "received"
    if kind == "Announce" and isinstance(obj, dict) and not _is_our_entry(_object_id(obj)):
        # A group we follow relays a post (Lemmy, Guppe, another Dragoman's group); a boost
        # of one of our entries, even with the entry inside, is counted below.
        if obj.get("type") not in ("Note", "Article", "Page", "Question") or not obj.get("id"):
            return "ignored"
        followers = _recipients({}, remote)
        for follower in followers:
            services.relay_received(local=follower, group=remote, note=obj)
        return "relayed" if followers else "ignored"
    if kind in ("Like", "Announce"):
        counted = services.reaction_received(
            kind=kind,
            activity_id=str(document.get("id", "")),
            actor_uri=remote.uri,
            object_id=_object_id(obj),
        )
        return "counted" if counted else "ignored"
    if kind == "Delete":
        return services.object_deleted(remote=remote, object_id=_object_id(obj))
    return "ignored"


def _is_our_entry(object_id: str) -> bool:
    # An entry's id is its permanent address (activities.entry_object_id); a post of one of
    # our own actors relayed back to us by a group is not one, and is kept as relayed.
    from .activities import absolute

    return object_id.startswith(absolute("/entries/"))


def _recipients(document: dict[str, Any], remote: RemoteActor) -> list[LocalActor]:
    """Who a delivery to the shared inbox is for: our actors it addresses, and those that
    follow its sender."""
    from .models import Follow

    addressed: list[LocalActor] = []
    for field in ("to", "cc"):
        values = document.get(field) or []
        for uri in [values] if isinstance(values, str) else values:
            if isinstance(uri, str) and (actor := _local_of(uri)) is not None:
                addressed.append(actor)
    following = LocalActor.objects.filter(
        follows__remote=remote,
        follows__direction=Follow.Direction.OUTGOING,
        follows__status=Follow.Status.ACCEPTED,
    )
    return list({actor.pk: actor for actor in [*addressed, *following]}.values())
