"""The Wagtail site of a request, found once and kept: the one place that uses Wagtail's
private API for it.

Wagtail finds the site of each request in a query or two, and keeps it on the request as
``request._wagtail_site``, which its ``serve`` view then reads. The page cache's middleware
finds it from a remembered copy instead (``publishing.middleware``) and leaves it there. Both
names are Wagtail's internals: ``private_apis_missing`` says, by name, if an upgrade moved one.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

REQUEST_ATTRIBUTE = "_wagtail_site"


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


def private_apis_missing() -> list[str]:
    """What this module takes from Wagtail's internals and no longer finds, by name."""
    import inspect

    from wagtail.models import Site

    missing = []
    if not callable(getattr(Site, "_find_for_request", None)):
        missing.append("wagtail.models.Site._find_for_request")
    source = inspect.getsource(Site.find_for_request)
    if REQUEST_ATTRIBUTE not in source:
        missing.append(
            f"Site.find_for_request no longer keeps the site as request.{REQUEST_ATTRIBUTE}"
        )
    return missing
