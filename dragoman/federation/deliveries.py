"""Deliveries to other servers: one task per inbox, signed, retried with a growing delay.

Publishing an entry queues one fan-out task (the ``EntryChanged`` listener, after commit);
that task works out Create, Update or Delete and queues one delivery per distinct inbox
(a server's shared inbox once, however many of its people follow). A delivery that fails is
tried again later, on its own, waiting 1 min, 4, 16... First attempts go in tasks of up to
``BATCH`` inboxes, each posting to ``POOL`` of them at once from a bounded pool of threads
(signing is per inbox: a signature covers the address). A server failing for more than
``PAUSE_AFTER_FAILURES`` deliveries in a row is paused (its deliveries wait, without trying),
and one failing for ``DROP_AFTER_DAYS`` days is dropped. None of this runs in the request
that published: publishing costs one queued task, whatever the number of followers.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import default_task_backend, task

from . import moderation
from .models import LocalActor, RemoteServer
from .remote import RemoteError, domain_of, post
from .signatures import CAVAGE, RFC9421, Message, sign

logger = logging.getLogger(__name__)

ATTEMPTS = 8
FIRST_DELAY = timedelta(minutes=1)
PAUSE_AFTER_FAILURES = 5
PAUSE = timedelta(hours=1)
DROP_AFTER_DAYS = 7
# One task delivers to up to BATCH inboxes, POOL at once (bench/federation.py measures it).
BATCH = 50
POOL = 16
CONTENT_TYPE = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'


def send_after_commit(
    *, actor: LocalActor, inboxes: Iterable[str], document: dict[str, Any]
) -> None:
    """Queue the deliveries, each distinct inbox once, once the current transaction commits:
    in tasks of up to ``BATCH`` inboxes, each task posting to ``POOL`` inboxes at a time."""
    distinct = sorted(set(inboxes))
    body = json.dumps(document)
    actor_id = actor.pk

    def enqueue() -> None:
        for start in range(0, len(distinct), BATCH):
            batch = distinct[start : start + BATCH]
            try:
                if len(batch) == 1:
                    inbox_deliver.enqueue(actor_id=actor_id, inbox=batch[0], body=body, attempt=1)
                else:
                    inboxes_deliver.enqueue(actor_id=actor_id, inboxes=batch, body=body)
            except Exception:  # the queue's database away: logged, the change stands
                logger.exception("Could not queue deliveries to %d inboxes", len(batch))

    transaction.on_commit(enqueue)


def _signed(actor: LocalActor, inbox: str, body: bytes, scheme: str) -> dict[str, str]:
    from .activities import key_id

    message = Message.of("POST", inbox, {"Content-Type": CONTENT_TYPE, "Accept": CONTENT_TYPE})
    message.body = body
    sign(message, key_id=key_id(actor), private_key_pem=actor.private_key_pem, scheme=scheme)
    return dict(message.headers)


def _schemes(server: RemoteServer) -> list[str]:
    return [RFC9421, CAVAGE] if server.signature_scheme != CAVAGE else [CAVAGE]


def _attempt(actor: LocalActor, inbox: str, body: bytes, schemes: list[str]) -> tuple[int, str]:
    """POST one signed activity, RFC 9421 first, then cavage if that fails: the status and
    the scheme that worked. No database here: this runs in the pool's threads."""
    status, used = 0, ""
    for scheme in schemes:
        status = post(inbox, body, _signed(actor, inbox, body, scheme))
        # Any failure of the first knock tries the other scheme: servers that do not know
        # RFC 9421 answer 401, and some fail on its headers with a 500.
        if 200 <= status < 300:
            used = scheme
            break
    return status, used


def _remember_scheme(server: RemoteServer, scheme: str) -> None:
    """The scheme that worked, so that a server that knows only cavage is not asked twice."""
    if scheme and server.signature_scheme != scheme:
        RemoteServer.objects.filter(pk=server.pk).update(signature_scheme=scheme)
        server.signature_scheme = scheme


def deliver_now(actor: LocalActor, inbox: str, body: bytes) -> int:
    """POST one signed activity now (RFC 9421, then cavage); the status code."""
    server, _created = RemoteServer.objects.get_or_create(domain=domain_of(inbox))
    status, scheme = _attempt(actor, inbox, body, _schemes(server))
    _remember_scheme(server, scheme)
    return status


def _health_ok(server: RemoteServer) -> None:
    if server.failures or server.paused_until or server.failing_since:
        RemoteServer.objects.filter(pk=server.pk).update(
            failures=0, failing_since=None, paused_until=None, last_success_at=timezone.now()
        )


