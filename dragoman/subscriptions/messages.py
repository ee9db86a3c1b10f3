"""The messages: a confirmation, one entry, a digest. Plain text and HTML, in the language
the reader subscribed in (right to left for Arabic and Persian), with the RFC 8058 headers.

Every message carries the reader's signed manage link; entry messages and digests also
carry ``List-Unsubscribe`` (the one-click address, POST only) and
``List-Unsubscribe-Post: List-Unsubscribe=One-Click``, so that a mail program's
"unsubscribe" button works without the reader opening anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from email.utils import formataddr, make_msgid
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dragoman.blogs.models import EntryPage
from dragoman.core.languages import direction
from dragoman.core.queries import network_identity

from . import links, queries
from .models import Subscriber


def site_name() -> str:
    """The network's name in the active language."""
    return str(network_identity()[0])


def from_address() -> str:
    """The From header: the network's name and DRAGOMAN_SUBSCRIPTIONS_FROM_EMAIL."""
    address = getattr(settings, "DRAGOMAN_SUBSCRIPTIONS_FROM_EMAIL", "") or (
        settings.DEFAULT_FROM_EMAIL
    )
    return formataddr((site_name(), address))


def envelope_sender() -> str:
    """The envelope sender (Return-Path): the bounce mailbox when there is one, so that
    bounces land where ``subscriptions-bounces`` reads them."""
    return getattr(settings, "DRAGOMAN_SUBSCRIPTIONS_BOUNCE_ADDRESS", "") or (
        getattr(settings, "DRAGOMAN_SUBSCRIPTIONS_FROM_EMAIL", "") or settings.DEFAULT_FROM_EMAIL
    )


def _list_id() -> str:
    host = urlsplit(settings.BASE_URL).hostname or "localhost"
    return f"<subscriptions.{host}>"


def _message(
    subscriber: Subscriber,
    *,
    subject: str,
    template: str,
    context: dict[str, Any],
    list_headers: bool,
) -> EmailMultiAlternatives:
    context = {
        **context,
        "subscriber": subscriber,
        "language": subscriber.language,
        "direction": direction(subscriber.language),
        "manage_url": links.manage_url(subscriber),
        "site_name": site_name(),
        "base_url": settings.BASE_URL,
        "subject": subject,
    }
    text = render_to_string(f"subscriptions/email/{template}.txt", context)
    html = render_to_string(f"subscriptions/email/{template}.html", context)
    headers = {
        "From": from_address(),
        "Message-ID": make_msgid(domain=urlsplit(settings.BASE_URL).hostname or "localhost"),
        "Content-Language": subscriber.language,
    }
    if list_headers:
        headers.update(
            {
                "List-Id": _list_id(),
                "List-Unsubscribe": f"<{links.unsubscribe_url(subscriber)}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                # Mail programs should not answer a newsletter with an out-of-office reply.
                "Auto-Submitted": "auto-generated",
                "Precedence": "bulk",
            }
        )
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=envelope_sender(),
        to=[subscriber.email],
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    return message


def confirmation_message(subscriber: Subscriber) -> EmailMultiAlternatives:
    with translation.override(subscriber.language):
        follows = [
            queries.follow_label(follow)
            for follow in subscriber.follows.filter(confirmed_at__isnull=True).order_by("pk")
        ]
        return _message(
            subscriber,
            subject=_("Please confirm your subscription"),
            template="confirm",
            context={"follows": follows, "confirm_url": links.confirm_url(subscriber)},
            list_headers=False,
        )


def _entry_context(entry: EntryPage) -> dict[str, Any]:
    item = {
        "entry": entry,
        "entry_url": entry.reader_url(),
        "entry_direction": direction(entry.language),
    }
    return {**item, "entry_item": item}


def entry_message(subscriber: Subscriber, entry: EntryPage) -> EmailMultiAlternatives:
    with translation.override(subscriber.language):
        return _message(
            subscriber,
            subject=entry.title,
            template="entry",
            context=_entry_context(entry),
            list_headers=True,
        )


def digest_message(subscriber: Subscriber, entries: Sequence[EntryPage]) -> EmailMultiAlternatives:
    with translation.override(subscriber.language):
        subject = ngettext(
            "%(count)d new entry from %(site)s",
            "%(count)d new entries from %(site)s",
            len(entries),
        ) % {"count": len(entries), "site": site_name()}
        return _message(
            subscriber,
            subject=subject,
            template="digest",
            context={"entries": [_entry_context(entry) for entry in entries]},
            list_headers=True,
        )
