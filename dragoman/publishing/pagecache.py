"""The page cache: public pages rendered once, compressed once, served many times.

How it stays exact. Every stored page remembers the *dependencies* it was rendered from
(``entry:42``, ``blog:<slug>``, ``tag:<slug>``, ``month:2025-03``, ``home``, ``feeds``...; see
``dependencies.py``) together with the version token each had at render time. A change bumps
the tokens of the dependencies it touches (``services.py``); a stored page whose snapshot no
longer matches is a miss. Tokens live in the shared cache (Redis at scale), so every process
sees a bump at once. On top of that each process keeps the hottest pages in memory, and one
*epoch* token, changed by every bump, tells it whether anything changed since it last checked:
a hit costs one small cache read.

Ordering makes it race-free: a bump writes the dependency tokens, then the epoch; a reader
reads the epoch, then the tokens; a page is stored only if the epoch did not change while it
was rendered.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from typing import Any
from urllib.parse import parse_qsl, quote

import brotli
from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.signals import setting_changed

EPOCH_KEY = "dragoman:pc:epoch"
SITE = "site"  # every stored page depends on it; bumping it empties the page cache

# Only text compresses; images and the like pass through Django untouched.
COMPRESSIBLE_TYPES = (
    "text/",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/json",
    "application/ld+json",
)
# Accept: blog, profile and entry addresses also answer ActivityPub clients
# (dragoman/federation), which a CDN must not be given the HTML form.
VARY = "Accept, Accept-Encoding"
# Headers the cache writes itself on every response it serves.
OWN_HEADERS = frozenset(
    {
        "content-length",
        "content-encoding",
        "vary",
        "etag",
        "last-modified",
        "cache-control",
        "expires",
        "x-cache",
        "set-cookie",
    }
)
# Never served from or stored in the cache: staff, uploads, files with their own rules.
# The probes of load balancers and Prometheus (operations) never touch the cache either: they
# must answer, and say so, when the cache is down.
EXCLUDED_PREFIXES = (
    "/admin/",
    "/django-admin/",
    "/static/",
    "/media/",
    "/documents/",
    "/healthz",
    "/readyz",
    "/metrics",
)


class HitSettings:
    """The settings a page-cache hit reads, copied from Django's settings once: each read
    through the lazy settings object runs Python code, and a hit read six (about a tenth of
    the hit's own work). Copied again when a test changes a setting (``setting_changed``)."""

    def __init__(self) -> None:
        self.page_cache = bool(settings.DRAGOMAN_PAGE_CACHE)
        self.session_cookie = str(settings.SESSION_COOKIE_NAME)
        self.ssl_redirect = bool(settings.SECURE_SSL_REDIRECT)
        self.files_dir = str(getattr(settings, "DRAGOMAN_PAGE_FILES_DIR", "") or "")
        self.check_interval = float(settings.DRAGOMAN_PAGE_CACHE_CHECK_INTERVAL)
        # Browsers revalidate (a 304 is cheap); a CDN keeps the page until purged or expired.
        self.cache_control = f"public, max-age=0, s-maxage={settings.DRAGOMAN_CDN_MAX_AGE}"


_hit_settings: HitSettings | None = None


def hit_settings() -> HitSettings:
    global _hit_settings
    if _hit_settings is None:
        _hit_settings = HitSettings()
    return _hit_settings


def _settings_changed(**kwargs: Any) -> None:
    global _hit_settings
    _hit_settings = None
    if _local is not None:
        _local.clear()  # their answers (``CachedPage.answer``) name the settings of before


setting_changed.connect(_settings_changed, dispatch_uid="dragoman_page_cache_hit_settings")


def cache() -> BaseCache:
    return caches[getattr(settings, "DRAGOMAN_PAGE_CACHE_ALIAS", "default")]


def new_token() -> str:
    return uuid.uuid4().hex[:16]


def version_key(dependency: str) -> str:
    return "dragoman:pc:v:" + quote(dependency, safe=":-_.")


# Parameters that make an address go to Django every time: apps add theirs in their
# AppConfig.ready (migration: an old WordPress site's `?p=123`, which redirects).
UNCACHED_PARAMETERS: set[str] = set()


def page_key(path: str, query_string: str, *, host: str) -> str | None:
    """The cache key of an address, or None when the address must not use the cache.

    The host is part of the key: a page served under a mirror's name or the onion service's
    links to that host (``dragoman.core.hosts``), so each host keeps its own copy.

    Only ``page`` (a positive whole number) changes what a cacheable page shows; every other
    parameter is dropped from the key, so ``?utm_source=...`` or random junk can neither
    poison the cache nor grow it. Pages that read other parameters (search) are never
    stored, so their addresses simply miss.
    """
    page = ""
    if query_string:
        for name, value in parse_qsl(query_string, keep_blank_values=True):
            if name in UNCACHED_PARAMETERS:
                return None
            if name == "page":
                # isdecimal, not isdigit: "¹" is a digit that int() refuses. Only the
                # number as the site writes it ("2", never "02"): the page shows the value it
                # was asked with (canonical link, language links), so two spellings of one
                # number must not share a stored page.
                if not value.isdecimal() or not 0 < int(value) < 100_000:
                    return None
                if value != str(int(value)):
                    return None
                page = value
    digest = hashlib.blake2b(f"{host.lower()}{path}?{page}".encode(), digest_size=16).hexdigest()
    return "dragoman:pc:p:" + digest


def wants_activity(accept: str) -> bool:
    """Whether the client asks for the ActivityPub form of an address (a server, not a
    reader): such requests neither use nor fill the cache, which holds the HTML form."""
    accept = accept.lower()
    return "application/activity+json" in accept or (
        "application/ld+json" in accept and "activitystreams" in accept
    )


def request_may_use_cache(
    method: str, path: str, cookies: Iterable[str], has_authorization: bool
) -> bool:
    """Anonymous GET or HEAD of a public address: never staff, never a session."""
    if method not in ("GET", "HEAD") or has_authorization:
        return False
    if path.startswith(EXCLUDED_PREFIXES):
        return False
    return settings.SESSION_COOKIE_NAME not in cookies


@dataclass(frozen=True)
class CachedPage:
    versions: dict[str, str]  # dependency -> token at render time
    status: int
    headers: tuple[tuple[str, str], ...]
    identity: bytes
    gzip: bytes | None
    brotli: bytes | None
    etag: str
    last_modified: str
    # This process's answers to a hit, by Accept-Encoding (``answer``); never compared.
    answers: dict[str, tuple[bytes, list[tuple[str, str]]]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def answer(self, accept_encoding: str) -> tuple[bytes, list[tuple[str, str]]]:
        """The body and headers of a hit (not a 304) for what the client accepts, worked out
        once per Accept-Encoding value (browsers send a handful) and then reused."""
        # getattr: a page pickled by a release without answers has none.
        answers = getattr(self, "answers", None)
        found = answers.get(accept_encoding) if answers is not None else None
        if found is None:
            body, encoding = self.choose(accept_encoding)
            headers = self.response_headers(encoding, len(body))
            headers.append(("X-Cache", "HIT"))
            found = (body, headers)
            if answers is not None and len(answers) < 16:
                answers[accept_encoding] = found
        return found

    def choose(self, accept_encoding: str) -> tuple[bytes, str | None]:
        """The body and its Content-Encoding for what the client accepts."""
        if accept_encoding and (self.brotli is not None or self.gzip is not None):
            accepted = accepted_encodings(accept_encoding)
            if self.brotli is not None and "br" in accepted:
                return self.brotli, "br"
            if self.gzip is not None and "gzip" in accepted:
                return self.gzip, "gzip"
        return self.identity, None

    def not_modified(self, if_none_match: str, if_modified_since: str) -> bool:
        if if_none_match:
            wanted = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
            return "*" in wanted or self.etag.removeprefix("W/") in wanted
        if if_modified_since:
            try:
                since = parsedate_to_datetime(if_modified_since)
                return since >= parsedate_to_datetime(self.last_modified)
            except (TypeError, ValueError):
                return False
        return False

    def response_headers(self, encoding: str | None, length: int) -> list[tuple[str, str]]:
        headers = [*self.headers, *self.validators()]
        if encoding:
            headers.append(("Content-Encoding", encoding))
        headers.append(("Content-Length", str(length)))
        return headers

    def validators(self) -> list[tuple[str, str]]:
        return [
            ("ETag", self.etag),
            ("Last-Modified", self.last_modified),
            ("Cache-Control", hit_settings().cache_control),
            ("Vary", VARY),
        ]


def accepted_encodings(header: str) -> set[str]:
    accepted = set()
    for part in header.lower().split(","):
        name, _, params = part.strip().partition(";")
        params = params.replace(" ", "")
        if params.startswith("q=") and params[2:] in ("0", "0.0", "0.00", "0.000"):
            continue
        accepted.add(name.strip())
    return accepted


def cache_control() -> str:
    return hit_settings().cache_control


def compress(body: bytes, content_type: str) -> tuple[bytes | None, bytes | None]:
    if len(body) < 256 or not content_type.startswith(COMPRESSIBLE_TYPES):
        return None, None
    gzipped = gzip.compress(body, compresslevel=9, mtime=0)
    brotlied = brotli.compress(body, quality=settings.DRAGOMAN_BROTLI_QUALITY)
    return (
        gzipped if len(gzipped) < len(body) else None,
        brotlied if len(brotlied) < len(body) else None,
    )


def build_page(
    *, versions: dict[str, str], status: int, headers: list[tuple[str, str]], body: bytes
) -> CachedPage:
    kept = tuple((name, value) for name, value in headers if name.lower() not in OWN_HEADERS)
    content_type = next((v for n, v in kept if n.lower() == "content-type"), "")
    gzipped, brotlied = compress(body, content_type)
    etag = 'W/"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
    return CachedPage(
        versions=versions,
        status=status,
        headers=kept,
        identity=body,
        gzip=gzipped,
        brotli=brotlied,
        etag=etag,
        last_modified=formatdate(usegmt=True),
    )


class LocalPages:
    """This process's hottest pages, bounded in bytes, least recently used dropped first."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.used = 0
        self.pages: OrderedDict[str, tuple[CachedPage, str]] = OrderedDict()
        self.lock = threading.Lock()

    @staticmethod
    def size(page: CachedPage) -> int:
        return len(page.identity) + len(page.gzip or b"") + len(page.brotli or b"") + 512

    def get(self, key: str) -> tuple[CachedPage, str] | None:
        with self.lock:
            found = self.pages.get(key)
            if found is not None:
                self.pages.move_to_end(key)
            return found

    def put(self, key: str, page: CachedPage, epoch: str) -> None:
        size = self.size(page)
        if size > self.max_bytes:
            return
        with self.lock:
            old = self.pages.pop(key, None)
            if old is not None:
                self.used -= self.size(old[0])
            self.pages[key] = (page, epoch)
            self.used += size
            while self.used > self.max_bytes:
                _key, (dropped, _epoch) = self.pages.popitem(last=False)
                self.used -= self.size(dropped)

    def discard(self, key: str) -> None:
        with self.lock:
            old = self.pages.pop(key, None)
            if old is not None:
                self.used -= self.size(old[0])

    def clear(self) -> None:
        with self.lock:
            self.pages.clear()
            self.used = 0


_local: LocalPages | None = None


def local_pages() -> LocalPages:
    global _local
    if _local is None:
        _local = LocalPages(settings.DRAGOMAN_PAGE_CACHE_LOCAL_BYTES)
    return _local


# This process's copies of remembered fragments (fragments.py), by key: (epoch, value).
_local_fragments: dict[str, tuple[str, Any]] = {}


def local_fragments() -> dict[str, tuple[str, Any]]:
    return _local_fragments


# This process's last look at the shared epoch: (token, when, monotonic seconds).
_epoch_seen: tuple[str, float] = ("", -1e9)


def current_epoch(*, fresh: bool = False) -> str:
    """The shared epoch token; serving hits may use one read at most CHECK_INTERVAL old.

    Reading the shared cache on every hit would cost more than the rest of the hit; a bump in
    another process is seen within DRAGOMAN_PAGE_CACHE_CHECK_INTERVAL (0.1 s by default), and
    at once in the process that made it. Storing always reads the fresh value.
    """
    global _epoch_seen
    now = time.monotonic()
    token, when = _epoch_seen
    if not fresh and now - when < hit_settings().check_interval:
        return token
    store = cache()
    epoch = store.get(EPOCH_KEY)
    if epoch is None:
        store.add(EPOCH_KEY, new_token(), timeout=None)
        epoch = store.get(EPOCH_KEY) or ""
    _epoch_seen = (str(epoch), now)
    return str(epoch)


def lookup(key: str, epoch: str) -> CachedPage | None:
    """The stored page for this key if none of its dependencies changed since it was made."""
    local = local_pages()
    found = local.get(key)
    if found is not None and found[1] == epoch:
        return found[0]
    store = cache()
    page = found[0] if found is not None else store.get(key)
    if page is None:
        return None
    tokens = store.get_many([version_key(dep) for dep in page.versions])
    for dependency, token in page.versions.items():
        if tokens.get(version_key(dependency)) != token:
            local.discard(key)
            return None
    local.put(key, page, epoch)
    return page


def versions_of(dependencies: Iterable[str]) -> dict[str, str]:
    """The current token of each dependency, giving one to those that have none yet."""
    store = cache()
    wanted = {version_key(dep): dep for dep in {SITE, *dependencies}}
    tokens = store.get_many(list(wanted))
    for key in wanted.keys() - tokens.keys():
        store.add(key, new_token(), timeout=None)
        tokens[key] = store.get(key)
    return {dep: str(tokens[key]) for key, dep in wanted.items()}


def store(key: str, page: CachedPage, epoch_before: str) -> bool:
    """Keep the page unless something changed while it was being rendered."""
    if current_epoch(fresh=True) != epoch_before:
        return False
    cache().set(key, page, timeout=settings.DRAGOMAN_PAGE_CACHE_TIMEOUT)
    local_pages().put(key, page, epoch_before)
    return True


def bump(dependencies: Iterable[str]) -> None:
    """Make every stored page that depends on any of these stale, in every process."""
    store_ = cache()
    store_.set_many({version_key(dep): new_token() for dep in set(dependencies)}, timeout=None)
    # After the tokens: a reader that sees the new epoch also sees the new tokens.
    epoch = new_token()
    store_.set(EPOCH_KEY, epoch, timeout=None)
    global _epoch_seen
    _epoch_seen = (epoch, time.monotonic())


def local_forget() -> None:
    """Forget what this process holds (its pages, its last look at the epoch)."""
    global _epoch_seen
    _epoch_seen = ("", -1e9)
    local_pages().clear()
    _local_fragments.clear()
