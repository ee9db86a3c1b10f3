"""Bounces and complaints: from a mail provider's webhook, or from a bounce mailbox.

Providers (Amazon SES, Mailgun, Postmark, SendGrid, ...) report through django-anymail's
tracking webhooks (``/anymail/<provider>/tracking/``, protected by ANYMAIL's
WEBHOOK_SECRET); anymail turns each provider's payload into one normalized event and sends
its ``tracking`` signal, which ``anymail_tracking_received`` forwards to the one service.

A plain SMTP server sends bounces back to the envelope sender
(DRAGOMAN_SUBSCRIPTIONS_BOUNCE_ADDRESS); ``subscriptions-bounces`` reads that mailbox
(DRAGOMAN_SUBSCRIPTIONS_BOUNCE_MAILBOX: ``imaps://user:password@host/INBOX``,
``imap://...``, ``maildir:/path`` or ``mbox:/path``), parses each message with the standard
library's ``email`` and asks flufl.bounce (GNU Mailman's bounce detectors: RFC 3464
delivery status notifications and the many non-standard formats of real servers) which
addresses failed for good. Temporary failures are ignored: the server tries again itself.
Each message read is deleted from the mailbox once handled.

A hard bounce or a complaint suspends the address (``services.address_suspend``).
"""

from __future__ import annotations

import contextlib
import email
import email.message
import imaplib
import logging
import mailbox
import urllib.parse
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from . import services
from .models import BounceCount

logger = logging.getLogger(__name__)


# Provider webhooks ---------------------------------------------------------------------------
def tracking_kind(event: Any) -> str | None:
    """BOUNCE, COMPLAINT or None (not a reason to stop writing) for an anymail event."""
    from anymail.signals import EventType, RejectReason

    esp_event = event.esp_event if isinstance(event.esp_event, dict) else {}
    if event.event_type == EventType.COMPLAINED:
        return BounceCount.Kind.COMPLAINT
    if event.event_type == EventType.BOUNCED:
        # Anymail reports some providers' soft bounces as "bounced" too: those pass.
        if str(esp_event.get("Type", "")).lower() in {"softbounce", "transient"}:
            return None
        return BounceCount.Kind.BOUNCE
    if event.event_type == EventType.REJECTED and event.reject_reason in {
        RejectReason.INVALID,
        RejectReason.BOUNCED,
    }:
        return BounceCount.Kind.BOUNCE
    return None


def anymail_tracking_received(sender: Any, event: Any, esp_name: str, **kwargs: Any) -> None:
    kind = tracking_kind(event)
    if kind and event.recipient:
        services.address_suspend(email=event.recipient, kind=kind, reason=f"{esp_name}: {kind}")


def connect() -> None:
    from anymail.signals import tracking

    tracking.connect(anymail_tracking_received, dispatch_uid="dragoman.subscriptions.tracking")


# The bounce mailbox --------------------------------------------------------------------------
def failed_addresses(message: email.message.Message) -> set[str]:
    """The addresses a bounce message says failed for good (none for a temporary failure or
    a message that is no bounce)."""
    from flufl.bounce import all_failures

    _temporary, permanent = all_failures(message)
    found = set()
    for address in permanent:
        text = address.decode("utf-8", "replace") if isinstance(address, bytes) else str(address)
        if "@" in text:
            found.add(text.strip().strip("<>"))
    return found


@dataclass
class MailboxReport:
    messages: int = 0
    suspended: int = 0


def _handle(message: email.message.Message, report: MailboxReport) -> None:
    report.messages += 1
    for address in failed_addresses(message):
        if services.address_suspend(
            email=address, kind=BounceCount.Kind.BOUNCE, reason="bounce message"
        ):
            report.suspended += 1


def _local_mailbox(kind: str, path: str) -> mailbox.Mailbox:
    if kind == "maildir":
        return mailbox.Maildir(path, create=False)
    return mailbox.mbox(path, create=False)


def _read_local(kind: str, path: str, report: MailboxReport) -> None:
    box = _local_mailbox(kind, path)
    box.lock()
    try:
        for key in list(box.keys()):
            raw = box.get_bytes(key)
            _handle(email.message_from_bytes(raw), report)
            box.remove(key)
        box.flush()
    finally:
        box.unlock()
        box.close()


def _read_imap(location: urllib.parse.SplitResult, report: MailboxReport) -> None:
    port = location.port or (993 if location.scheme == "imaps" else 143)
    host = location.hostname or "localhost"
    client: imaplib.IMAP4 = (
        imaplib.IMAP4_SSL(host, port, timeout=30)
        if location.scheme == "imaps"
        else imaplib.IMAP4(host, port, timeout=30)
    )
    try:
        if location.scheme == "imap" and getattr(settings, "DRAGOMAN_BOUNCE_IMAP_STARTTLS", True):
            client.starttls()
        client.login(
            urllib.parse.unquote(location.username or ""),
            urllib.parse.unquote(location.password or ""),
        )
        folder = urllib.parse.unquote(location.path.lstrip("/")) or "INBOX"
        client.select(folder)
        _status, data = client.uid("search", "ALL")
        for uid in (data[0] or b"").decode().split():
            _status, parts = client.uid("fetch", uid, "(RFC822)")
            raw = next((part[1] for part in parts if isinstance(part, tuple)), None)
            if raw is None:
                continue
            _handle(email.message_from_bytes(raw), report)
            client.uid("store", uid, "+FLAGS", "(\\Deleted)")
        client.expunge()
    finally:
        with contextlib.suppress(Exception):  # gone is closed enough
            client.logout()


def mailbox_read(location: str | None = None) -> MailboxReport:
    """Read every message of the bounce mailbox, suspend the addresses that failed for good,
    delete the messages. Does nothing when no mailbox is configured."""
    location = (
        location
        if location is not None
        else (getattr(settings, "DRAGOMAN_SUBSCRIPTIONS_BOUNCE_MAILBOX", "") or "")
    )
    report = MailboxReport()
    if not location:
        return report
    kind, _colon, rest = location.partition(":")
    if kind in {"maildir", "mbox"}:
        _read_local(kind, rest, report)
    elif kind in {"imap", "imaps"}:
        _read_imap(urllib.parse.urlsplit(location), report)
    else:
        raise ValueError(
            f"Unknown bounce mailbox {kind!r}: use imaps://, imap://, maildir: or mbox:"
        )
    return report
