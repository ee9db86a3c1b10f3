"""The comment form's defences against forgery and abuse, without cookies or third parties.

Entry pages come from a shared page cache and carry no cookie, so Django's CSRF token (a
per-visitor cookie) cannot protect the comment form. Instead:

- the browser's Origin header (or, failing that, the Referer) must name this site: another
  site cannot make a visitor's browser post a comment here;
- a hidden field carries a signed timestamp (django.core.signing with SECRET_KEY): a form
  sent less than a few seconds after the page was made (a robot) or more than a day later
  (a replayed form) is refused;
- a honeypot field, invisible to people, must stay empty;
- each client may send a few comments per period; the counter lives in the cache under an
  HMAC of the address with SECRET_KEY, so neither the cache nor the database holds an IP;
- a cap on links, the digital team's blocklist, duplicate detection and, when a key is
  configured, Akismet.

The campaign, question and follow forms stand on cached pages too and use these defences, so
what a refusal says names no comment: "the form", "your request".
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import re
import time
import unicodedata
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.http import HttpRequest
from django.utils.translation import gettext as _

from dragoman.core.counters import count_in_window
from dragoman.core.hosts import every_origin

logger = logging.getLogger(__name__)

STAMP_SALT = "dragoman.conversations.form-stamp"
RATE_KEY = "conversations:rate:{client}"
AKISMET_URL = "https://{key}.rest.akismet.com/1.1/comment-check"
_ALLOWED_CONTROLS = {"\n", "\r", "\t"}


@dataclass
class Refusal(Exception):
    """A request the defences turn away, with what to tell the person and the HTTP status."""

    message: str
    status: int = 400
    # True when the reader should get the form back to send again (stamp too old, too fast).
    resend: bool = False


# Settings, read on each call so that tests and deployments can change them -------------------
def min_seconds() -> float:
    return float(getattr(settings, "DRAGOMAN_COMMENT_MIN_SECONDS", 3))


def max_age_seconds() -> int:
    return int(getattr(settings, "DRAGOMAN_COMMENT_MAX_AGE", 24 * 60 * 60))


def rate_limit() -> tuple[int, int]:
    """(comments, seconds) a client may send."""
    return (
        int(getattr(settings, "DRAGOMAN_COMMENT_RATE_COUNT", 5)),
        int(getattr(settings, "DRAGOMAN_COMMENT_RATE_PERIOD", 600)),
    )


def max_links() -> int:
    return int(getattr(settings, "DRAGOMAN_COMMENT_MAX_LINKS", 2))


# The client ---------------------------------------------------------------------------------
def client_address(request: HttpRequest) -> str:
    header = getattr(settings, "DRAGOMAN_CLIENT_IP_HEADER", "")
    if header and request.META.get(header):
        # Set by our own front server (e.g. X-Real-IP); never trusted unless configured.
        return str(request.META[header]).split(",")[0].strip()
    return str(request.META.get("REMOTE_ADDR", ""))


def client_hash(address: str) -> str:
    """The keyed hash that stands for a client address wherever we need to recognise it."""
    return hmac.new(
        settings.SECRET_KEY.encode(), f"client:{address}".encode(), hashlib.sha256
    ).hexdigest()


def benchmark_mode(request: HttpRequest) -> bool:
    """Loopback load tests may skip the minimum time and the rate limit, nothing else.

    Off by default (DRAGOMAN_COMMENT_BENCHMARK=1 turns it on) and, even then, only for
    requests from this machine, so a deployment that forgets it on stays protected.
    """
    if not getattr(settings, "DRAGOMAN_COMMENT_BENCHMARK", False):
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


# Same origin --------------------------------------------------------------------------------
def _origin_of(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}".lower()


def allowed_origins(request: HttpRequest) -> set[str]:
    # The form is posted from whichever host the reader came by (a mirror, the onion).
    origins = {_origin_of(origin) for origin in every_origin()}
    origins.update(_origin_of(origin) for origin in settings.CSRF_TRUSTED_ORIGINS)
    origins.add(f"{request.scheme}://{request.get_host()}".lower())
    return origins - {""}


def check_origin(request: HttpRequest) -> None:
    """Refuse a post that another site made the visitor's browser send."""
    origin = request.META.get("HTTP_ORIGIN", "")
    if not origin or origin == "null":
        origin = _origin_of(request.META.get("HTTP_REFERER", ""))
    if not origin:
        raise Refusal(
            _(
                "Your browser did not say which page sent this form, so we cannot accept it. "
                "Please send it from the form on our site."
            ),
            status=403,
        )
    if origin.lower().rstrip("/") not in allowed_origins(request):
        raise Refusal(_("This form can only be sent from this site's own pages."), status=403)


