"""Serve anonymous readers from the page cache; fill it from pages rendered for them.

First in MIDDLEWARE, so a hit skips every other middleware and the stored headers are the
final ones (security headers, Content-Security-Policy, Content-Language). `dragoman.wsgi`
serves hits even earlier, before Django builds a request; this middleware is the one place
where pages are stored, and it serves hits itself when the app runs without that wrapper
(the test client, `runserver`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotModified

from dragoman.core.hosts import is_onion_host
from dragoman.core.wagtail_site import site_keep, site_with_home

from . import fragments, pagecache, pagefiles, served
from .dependencies import request_dependencies

# A page that varies on anything else is not the same for every anonymous reader.
CACHEABLE_VARY = frozenset({"accept-encoding", "accept-language", "cookie"})
# Cache-Control directives by which a view says "not for a shared cache".
PRIVATE_DIRECTIVES = ("private", "no-store", "no-cache")


def request_is_eligible(request: HttpRequest) -> bool:
    if not settings.DRAGOMAN_PAGE_CACHE:
        return False
    try:
        host = request.get_host()
    except DisallowedHost:
        return False  # Django answers 400 further down
    if settings.SECURE_SSL_REDIRECT and not request.is_secure() and not is_onion_host(host):
        return False  # SecurityMiddleware redirects it to https (never on the onion service)
    if pagecache.wants_activity(request.headers.get("Accept", "")):
        return False
    return pagecache.request_may_use_cache(
        request.method or "", request.path, request.COOKIES, "HTTP_AUTHORIZATION" in request.META
    )


def cached_response(request: HttpRequest, page: pagecache.CachedPage, state: str) -> HttpResponse:
    meta = request.META
    if page.not_modified(
        meta.get("HTTP_IF_NONE_MATCH", ""), meta.get("HTTP_IF_MODIFIED_SINCE", "")
    ):
        not_modified = HttpResponseNotModified()
        for name, value in page.validators():
            not_modified.headers[name] = value
        not_modified.headers["X-Cache"] = state
        return not_modified
    body, encoding = page.choose(meta.get("HTTP_ACCEPT_ENCODING", ""))
    length = len(body)
    response = HttpResponse(b"" if request.method == "HEAD" else body, status=page.status)
    for name, value in page.response_headers(encoding, length):
        response.headers[name] = value
    response.headers["X-Cache"] = state
    return response


def response_is_shareable(request: HttpRequest, response: HttpResponseBase) -> bool:
    """Whether every anonymous reader may get exactly these bytes."""
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    cache_control = response.headers.get("Cache-Control", "").lower()
    if any(directive in cache_control for directive in PRIVATE_DIRECTIVES):
        return False
    vary = {v.strip().lower() for v in response.headers.get("Vary", "").split(",") if v.strip()}
    if not vary <= CACHEABLE_VARY:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    session = getattr(request, "session", None)
    if session is not None and (session.modified or not session.is_empty()):
        return False
    # Belt and braces: a form with a CSRF token is personal to one browser.
    return b"csrfmiddlewaretoken" not in response.content  # type: ignore[attr-defined]


def bypass(response: HttpResponseBase) -> HttpResponseBase:
    """A page that may use the cache but was not for sharing (a form with errors, a view
    that said private): answered as rendered."""
    response.headers.setdefault("X-Cache", "BYPASS")
    return response


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not request_is_eligible(request):
            response = self.get_response(request)
            if served.watchers and not settings.DRAGOMAN_PAGE_CACHE:
                self.notify_rendered(request, response)  # counted without the page cache too
            return response
        key = pagecache.page_key(
            request.path, request.META.get("QUERY_STRING", ""), host=request.get_host()
        )
        if key is None:
            return self.get_response(request)
        epoch = pagecache.current_epoch()
        page = pagecache.lookup(key, epoch)
        if page is not None:
            if settings.DRAGOMAN_PAGE_FILES_DIR and not request.META.get("QUERY_STRING"):
                pagefiles.keep_on_hit(
                    key=key,
                    host=request.get_host(),
                    path=request.path,
                    secure=request.is_secure(),
                    page=page,
                    epoch=epoch,
                )
            response = cached_response(request, page, "HIT")
            if served.watchers:
                request.META[served.CACHE_RESULT] = "hit"
                served.notify(request.META, request.path_info, response.status_code, page.versions)
            return response
        # What the page is rendered from must be newer than this epoch for it to be stored.
        epoch = pagecache.current_epoch(fresh=True)
        response = self.get_response(request)
        if not response_is_shareable(request, response):
            if served.watchers:
                request.META[served.CACHE_RESULT] = "bypass"
                self.notify_rendered(request, response)
            return bypass(response)
        dependencies = request_dependencies(request)
        if dependencies is None:
            return bypass(response)
        if served.watchers:
            request.META[served.CACHE_RESULT] = "miss"
            served.notify(request.META, request.path_info, response.status_code, dependencies)
        page = pagecache.build_page(
            versions=pagecache.versions_of(dependencies),
            status=response.status_code,
            headers=list(response.headers.items()),
            body=response.content,  # type: ignore[attr-defined]
        )
        stored = pagecache.store(key, page, epoch)
        if stored and settings.DRAGOMAN_PAGE_FILES_DIR and not request.META.get("QUERY_STRING"):
            pagefiles.keep(
                host=request.get_host(),
                path=request.path,
                secure=request.is_secure(),
                page=page,
                epoch=epoch,
            )
        return cached_response(request, page, "MISS")

    @staticmethod
    def notify_rendered(request: HttpRequest, response: HttpResponseBase) -> None:
        """Tell the watchers of a public page rendered for an anonymous reader and not stored
        (a HEAD, a form with errors, or the page cache off): the same pages the cache would
        count."""
        if response.status_code not in (200, 304) or request.method not in ("GET", "HEAD"):
            return
        if not pagecache.request_may_use_cache(
            request.method or "",
            request.path,
            request.COOKIES,
            "HTTP_AUTHORIZATION" in request.META,
        ):
            return
        dependencies = request_dependencies(request)
        if dependencies is not None:
            served.notify(request.META, request.path_info, response.status_code, dependencies)


class KnownSiteMiddleware:
    """Give Wagtail the request's site and home page from memory, for pages Wagtail serves.

    Wagtail looks up the site of every page request in the database and then loads its
    home page (two queries, a fifth of an entry page's render). Sites and the home page
    change rarely, and any change to them refreshes the whole site, so the lookup is
    remembered per host and port until then (`fragments.remember`). Other views are left
    alone: they look a site up only if they need one.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> None:
        from wagtail.views import serve

        if view is not serve:
            return
        try:
            host = f"{request.get_host()}|{request.get_port()}"
        except DisallowedHost:
            return  # Django answers 400 further on
        site_keep(request, fragments.remember(f"site|{host}", [], lambda: site_with_home(request)))
