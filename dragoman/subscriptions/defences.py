"""The follow form's defences: the comment form's (``conversations/defences.py``), with this
form's own salt, counter and messages; the Origin and honeypot checks are the same functions.

- the browser's Origin (or Referer) must be this site;
- a signed timestamp: not sent within a few seconds of the page, nor a day later;
- a honeypot field that must stay empty;
- a few requests per client per period (a keyed hash of the address, in the cache);
- and, in the service, at most one confirmation message per address per day, so a form
  posted a thousand times for one address sends one message.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core import signing
from django.http import HttpRequest
from django.utils.translation import gettext as _

from dragoman.conversations import defences as conversation_defences
from dragoman.conversations.defences import (
    Refusal,
    benchmark_mode,
    check_honeypot,
    check_origin,
    client_address,
    client_hash,
)
from dragoman.core.counters import count_in_window

__all__ = ["Refusal", "check_honeypot", "check_origin", "check_rate", "check_stamp", "form_stamp"]

STAMP_SALT = "dragoman.subscriptions.form-stamp"
RATE_KEY = "subscriptions:rate:{client}"


def rate_limit() -> tuple[int, int]:
    """(requests, seconds) a client may send."""
    return (
        int(getattr(settings, "DRAGOMAN_SUBSCRIPTIONS_FORM_RATE_COUNT", 10)),
        int(getattr(settings, "DRAGOMAN_SUBSCRIPTIONS_FORM_RATE_PERIOD", 600)),
    )


def form_stamp(*, now: float | None = None) -> str:
    return signing.dumps({"t": int(now if now is not None else time.time())}, salt=STAMP_SALT)


def check_stamp(request: HttpRequest, *, stamp: str) -> None:
    # The comment form's check under this form's salt: the form stands on any page.
    conversation_defences.check_stamp(request, stamp=stamp, entry_id=None, salt=STAMP_SALT)


def check_rate(request: HttpRequest) -> None:
    if benchmark_mode(request):
        return
    count, period = rate_limit()
    key = RATE_KEY.format(client=client_hash(client_address(request)))
    if count_in_window(key, period=period) > count:
        raise Refusal(
            _("You have sent this form several times in a short time. Please wait a few minutes."),
            status=429,
        )
