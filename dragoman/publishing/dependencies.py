"""Which pages may be cached, what each shows, and at which addresses a dependency shows.

Publishing knows no domain app. Each app registers its own pages here, in its
``AppConfig.ready``: the named routes that may be cached and the dependencies (see
``dragoman.core.changes.Dependency``) each shows, the page types likewise, and for a CDN the
addresses where a dependency's pages live. A page not registered is never stored in the
page cache: caching is opt-in per address.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.http import HttpRequest

from dragoman.core.changes import SITE, Dependency
from dragoman.core.replicas import lagging_reads_allow

RouteRule = Callable[[dict[str, Any]], Iterable[Dependency]]
PageRule = Callable[[Any], Iterable[Dependency]]
AddressRule = Callable[[str], Iterable[str]]

_routes: dict[str, RouteRule] = {}
_page_types: dict[type, PageRule] = {}
_addresses: dict[str, AddressRule] = {}

PAGE_ATTRIBUTE = "_dragoman_served_page"


def cacheable_route(view_name: str, shows: RouteRule) -> None:
    """The route (``"blogs:tag_detail"``) may be cached; ``shows`` names, from the route's
    arguments, what its page shows."""
    _routes[view_name] = shows
    # A page every anonymous reader shares may be rendered from a read replica: the fence
    # (core/replicas.py) keeps a render after a change from showing the state before it.
    lagging_reads_allow(view_name)


def cacheable_page_type(model: type, shows: PageRule) -> None:
    """Pages of this Wagtail page type may be cached; ``shows(page)`` names what one shows."""
    _page_types[model] = shows


def addresses(kind: str, paths: AddressRule) -> None:
    """Where the first pages showing a dependency of this kind live (paths in the default
    language, from the dependency's key), for purging a CDN."""
    _addresses[kind] = paths


def cacheable_routes() -> list[str]:
    """The names of every route the apps registered as cacheable."""
    return sorted(_routes)


def page_dependencies(page: Any) -> list[str]:
    """What a Wagtail page shows; any other page type changes only when it is itself
    published, which empties the cache."""
    for model in type(page).__mro__:
        rule = _page_types.get(model)
        if rule is not None:
            return [str(dependency) for dependency in rule(page)]
    return []


def request_dependencies(request: HttpRequest) -> list[str] | None:
    """The dependencies of the page this request rendered; None if it must not be cached."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    page = getattr(request, PAGE_ATTRIBUTE, None)
    if page is not None:
        return page_dependencies(page)
    rule = _routes.get(match.view_name)
    if rule is None:
        return None
    return [str(dependency) for dependency in rule(match.kwargs)]


def dependency_paths(dependency: Dependency) -> list[str]:
    """The paths (default language) of the first pages that show a dependency."""
    if dependency == SITE:
        return ["/"]
    rule = _addresses.get(dependency.kind)
    return list(rule(dependency.key)) if rule is not None else []
