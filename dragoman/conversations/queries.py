"""The reads that conversation pages, sidebars, feeds and the moderation queue share.

Each fetches what it shows in a fixed number of queries, whatever the number of comments.
"""

from __future__ import annotations

import functools
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.db.models import (
    Count,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from dragoman.blogs.models import BlogPage, EntryPage
from dragoman.blogs.queries import page_address
from dragoman.core.prepared import PreparedQuery
from dragoman.publishing.fragments import remembered

from .models import BlogConversationSettings, Comment, CommentQuerySet, NetworkConversationSettings

_Entries = TypeVar("_Entries", bound=QuerySet[Any])


# Whether a conversation takes comments -------------------------------------------------------
@dataclass(frozen=True)
class ConversationState:
    is_open: bool
    mode: str
    # Why it is closed, for the reader; the network banner when the whole network is closed.
    closed_message: str = ""
    banner: str = ""
    reopen_at: datetime | None = None


def network_settings() -> NetworkConversationSettings:
    """The network's conversation settings, or their defaults before anyone saved them.

    A read never writes: Wagtail's `load()` creates the row on first use, and the first
    readers of a new network then race to create it (a second row on PostgreSQL, "table is
    locked" on SQLite). Only the services, which change the settings, call `load()`.
    """
    return NetworkConversationSettings.objects.first() or NetworkConversationSettings()


def network_closed(network: NetworkConversationSettings | None = None) -> bool:
    network = network or network_settings()
    if not network.comments_closed:
        return False
    # Reopens by itself at the set time, without anybody having to switch it back.
    return network.reopen_at is None or network.reopen_at > timezone.now()


def blog_settings(blog_id: int) -> BlogConversationSettings:
    found = BlogConversationSettings.objects.filter(blog_id=blog_id).first()
    return found or BlogConversationSettings(blog_id=blog_id)


# Saving either settings refreshes the whole site (signals), which makes this stale.
@remembered(lambda blog_id: [])
def conversation_settings(
    *, blog_id: int
) -> tuple[NetworkConversationSettings, BlogConversationSettings]:
    """The network's and a blog's conversation settings, which every entry page reads."""
    return network_settings(), blog_settings(blog_id)


def conversation_state(*, entry: EntryPage, blog: BlogPage) -> ConversationState:
    network, blog_conversation = conversation_settings(blog_id=blog.pk)
    mode = blog_conversation.mode
    if network_closed(network):
        return ConversationState(
            is_open=False,
            mode=mode,
            closed_message=_("Comments are closed across the network for now."),
            banner=network.closed_banner,
            reopen_at=network.reopen_at,
        )
    if mode == BlogConversationSettings.Mode.CLOSED or not entry.comments_open:
        return ConversationState(
            is_open=False, mode=mode, closed_message=_("Comments are closed on this entry.")
        )
    closes = entry.date + timedelta(days=blog_conversation.close_after_days)
    if closes <= timezone.now():
        return ConversationState(
            is_open=False,
            mode=mode,
            closed_message=_(
                "Comments close %(days)d days after an entry is published; this one is closed."
            )
            % {"days": blog_conversation.close_after_days},
        )
    return ConversationState(is_open=True, mode=mode)


# What readers see ---------------------------------------------------------------------------
# Compiled once (see dragoman/core/prepared.py): every entry page reads it.
_entry_comments = PreparedQuery(
    lambda entry_id: Comment.objects.filter(
        entry_id=entry_id, status=Comment.Status.APPROVED
    ).order_by("created_at", "pk"),
    entry_id=int,
)


def entry_conversation(*, entry_id: int) -> list[Comment]:
    """Approved readers' comments of an entry, oldest first, each with its approved official
    replies in `official_replies` (one query: replies are stored under the same entry)."""
    readers: list[Comment] = []
    replies: dict[int, list[Comment]] = defaultdict(list)
    for comment in _entry_comments(entry_id=entry_id):
        if comment.parent_id is None:
            readers.append(comment)
        else:
            replies[comment.parent_id].append(comment)
    for comment in readers:
        comment.official_replies = replies.get(comment.pk, [])  # type: ignore[attr-defined]
    return readers


@dataclass(frozen=True)
class EntryLink:
    title: str
    url: str


@dataclass(frozen=True)
class RecentComment:
    """A comment as "Recent comments" shows it (conversations/includes/recent_comments.html),
    read as plain values: its entry whole (a 3-4 KB body, some fifty columns) cost more than
    the rest of the list."""

    pk: int
    name: str
    body: str
    is_official: bool
    entry: EntryLink


def recent_comments(*, blog: BlogPage | None = None, limit: int = 5) -> list[RecentComment]:
    """The newest published comments and replies on visible entries, with their entries."""
    comments = Comment.objects.approved().on_visible_entries()
    if blog is not None:
        comments = comments.filter(blog=blog)
    rows = comments.order_by("-published_at", "-pk").values_list(
        "pk", "name", "body", "parent_id", "entry__title", "entry__url_path"
    )[:limit]
    return [
        RecentComment(
            pk=pk,
            name=name,
            body=body,
            is_official=parent_id is not None,  # as Comment.is_official
            entry=EntryLink(title=title, url=page_address(url_path)),
        )
        for pk, name, body, parent_id, title, url_path in rows
    ]


def with_comment_counts(entries: _Entries) -> _Entries:
    """Annotate each entry with `comment_count` (published comments and replies) in the same
    query as the list itself: a subquery, not one query per entry."""
    return entries.annotate(comment_count=_comment_count())


@functools.cache
def _comment_count() -> Coalesce:
    # The same expression for every list, built once: it names no value of its own (the
    # ORM copies it into each query), and building it cost each listing page a thousand
    # Python calls.
    counts = (
        Comment.objects.approved()
        .filter(entry_id=OuterRef("pk"))
        .order_by()
        .values("entry_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


def feed_comments(
    *, entry_id: int | None = None, blog_id: int | None = None, limit: int = 30
) -> list[Comment]:
    comments = Comment.objects.approved().on_visible_entries()
    if entry_id is not None:
        comments = comments.filter(entry_id=entry_id)
    if blog_id is not None:
        comments = comments.filter(blog_id=blog_id)
    return list(comments.select_related("entry").order_by("-published_at", "-pk")[:limit])


# The moderation queue -----------------------------------------------------------------------
def moderatable_comments(user: Any) -> CommentQuerySet:
    """The comments a staff member may judge: all for moderators, their blogs' for bloggers."""
    comments: CommentQuerySet = Comment.objects.all()
    if not user.has_perm("conversations.moderate_comment"):
        comments = comments.filter(blog__bloggers__user=user)
    return comments


def moderation_queue(
    *, user: Any, status: str = "", blog_id: int | None = None
) -> QuerySet[Comment]:
    comments = moderatable_comments(user).from_readers()
    if status:
        comments = comments.filter(status=status)
    if blog_id:
        comments = comments.filter(blog_id=blog_id)
    # Oldest waiting first: the queue is worked from the top.
    return (
        comments.select_related("entry", "blog", "moderated_by")
        .annotate(reply_count=Count("replies", filter=Q(replies__status=Comment.Status.APPROVED)))
        .order_by("created_at", "pk")
    )


def moderatable_blogs(user: Any) -> QuerySet[BlogPage]:
    blogs = BlogPage.objects.all()
    if not user.has_perm("conversations.moderate_comment"):
        blogs = blogs.filter(bloggers__user=user).distinct()
    return blogs.order_by("title")


def pending_count(user: Any) -> int:
    return moderatable_comments(user).pending().count()


# Answering on time -------------------------------------------------------------------------
@dataclass(frozen=True)
class ReplyFigures:
    label: str
    questions: int
    answered: int
    median_first_reply: timedelta | None

    @property
    def median_hours(self) -> float | None:
        if self.median_first_reply is None:
            return None
        return self.median_first_reply.total_seconds() / 3600

    @property
    def median_minutes(self) -> float | None:
        if self.median_first_reply is None:
            return None
        return self.median_first_reply.total_seconds() / 60

    @property
    def share_answered(self) -> float:
        return self.answered / self.questions if self.questions else 0.0


def _figures(label: str, waits: list[timedelta | None]) -> ReplyFigures:
    answered = [wait for wait in waits if wait is not None]
    median = None
    if answered:
        median = timedelta(seconds=statistics.median(w.total_seconds() for w in answered))
    return ReplyFigures(label, len(waits), len(answered), median)


# Other apps' figures shown with the report (the question sessions' queues): each a template
# and a function returning its context, registered in the app's AppConfig.ready.
_report_sections: list[tuple[str, Any]] = []


def reply_report_extend(template: str, context: Any) -> None:
    """Show ``template`` with ``context()`` under the answering report."""
    if (template, context) not in _report_sections:
        _report_sections.append((template, context))


def reply_report_sections() -> list[dict[str, Any]]:
    return [{"template": template, **context()} for template, context in _report_sections]


def _with_first_reply(comments: CommentQuerySet) -> Any:
    return (
        comments.approved()
        .from_readers()
        .annotate(
            first_reply=Min(
                "replies__created_at", filter=Q(replies__status=Comment.Status.APPROVED)
            )
        )
        .values(
            "created_at", "first_reply", "blog__title", "blog__mission__name", "entry__language"
        )
    )


def reply_report() -> tuple[list[ReplyFigures], list[ReplyFigures]]:
    """Per blog and per mission: how many published readers' comments got an official reply,
    and the median time from the comment to its first official reply. One query."""
    rows = _with_first_reply(Comment.objects.all())
    by_blog: dict[str, list[timedelta | None]] = {}
    by_mission: dict[str, list[timedelta | None]] = {}
    for row in rows:
        wait = row["first_reply"] - row["created_at"] if row["first_reply"] else None
        by_blog.setdefault(row["blog__title"], []).append(wait)
        mission = row["blog__mission__name"] or _("No mission")
        by_mission.setdefault(mission, []).append(wait)
    return (
        [_figures(label, waits) for label, waits in sorted(by_blog.items())],
        [_figures(label, waits) for label, waits in sorted(by_mission.items())],
    )


def reply_figures(
    *,
    start: datetime,
    end: datetime,
    mission_id: int | None = None,
    blog_id: int | None = None,
    entry_id: int | None = None,
) -> dict[str, list[ReplyFigures]]:
    """The answering report of the comments received in a period (from ``start`` to before
    ``end``), for the network or one mission, blog or entry: by blog, mission and language
    of the entry, plus the whole as "total". One query."""
    comments = Comment.objects.filter(created_at__gte=start, created_at__lt=end)
    if mission_id is not None:
        comments = comments.filter(blog__mission_id=mission_id)
    if blog_id is not None:
        comments = comments.filter(blog_id=blog_id)
    if entry_id is not None:
        comments = comments.filter(entry_id=entry_id)
    return answering_figures(
        AnsweringRow(
            blog=row["blog__title"],
            mission=row["blog__mission__name"] or "",
            language=row["entry__language"] or "",
            wait=row["first_reply"] - row["created_at"] if row["first_reply"] else None,
        )
        for row in _with_first_reply(comments)
    )


@dataclass(frozen=True)
class AnsweringRow:
    """One thing the public sent (a comment, a question): where it was sent, in which
    language, and how long it waited for its first official answer (None: unanswered)."""

    blog: str  # the blog's title; "" for a page of the network itself
    mission: str  # the mission's name; "" for none
    language: str
    wait: timedelta | None


def answering_figures(rows: Iterable[AnsweringRow]) -> dict[str, list[ReplyFigures]]:
    """The answering report of these rows: by blog, mission and language, each sorted by
    label, plus the whole as "total". The comments' (``reply_figures``) and the questions'
    (``questions.queries.question_figures``) are grouped here alike."""
    groups: dict[str, dict[str, list[timedelta | None]]] = {
        "blog": {},
        "mission": {},
        "language": {},
    }
    every: list[timedelta | None] = []
    for row in rows:
        every.append(row.wait)
        groups["blog"].setdefault(row.blog or str(_("No blog")), []).append(row.wait)
        groups["mission"].setdefault(row.mission or str(_("No mission")), []).append(row.wait)
        groups["language"].setdefault(row.language, []).append(row.wait)
    report = {
        name: [_figures(label, waits) for label, waits in sorted(found.items())]
        for name, found in groups.items()
    }
    report["total"] = [_figures(str(_("Total")), every)]
    return report