def _health_failed(server: RemoteServer) -> None:
    now = timezone.now()
    failing_since = server.failing_since or now
    failures = server.failures + 1
    values: dict[str, Any] = {"failures": failures, "failing_since": failing_since}
    if failures >= PAUSE_AFTER_FAILURES:
        values["paused_until"] = now + PAUSE
    if now - failing_since > timedelta(days=DROP_AFTER_DAYS):
        values["dropped"] = True
        logger.warning("Dropping %s: failing for %d days.", server.domain, DROP_AFTER_DAYS)
    RemoteServer.objects.filter(pk=server.pk).update(**values)


def _later(actor_id: int, inbox: str, body: str, attempt: int, delay: timedelta) -> None:
    if default_task_backend.supports_defer:
        inbox_deliver.using(run_after=timezone.now() + delay).enqueue(
            actor_id=actor_id, inbox=inbox, body=body, attempt=attempt
        )
    else:
        inbox_deliver.enqueue(actor_id=actor_id, inbox=inbox, body=body, attempt=attempt)


def _ready(inbox: str, body: str, actor_id: int, attempt: int) -> RemoteServer | None:
    """The inbox's server if a delivery may go now; otherwise None (blocked, dropped, or
    paused: then the delivery waits for the end of the pause)."""
    domain = domain_of(inbox)
    if moderation.domain_blocked(domain):
        logger.info("Not delivering to %s: the server is blocked.", domain)
        return None
    server, _created = RemoteServer.objects.get_or_create(domain=domain)
    if server.dropped:
        return None
    now = timezone.now()
    if server.paused_until and server.paused_until > now:
        _later(actor_id, inbox, body, attempt, server.paused_until - now)
        return None
    return server


def _outcome(
    server: RemoteServer, actor_id: int, inbox: str, body: str, attempt: int, result: Any
) -> None:
    """Record what one delivery came to: health of its server, and the next attempt."""
    if isinstance(result, RemoteError):
        status, reason = 0, str(result)
    else:
        status, scheme = result
        reason = f"status {status}"
        _remember_scheme(server, scheme)
    if 200 <= status < 300:
        _health_ok(server)
        return
    if 400 <= status < 500 and status not in (408, 429):
        # The server understood and refused: trying again would only be refused again.
        logger.warning("Delivery to %s refused (%s); not retried.", inbox, reason)
        return
    _health_failed(server)
    if attempt >= ATTEMPTS:
        logger.warning("Delivery to %s failed %d times (%s); given up.", inbox, attempt, reason)
        return
    logger.info("Delivery to %s failed (%s); attempt %d queued.", inbox, reason, attempt + 1)
    _later(actor_id, inbox, body, attempt + 1, FIRST_DELAY * 4 ** (attempt - 1))


def _attempt_safely(
    actor: LocalActor, inbox: str, body: bytes, schemes: list[str]
) -> tuple[int, str] | RemoteError:
    try:
        return _attempt(actor, inbox, body, schemes)
    except RemoteError as error:
        return error


@task()
def inbox_deliver(*, actor_id: int, inbox: str, body: str, attempt: int) -> None:
    """Deliver one activity to one inbox; on failure, queue the next attempt."""
    server = _ready(inbox, body, actor_id, attempt)
    actor = LocalActor.objects.filter(pk=actor_id).first()
    if server is None or actor is None:
        return
    result = _attempt_safely(actor, inbox, body.encode(), _schemes(server))
    _outcome(server, actor_id, inbox, body, attempt, result)


@task()
def inboxes_deliver(*, actor_id: int, inboxes: list[str], body: str) -> None:
    """Deliver one activity to many inboxes (first attempts), ``POOL`` at a time: the posts
    run in threads, so a slow server holds one thread for its timeout, never the others;
    the database is read and written only here, before and after. A failed inbox is tried
    again on its own (``inbox_deliver``), with the usual delays."""
    actor = LocalActor.objects.filter(pk=actor_id).first()
    if actor is None:
        return
    ready = [(inbox, server) for inbox in inboxes if (server := _ready(inbox, body, actor_id, 1))]
    encoded = body.encode()
    with ThreadPoolExecutor(max_workers=POOL, thread_name_prefix="federation-delivery") as pool:
        results = pool.map(
            lambda pair: _attempt_safely(actor, pair[0], encoded, _schemes(pair[1])), ready
        )
        for (inbox, server), result in zip(ready, results, strict=True):
            _outcome(server, actor_id, inbox, body, 1, result)
