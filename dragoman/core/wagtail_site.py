"""The Wagtail site of a request, found once and kept: the one place that uses Wagtail's
private API for it.

Wagtail finds the site of each request in a query or two, and keeps it on the request as
``request._wagtail_site``, which its ``serve`` view then reads. The page cache's middleware
finds it from a remembered copy instead (``publishing.middleware``) and leaves it there. Both
names are Wagtail's internals: ``private_apis_missing`` says, by name, if an upgrade moved one.

Listed entries' addresses (``page_urls``) hand Wagtail the sites' root paths where it keeps
them on a page, ``page._wagtail_cached_site_root_paths``: another internal, checked there too.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest

REQUEST_ATTRIBUTE = "_wagtail_site"
# Where Page._get_site_root_paths keeps the sites' root paths on a page asked without a request.
SITE_ROOTS_ATTRIBUTE = "_wagtail_cached_site_root_paths"


def site_with_home(request: HttpRequest) -> Any:
    """The request's Wagtail site, its home page already specific (Wagtail routes from
    ``site.root_page.localized.specific``)."""
    from wagtail.models import Site

    site = Site._find_for_request(request)
    if site is not None:
        site.root_page = site.root_page.localized.specific
    return site


def site_keep(request: HttpRequest, site: Any) -> None:
    """Hand the site to Wagtail's ``serve`` so that it does not look for it again."""
    setattr(request, REQUEST_ATTRIBUTE, site)


def page_urls(url_paths: Iterable[str]) -> list[str]:
    """What Wagtail's ``Page.url`` gives a page at each of these tree addresses, computed by
    Wagtail's own code on bare pages that hold nothing else, the sites' root paths read once
    for all of them (Wagtail reads them, from the cache, for each page it is not given a
    request for: a quarter of the cost of a listed entry's address)."""
    from wagtail.models import Page, Site

    roots = Site.get_site_root_paths()
    urls = []
    for url_path in url_paths:
        page = Page.__new__(Page)
        page.url_path = url_path
        setattr(page, SITE_ROOTS_ATTRIBUTE, roots)
        urls.append(page.url or "")
    return urls


def private_apis_missing() -> list[str]:
    """What this module takes from Wagtail's internals and no longer finds, by name."""
    import inspect

    from wagtail.models import Page, Site

    missing = []
    if SITE_ROOTS_ATTRIBUTE not in inspect.getsource(Page._get_site_root_paths):
        missing.append(f"Page._get_site_root_paths no longer keeps them as {SITE_ROOTS_ATTRIBUTE}")
    if not callable(getattr(Site, "_find_for_request", None)):
        missing.append("wagtail.models.Site._find_for_request")
    source = inspect.getsource(Site.find_for_request)
    if REQUEST_ATTRIBUTE not in source:
        missing.append(
            f"Site.find_for_request no longer keeps the site as request.{REQUEST_ATTRIBUTE}"
        )
    return missing
