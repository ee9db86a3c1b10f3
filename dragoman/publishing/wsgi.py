"""The page cache's fast path: answer hits before Django builds a request.

A traffic spike is made of hits. Here a hit costs one small cache read (the epoch) and a
dictionary look-up; no request object, no middleware, no signals. Everything else (misses,
staff, forms, anything unusual) goes to Django untouched, where `PageCacheMiddleware`
renders, stores and also serves hits by exactly the same rules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.http.request import split_domain_port, validate_host

from dragoman.core.hosts import is_onion_host

from . import pagecache, pagefiles, served

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

STATUS_LINES = {status.value: f"{status.value} {status.phrase}" for status in HTTPStatus}


def secure(environ: dict[str, Any]) -> bool:
    """Whether the request came over https, as Django's ``request.is_secure`` decides."""
    forwarded = settings.SECURE_PROXY_SSL_HEADER
    if forwarded and forwarded[0] in environ:
        return bool(environ[forwarded[0]].split(",", 1)[0].strip() == forwarded[1])
    return bool(environ.get("wsgi.url_scheme") == "https")


class PageCacheApplication:
    """Wrap Django's WSGI application; serve page-cache hits directly."""

    def __init__(self, app: WSGIApp) -> None:
        self.app = app
        self.hosts: dict[str, bool] = {}
        # (host, raw path, query) -> (path, page-cache key): hashed once per address.
        self.keys: dict[tuple[str, str, str], tuple[str, str | None]] = {}

    def host_allowed(self, host: str) -> bool:
        allowed = self.hosts.get(host)
        if allowed is None:
            domain, _port = split_domain_port(host)
            allowed = bool(domain) and validate_host(domain, settings.ALLOWED_HOSTS)
            if len(self.hosts) < 1000:  # never grows with made-up Host headers
                self.hosts[host] = allowed
        return allowed

    def hit(self, environ: dict[str, Any]) -> pagecache.CachedPage | None:
        known = pagecache.hit_settings()
        method = environ.get("REQUEST_METHOD", "")
        if method not in ("GET", "HEAD") or not known.page_cache:
            return None
        if environ.get("SCRIPT_NAME") or "HTTP_AUTHORIZATION" in environ:
            return None
        if pagecache.wants_activity(environ.get("HTTP_ACCEPT", "")):
            return None
        if known.session_cookie + "=" in environ.get("HTTP_COOKIE", ""):
            return None
        host = environ.get("HTTP_HOST", "")
        if not self.host_allowed(host):
            return None  # Django refuses the host
        if known.ssl_redirect and not is_onion_host(host):
            return None  # Django redirects to https (never on the onion service)
        raw_path = environ.get("PATH_INFO", "/")
        query = environ.get("QUERY_STRING", "")
        address = (host, raw_path, query)
        found = self.keys.get(address)
        if found is None:
            found = self.address_key(host, raw_path, query)
            if len(self.keys) >= 10_000:  # bounded, whatever the addresses asked
                self.keys.clear()
            self.keys[address] = found
        path, key = found
        if key is None:
            return None
        epoch = pagecache.current_epoch()
        page = pagecache.lookup(key, epoch)
        if page is not None and not query and known.files_dir and pagefiles.unchecked(key, epoch):
            # nginx sent an address it serves from a file: the file is missing. Once checked,
            # later hits at this epoch skip even working out `secure` (a lazy settings read).
            pagefiles.keep_on_hit(
                key=key, host=host, path=path, secure=secure(environ), page=page, epoch=epoch
            )
        return page

    @staticmethod
    def address_key(host: str, raw_path: str, query: str) -> tuple[str, str | None]:
        """The decoded path and the page-cache key of an address (None: not from the cache)."""
        try:
            path = raw_path.encode("latin-1").decode()
        except UnicodeError:
            return raw_path, None
        if path.startswith(pagecache.EXCLUDED_PREFIXES):
            return path, None
        return path, pagecache.page_key(path, query, host=host)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        page = self.hit(environ)
        if page is None:
            return self.app(environ, start_response)
        status = page.status
        if ("HTTP_IF_NONE_MATCH" in environ or "HTTP_IF_MODIFIED_SINCE" in environ) and (
            page.not_modified(
                environ.get("HTTP_IF_NONE_MATCH", ""), environ.get("HTTP_IF_MODIFIED_SINCE", "")
            )
        ):
            status = 304
        if served.watchers:
            environ[served.CACHE_RESULT] = "hit"
            served.notify(environ, environ.get("PATH_INFO", "/"), status, page.versions)
        if status == 304:
            start_response("304 Not Modified", [*page.validators(), ("X-Cache", "HIT")])
            return [b""]
        body, headers = page.answer(environ.get("HTTP_ACCEPT_ENCODING", ""))
        # A copy: the server may add to the list it is given.
        start_response(STATUS_LINES.get(page.status, str(page.status)), list(headers))
        return [b"" if environ["REQUEST_METHOD"] == "HEAD" else body]
