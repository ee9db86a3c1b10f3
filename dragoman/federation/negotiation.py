"""Content negotiation: a blog's, a profile's and an entry's address answer their ActivityPub
form to a client that asks for it (``Accept: application/activity+json``), as Mastodon and
WordPress do, and their HTML to everyone else.

The page cache never serves or stores such a request (``publishing.pagecache.wants_activity``),
so a reader never gets JSON and a server never gets a cached page. Wagtail's pages go through
the ``before_serve_page`` hook (wagtail_hooks.py), after Wagtail's own privacy check; the
blogs' plain views (profile, permanent address of an entry) through this middleware.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

from dragoman.blogs.models import BlogPage, EntryPage
from dragoman.publishing.pagecache import wants_activity


def page_response(page: Any, request: HttpRequest) -> HttpResponse | None:
    """The ActivityPub form of a Wagtail page, when the client asks for it."""
    from . import services, views

    if not wants_activity(request.headers.get("Accept", "")):
        return None
    if refused := views.fetch_refused(request):
        return refused
    page = page.specific
    if isinstance(page, EntryPage):
        return views.ap_response(views.entry_document(page))
    if isinstance(page, BlogPage):
        actor = services.blog_actor(page)
        if not services.actor_is_public(actor):
            raise Http404("No such blog.")
        return views.ap_response(views.blog_document(page))
    return None


class ActivityNegotiationMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        from . import views

        if not wants_activity(request.headers.get("Accept", "")):
            return None
        match = request.resolver_match
        name = match.view_name if match else ""
        if name in ("blogs:blogger_detail", "blogs:entry_permalink") and (
            refused := views.fetch_refused(request)
        ):
            return refused
        if name == "blogs:blogger_detail":
            return views.ap_response(views.blogger_document(kwargs["slug"]))
        if name == "blogs:entry_permalink":
            entry = EntryPage.objects.visible(None).filter(pk=kwargs["pk"]).first()
            if entry is None:
                raise Http404("No such entry.")
            return views.ap_response(views.entry_document(entry))
        return None
