"""A community's private blog answers 404, not a sign-in page, to anyone outside it."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from wagtail import hooks

from . import services
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


# Every manager action is in the community's audit log, what managers do to its private blog
# in Wagtail's admin too (Wagtail's own page history also keeps it, but managers read theirs).
def _entry_action(request: HttpRequest, done: str) -> str:
    return "entry_publish" if "action-publish" in request.POST else done


@hooks.register("after_create_page")
def community_entry_created(request: HttpRequest, page: Any) -> None:
    services.entry_audit(
        page=page, acting_user=request.user, action=_entry_action(request, "entry_create")
    )


@hooks.register("after_edit_page")
def community_entry_edited(request: HttpRequest, page: Any) -> None:
    services.entry_audit(
        page=page, acting_user=request.user, action=_entry_action(request, "entry_edit")
    )


@hooks.register("after_delete_page")
def community_entry_deleted(request: HttpRequest, page: Any) -> None:
    services.entry_audit(page=page, acting_user=request.user, action="entry_delete")
