"""The signed links in every message: confirm, manage, unsubscribe.

Each carries the subscriber's row number and its secret ``key``, signed with SECRET_KEY
(django.core.signing): a forged or altered link fails the signature, and the link of an
erased subscriber names a key that no longer exists. A confirmation link expires after
``CONFIRM_MAX_AGE``; the manage and unsubscribe links do not (RFC 8058 asks that an
unsubscribe link keep working), and die with the subscriber.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from .models import Subscriber

CONFIRM_SALT = "dragoman.subscriptions.confirm"
MANAGE_SALT = "dragoman.subscriptions.manage"
CONFIRM_MAX_AGE = timedelta(days=7)


class BadLink(Exception):
    """A link that is forged, damaged, expired, or whose subscriber is gone."""

    def __init__(self, *, expired: bool = False) -> None:
        super().__init__("expired" if expired else "bad")
        self.expired = expired


def _token(subscriber: Subscriber, salt: str) -> str:
    return signing.dumps([subscriber.pk, subscriber.key], salt=salt, compress=False)


def _subscriber(token: str, salt: str, max_age: timedelta | None = None) -> Subscriber:
    try:
        value = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as error:
        raise BadLink(expired=True) from error
    except signing.BadSignature as error:
        raise BadLink() from error
    if not (isinstance(value, list) and len(value) == 2):
        raise BadLink()
    pk, key = value
    if not isinstance(pk, int) or not isinstance(key, str):
        raise BadLink()
    subscriber = Subscriber.objects.filter(pk=pk, key=key).first()
    if subscriber is None:
        raise BadLink()
    return subscriber


def confirm_token(subscriber: Subscriber) -> str:
    return _token(subscriber, CONFIRM_SALT)


def manage_token(subscriber: Subscriber) -> str:
    return _token(subscriber, MANAGE_SALT)


def subscriber_for_confirm(token: str) -> Subscriber:
    return _subscriber(token, CONFIRM_SALT, CONFIRM_MAX_AGE)


def subscriber_for_manage(token: str) -> Subscriber:
    return _subscriber(token, MANAGE_SALT)


def confirm_url(subscriber: Subscriber) -> str:
    path = reverse("subscriptions:confirm", kwargs={"token": confirm_token(subscriber)})
    return settings.BASE_URL + path


def manage_url(subscriber: Subscriber) -> str:
    path = reverse("subscriptions:manage", kwargs={"token": manage_token(subscriber)})
    return settings.BASE_URL + path


def unsubscribe_url(subscriber: Subscriber) -> str:
    path = reverse("subscriptions:unsubscribe", kwargs={"token": manage_token(subscriber)})
    return settings.BASE_URL + path