# The signed form stamp ---------------------------------------------------------------------
def form_stamp(*, entry_id: int, now: float | None = None) -> str:
    return signing.dumps(
        {"e": entry_id, "t": int(now if now is not None else time.time())}, salt=STAMP_SALT
    )


def check_stamp(
    request: HttpRequest, *, stamp: str, entry_id: int | None, salt: str = STAMP_SALT
) -> None:
    """The form must come from this entry's page, neither too quickly nor too late.

    Another form signs its stamps with a salt of its own; one that stands on any page (the
    follow form) has no entry_id to check."""
    try:
        data = signing.loads(stamp, salt=salt, max_age=max_age_seconds())
    except signing.SignatureExpired as error:
        raise Refusal(
            _("The form was open for too long. Please send it again."), resend=True
        ) from error
    except signing.BadSignature as error:
        raise Refusal(
            _("The form was damaged on its way. Please send it again."), resend=True
        ) from error
    if not isinstance(data, dict) or (entry_id is not None and data.get("e") != entry_id):
        raise Refusal(_("This form belongs to another page. Please send it again."), resend=True)
    if benchmark_mode(request):
        return
    if time.time() - float(data.get("t", 0)) < min_seconds():
        raise Refusal(_("That was very fast. Please send the form again."), resend=True)


# Honeypot -----------------------------------------------------------------------------------
def check_honeypot(value: str) -> None:
    if value:
        raise Refusal(_("Your request could not be accepted."))


# Rate limit ---------------------------------------------------------------------------------
def check_rate(request: HttpRequest) -> None:
    """Count this attempt; refuse beyond the limit for the rest of the period."""
    if benchmark_mode(request):
        return
    count, period = rate_limit()
    key = RATE_KEY.format(client=client_hash(client_address(request)))
    # Counted in one atomic step, so concurrent comments cannot all pass on the same count.
    attempts = count_in_window(key, period=period)
    if attempts > count:
        raise Refusal(
            _("You have sent this form several times in a short time. Please wait a few minutes."),
            status=429,
        )


def check_submission(request: HttpRequest, *, target_id: int | None, closed: str = "") -> None:
    """Every defence of a public form, in the order that costs least for what is refused
    most: another site's post, a closed form (``closed`` says why), a robot's filled trap,
    too many posts, then the stamp of the page the form stands on (``target_id``)."""
    check_origin(request)
    if closed:
        raise Refusal(closed, status=403)
    check_honeypot(request.POST.get("website", ""))
    check_rate(request)
    check_stamp(request, stamp=request.POST.get("stamp", ""), entry_id=target_id)


# Content ------------------------------------------------------------------------------------
def control_characters(text: str) -> list[str]:
    """Invisible control characters (not tabs or line breaks): never typed by a person."""
    return [c for c in text if unicodedata.category(c) == "Cc" and c not in _ALLOWED_CONTROLS]


def link_limit_exceeded(text: str) -> int | None:
    """The most links a text may hold, when this one holds more; None when it is within."""
    from .rendering import count_links

    limit = max_links()
    return limit if count_links(text) > limit else None


def blocked_word(text: str, blocklist: list[str]) -> str | None:
    """The first blocklisted word or phrase in the text, if any (whole words, any case)."""
    folded = text.casefold()
    for word in blocklist:
        if re.search(r"(?<!\w)" + re.escape(word) + r"(?!\w)", folded):
            return word
    return None


def body_hash(text: str) -> str:
    """Equal for the same words however spaced or capitalised: for duplicate detection."""
    normal = " ".join(text.casefold().split())
    return hashlib.sha256(normal.encode()).hexdigest()


# Akismet ------------------------------------------------------------------------------------
def akismet_says_spam(*, request: HttpRequest, name: str, email: str, body: str) -> bool:
    """Ask Akismet when a key is configured. Any failure means "not known spam": the blog's
    usual moderation applies, so a network problem never loses a comment."""
    key = getattr(settings, "DRAGOMAN_AKISMET_KEY", "")
    if not key:
        return False
    data = urllib.parse.urlencode(
        {
            "blog": settings.BASE_URL,
            "user_ip": client_address(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", ""),
            "referrer": request.META.get("HTTP_REFERER", ""),
            "comment_type": "comment",
            "comment_author": name,
            "comment_author_email": email,
            "comment_content": body,
        }
    ).encode()
    request_to_akismet = urllib.request.Request(AKISMET_URL.format(key=key), data=data)  # noqa: S310 - fixed https address
    try:
        with urllib.request.urlopen(request_to_akismet, timeout=5) as response:  # noqa: S310
            return bool(response.read().strip() == b"true")
    except OSError:
        logger.warning("Akismet did not answer; the comment goes to moderation.")
        return False
