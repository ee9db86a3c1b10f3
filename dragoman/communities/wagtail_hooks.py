"""A community's private blog answers 404, not a sign-in page, to anyone outside it."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from wagtail import hooks

from .media import collection_admits, collection_is_private
from .privacy import community_section_of, mark_private


# Before Wagtail's own check of view restrictions (which would redirect to a sign-in page and
# so say that something is there).
@hooks.register("before_serve_page", order=-10)
def community_pages_not_found(page: Any, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
    section = community_section_of(page.path)
    if section is None:
        return
    from dragoman.blogs.models import section_passes

    if not section_passes(section, getattr(request, "user", None)):
        raise Http404("No such page")
    mark_private(request)


# Before Wagtail's own check of a collection's restriction, for the same reason.
@hooks.register("before_serve_document", order=-10)
def private_documents_not_found(document: Any, request: HttpRequest) -> None:
    if not collection_is_private(document.collection):
        return
    if not collection_admits(document.collection, request):
        raise Http404("No such document")
    mark_private(request)
