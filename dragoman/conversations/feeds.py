"""Atom feeds of the published comments of an entry, of a blog, and of the whole network."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from dragoman.blogs.models import BlogPage, EntryPage
from dragoman.blogs.queries import live_blog, live_entries
from dragoman.core.hosts import canonical_url
from dragoman.core.queries import network_name

from . import queries
from .models import Comment


class CommentFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, **kwargs: Any) -> Any:
        return None

    def title(self, obj: Any) -> str:
        return _("Comments on %(site)s") % {"site": network_name()}

    def link(self, obj: Any) -> str:
        return "/"

    def subtitle(self, obj: Any) -> str:
        return _("Published comments and official replies.")

    def items(self, obj: Any) -> list[Comment]:
        return queries.feed_comments(limit=settings.DRAGOMAN_FEED_SIZE)

    def item_title(self, item: Comment) -> str:
        if item.is_official:
            return _("Official reply from %(name)s on “%(entry)s”") % {
                "name": item.name,
                "entry": item.entry.title,
            }
        return _("%(name)s on “%(entry)s”") % {"name": item.name, "entry": item.entry.title}

    def item_description(self, item: Comment) -> str:
        return item.body_html

    def item_link(self, item: Comment) -> str:
        return f"{item.entry.url or ''}#comment-{item.pk}"

    def item_guid(self, item: Comment) -> str:
        path = reverse("blogs:entry_permalink", args=[item.entry_id])
        return f"{canonical_url(path)}#comment-{item.pk}"

    item_guid_is_permalink = False

    def item_author_name(self, item: Comment) -> str:
        return item.name

    def item_pubdate(self, item: Comment) -> datetime | None:
        return item.published_at


class EntryCommentFeed(CommentFeed):
    def get_object(self, request: HttpRequest, **kwargs: Any) -> EntryPage:
        entry = live_entries().filter(pk=kwargs["entry_id"]).first()
        if entry is None:
            raise Http404("No such entry")
        return entry

    def title(self, obj: EntryPage) -> str:
        return _("Comments on “%(entry)s”") % {"entry": obj.title}

    def link(self, obj: EntryPage) -> str:
        return obj.url or "/"

    def items(self, obj: EntryPage) -> list[Comment]:
        return queries.feed_comments(entry_id=obj.pk, limit=settings.DRAGOMAN_FEED_SIZE)


class BlogCommentFeed(CommentFeed):
    def get_object(self, request: HttpRequest, **kwargs: Any) -> BlogPage:
        return live_blog(kwargs["blog"])

    def title(self, obj: BlogPage) -> str:
        return _("Comments on %(blog)s") % {"blog": obj.title}

    def link(self, obj: BlogPage) -> str:
        return obj.url or "/"

    def items(self, obj: BlogPage) -> list[Comment]:
        return queries.feed_comments(blog_id=obj.pk, limit=settings.DRAGOMAN_FEED_SIZE)
