"""The Atom feed of transcripts: sessions that have ended, with their questions and answers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from dragoman.blogs.feeds import FeedItem
from dragoman.core.hosts import canonical_url
from dragoman.core.queries import network_name

from . import queries
from .models import QuestionSessionPage

FEED_SIZE = 20


class StableAtom1Feed(Atom1Feed):
    """An empty feed dated once and for all, not "now": the same bytes on every request, so
    that caches (ours, a CDN's, a feed reader's) see nothing new when nothing is."""

    def latest_post_date(self) -> datetime:
        if not self.items:
            return datetime(2010, 1, 1, tzinfo=UTC)
        return super().latest_post_date()


class TranscriptFeed(Feed):
    feed_type = StableAtom1Feed

    def title(self) -> str:
        return _("%(network)s: question sessions") % {"network": network_name()}

    def link(self) -> str:
        return reverse("questions:feed")

    def description(self) -> str:
        return _("Transcripts of the sessions where officials answered the public's questions.")

    def items(self) -> list[QuestionSessionPage]:
        # The rule of what a reader may see, for the anonymous public.
        return list(queries.transcripts(None)[:FEED_SIZE])

    def item_title(self, item: QuestionSessionPage) -> str:
        return item.title

    def item_link(self, item: QuestionSessionPage) -> str:
        return str(item.url)

    def item_pubdate(self, item: QuestionSessionPage) -> Any:
        return item.ends_at

    def item_updateddate(self, item: QuestionSessionPage) -> Any:
        return item.last_published_at or item.ends_at

    def item_description(self, item: QuestionSessionPage) -> str:
        context = queries.session_page_context(session=item)
        return render_to_string("questions/includes/transcript.html", {"page": item, **context})


def network_feed_items(limit: int) -> list[FeedItem]:
    """The newest transcripts, for the network's entry feeds (``blogs.feeds``): the public's
    rule (``queries.transcripts(None)``), as in this app's own feed."""
    items = []
    for session in queries.transcripts(None)[:limit]:
        context = queries.session_page_context(session=session)
        content = render_to_string(
            "questions/includes/transcript.html", {"page": session, **context}
        )
        items.append(
            FeedItem(
                title=session.title,
                link=str(session.url),
                guid=canonical_url(str(session.url)),
                summary=session.summary,
                content=content,
                language=session.language,
                date=session.ends_at,
                updated=session.last_published_at or session.ends_at,
                authors=", ".join(o.display_name for o in context["officials"]),
            )
        )
    return items
