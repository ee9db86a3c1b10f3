"""The host names a reader may come by: the main one, mirrors, and the onion service.

Readers in countries that filter or throttle foreign sites reach the network under other
names: mirrors (``DRAGOMAN_MIRROR_HOSTS``, any number) and a Tor onion service
(``DRAGOMAN_ONION_ADDRESS``). Every link a page gives must keep the reader on the host they
came by, or the next click is blocked again (a mirror) or leaves Tor's protection (the onion
service). ``HostMiddleware`` records, for the request being served, the *origin* the reader
came by; ``reader_url`` builds addresses on it, ``canonical_url`` on the address search
engines and shared links should name (the main host; the onion host on the onion service,
so that nothing there leads back to the clear web).

Each host gets its own copy of every cached page (``publishing.pagecache.page_key`` keys on
the host), so one host's absolute addresses are never served to another.

The deployment's settings give the mirrors and the onion address; an app may provide the
ones in force instead (``addresses_provide``: ``reach`` reads the digital team's list, edited
in the admin), which each process holds until a saved change moves their version in the shared
cache (``Addresses``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextvars import ContextVar
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponsePermanentRedirect
from django.http.request import split_domain_port
from django.middleware.security import SecurityMiddleware as DjangoSecurityMiddleware

from .textonly import TEXT_PREFIX

# The origin ("https://mirror.example") of the request this thread or task is serving; None
# for the main host and outside requests (emails, tasks), where BASE_URL is right.
_reader_origin: ContextVar[str | None] = ContextVar("dragoman_reader_origin", default=None)
_on_onion: ContextVar[bool] = ContextVar("dragoman_on_onion", default=False)

# Never advertised or rewritten: staff pages stay on the main host.
STAFF_PREFIXES = ("/admin/", "/django-admin/")


logger = logging.getLogger(__name__)


class Addresses:
    """The mirrors and onion address an app provides (empty: the settings' are in force), as
    one process holds them: ``host_kind`` runs for every request, the page cache's hits too,
    so they are not read from the database each time.

    They are read again as soon as ``version`` (given by the provider's app) changes: a value
    in the shared cache that a saved change moves, after its commit, so that no process goes
    on serving, or caching pages with, the addresses of before the change. Without a version,
    or while the shared cache cannot be read, every ``REREAD_SECONDS``.
    """

    # A backstop only, where no version is given or the shared cache is away.
    REREAD_SECONDS = 30.0

    def __init__(
        self,
        provider: Callable[[], tuple[list[str], str]] | None = None,
        version: Callable[[], str] | None = None,
    ) -> None:
        self.provider = provider
        self.version = version
        self.mirrors: tuple[str, ...] = ()
        self.onion = ""
        self.read_at: str | None = None  # the version the addresses held were read at
        self.until = 0.0

    def current(self) -> Addresses:
        if self.provider is None:
            return self
        # The version before the addresses: a change between the two reads leaves a version
        # older than the addresses, read again at the next use, never the reverse.
        version = self._version()
        now = time.monotonic()
        if now < self.until and version == self.read_at:
            return self
        try:
            mirrors, onion = self.provider()
        except Exception:
            # The database away for a moment: the last known addresses stay in force.
            logger.warning("The mirrors and onion address could not be read.", exc_info=True)
        else:
            self.mirrors, self.onion = tuple(mirrors), onion
        self.read_at = version
        self.until = now + self.REREAD_SECONDS
        return self

    def _version(self) -> str | None:
        if self.version is None:
            return None
        try:
            return self.version()
        except Exception:
            # The shared cache away: the addresses held stay until the timed re-read.
            logger.warning("The addresses' version could not be read.", exc_info=True)
            return self.read_at

    def forget(self) -> None:
        self.until = 0.0
        self.mirrors, self.onion = (), ""


# This process's addresses.
_addresses = Addresses()


def addresses_provide(
    provider: Callable[[], tuple[list[str], str]], *, version: Callable[[], str] | None = None
) -> None:
    """Let ``provider`` give the mirrors' host names and the onion address in force; where it
    gives none (an empty list, an empty string), the deployment's settings are. ``version``
    gives a value of the shared cache that every saved change of them moves (see
    ``Addresses``)."""
    _addresses.provider = provider
    _addresses.version = version
    addresses_forget()


def addresses_held() -> Addresses:
    """This process's addresses, read again if they changed."""
    return _addresses.current()


def addresses_forget() -> None:
    """Read the provided addresses again at their next use (they just changed)."""
    _addresses.forget()


def main_origin() -> str:
    return str(settings.BASE_URL)


def onion_host() -> str:
    """The onion service's host name (``xyz…xyz.onion``), or "" without one."""
    return addresses_held().onion or str(getattr(settings, "DRAGOMAN_ONION_ADDRESS", "") or "")


def onion_origin() -> str:
    host = onion_host()
    # Tor encrypts and authenticates the connection end to end: onion services speak plain
    # HTTP, and no certificate authority issues certificates for most of them.
    return f"http://{host}" if host else ""


def mirror_hosts() -> list[str]:
    return list(addresses_held().mirrors or getattr(settings, "DRAGOMAN_MIRROR_HOSTS", []))


def mirror_origins() -> list[str]:
    """The mirrors' origins, on the main host's scheme (they stand behind the same TLS)."""
    scheme = urlsplit(main_origin()).scheme or "https"
    return [f"{scheme}://{host}" for host in mirror_hosts()]


def clear_origins() -> list[str]:
    """Every origin on the clear web: the main host's and each mirror's (what a CDN serves)."""
    return [main_origin(), *mirror_origins()]


def every_origin() -> list[str]:
    """Every origin a reader may come by."""
    onion = onion_origin()
    return [*clear_origins(), *([onion] if onion else [])]


def host_kind(host: str) -> str:
    """ "onion", "mirror" or "main" for a Host header (with or without a port)."""
    domain, _port = split_domain_port(host.lower())
    if domain and domain == onion_host():
        return "onion"
    if domain in mirror_hosts():
        return "mirror"
    return "main"


def is_onion_host(host: str) -> bool:
    return bool(onion_host()) and host_kind(host) == "onion"


def reader_origin() -> str:
    """The origin the reader of this request came by (the main one outside a request)."""
    return _reader_origin.get() or main_origin()


def canonical_origin() -> str:
    """The origin a page names as its own: the onion's on the onion service, else the main."""
    return onion_origin() if _on_onion.get() else main_origin()


def reader_url(path: str) -> str:
    """An absolute address on the host the reader came by (feeds, sitemaps, language links)."""
    return reader_origin() + path


def canonical_url(path: str) -> str:
    """An absolute address on the canonical host (canonical link, shares, structured data)."""
    return canonical_origin() + path


def _moved(url: str, origin: str) -> str:
    main = main_origin()
    if origin != main and (url == main or url.startswith(main + "/")):
        return origin + url[len(main) :]
    return url


def on_reader_host(url: str) -> str:
    """A full address Wagtail built on the main host (``page.full_url``, a rendition's
    ``full_url``), moved to the host the reader came by."""
    return _moved(url, reader_origin())


def on_canonical_host(url: str) -> str:
    """A full address built on the main host, moved to the canonical host; the full page's
    address, when it is built while a text-only version renders."""
    origin = canonical_origin()
    url = _moved(url, origin)
    if url.startswith(origin + TEXT_PREFIX + "/"):
        url = origin + url[len(origin) + len(TEXT_PREFIX) :]
    return url


class HostMiddleware:
    """Record the host the reader came by; on the clear web, point Tor Browser to the onion.

    Placed right after the page cache (which keys its pages on the host), so that every
    address a page builds below uses the reader's origin.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        try:
            host = request.get_host()
        except DisallowedHost:
            return self.get_response(request)  # Django answers 400 further down
        kind = host_kind(host)
        if kind == "main":
            response = self.get_response(request)
        else:
            origin = f"{'http' if kind == 'onion' else request.scheme}://{host}".lower()
            origin_token = _reader_origin.set(origin)
            onion_token = _on_onion.set(kind == "onion")
            try:
                response = self.get_response(request)
            finally:
                _reader_origin.reset(origin_token)
                _on_onion.reset(onion_token)
        if kind != "onion" and onion_host():
            self.advertise_onion(request, response)
        return response

    @staticmethod
    def advertise_onion(request: HttpRequest, response: HttpResponseBase) -> None:
        """Tor Browser offers the onion service of a page that names it (``Onion-Location``)."""
        if response.status_code != 200 or request.path.startswith(STAFF_PREFIXES):
            return
        if not response.headers.get("Content-Type", "").startswith("text/html"):
            return
        # The same page there: its path, and the one parameter a cached page keys on.
        page = request.GET.get("page", "")
        query = f"?page={page}" if page.isdecimal() else ""
        response.headers["Onion-Location"] = f"{onion_origin()}{request.path}{query}"


class SecurityMiddleware(DjangoSecurityMiddleware):
    """Django's, except on the onion service: no redirect to HTTPS and no HSTS there.

    An onion address has no certificate (Tor encrypts end to end), so a redirect to HTTPS
    would take the reader nowhere, and HSTS would make it permanent.
    """

    def process_request(self, request: HttpRequest) -> HttpResponsePermanentRedirect | None:
        if onion_host() and is_onion_host(request.META.get("HTTP_HOST", "")):
            return None
        return super().process_request(request)

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        response = super().process_response(request, response)
        if onion_host() and is_onion_host(request.META.get("HTTP_HOST", "")):
            response.headers.pop("Strict-Transport-Security", None)
        return response
