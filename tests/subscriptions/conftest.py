"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, and helpers to
follow something, confirm, and publish an entry as the site does."""

from __future__ import annotations

import email
import email.policy
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from dragoman.subscriptions import defences, links, services
from dragoman.subscriptions.models import Subscriber
from tests.factories import EntryFactory
from tests.ports import free_port

# This session's ports (18400-18499): the first free one from here.
ORIGIN = "http://testserver"


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


@dataclass
class MailServer:
    """What the SMTP server took, and how it should answer the next recipients."""

    port: int = 0
    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)  # 550 for these recipients
    busy: bool = False  # 451 for every recipient: a temporary failure

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if self.busy:
            return "451 4.3.2 Please try again later"
        if address in self.refuse:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), message)  # type: ignore[arg-type]
        )
        return "250 OK: queued"

    def to(self, address: str) -> list[EmailMessage]:
        return [r.message for r in self.received if address in r.rcpt_tos]


@pytest.fixture
def smtp(settings: Any) -> Iterator[MailServer]:
    from aiosmtpd.controller import Controller

    server = MailServer()
    server.port = free_port()
    controller = Controller(server, hostname="127.0.0.1", port=server.port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    try:
        yield server
    finally:
        controller.stop()


@pytest.fixture(autouse=True)
def _subscription_settings(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DRAGOMAN_PAGE_CACHE = False
    settings.DRAGOMAN_COMMENT_BENCHMARK = False
    settings.DRAGOMAN_SUBSCRIPTIONS_RATE = 0  # tests do not wait
    settings.DRAGOMAN_SUBSCRIPTIONS_FROM_EMAIL = "news@dragoman.test"
    settings.DRAGOMAN_SUBSCRIPTIONS_BOUNCE_ADDRESS = "bounces@dragoman.test"
    settings.BASE_URL = "http://testserver"
    cache.clear()


@pytest.fixture
def blog_entry(db: Any) -> Any:
    """An entry already published, whose blog readers may follow."""
    return EntryFactory(title="Old news", date=timezone.now() - timedelta(days=30))


def form_data(kind: str, value: Any, **overrides: Any) -> dict[str, Any]:
    """The follow form as a person's browser sends it, ten seconds after the page."""
    data = {
        "kind": kind,
        "value": str(value),
        "email": "amina@example.org",
        "frequency": "each",
        "website": "",
        "stamp": defences.form_stamp(now=time.time() - 10),
    }
    data.update(overrides)
    return data


def post_follow(client: Any, kind: str, value: Any, *, language: str = "", **overrides: Any) -> Any:
    prefix = f"/{language}" if language else ""
    return client.post(
        prefix + reverse("subscriptions:follow"),
        form_data(kind, value, **overrides),
        headers={"Origin": ORIGIN},
    )


def confirmed(email_address: str, *, kind: str, value: Any, frequency: str = "each") -> Subscriber:
    """A subscriber who followed and confirmed, through the services."""
    subscriber = services.subscription_request(
        email=email_address, kind=kind, value=str(value), frequency=frequency, language="en"
    )
    assert subscriber is not None
    services.subscriber_confirm(subscriber=subscriber)
    subscriber.refresh_from_db()
    return subscriber


def publish_entry(blog: Any, capture: Any, **kwargs: Any) -> Any:
    """Publish a new entry on the blog as an editor does; the after-commit work runs."""
    kwargs.setdefault("date", timezone.now() - timedelta(minutes=5))
    kwargs.setdefault("title", "A new consulate opens")
    with capture(execute=True):
        return EntryFactory(blog=blog, **kwargs)


def link_in(text: str, marker: str) -> str:
    for word in text.split():
        if marker in word:
            return word.strip("<>\"'")
    raise AssertionError(f"no link with {marker!r} in {text!r}")


__all__ = ["confirmed", "form_data", "link_in", "links", "post_follow", "publish_entry"]
