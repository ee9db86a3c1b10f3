"""Every write to conversations: submit, approve, reject, spam, withdraw, reply, purge.

Each service is one transaction. Whatever must follow a change is announced
(``announcements.py``) and heard after the commit: the page cache refreshes the pages that
show the comment, the notifications tell the reader (a task, retried), so that nobody is told
about, and no page shows, a change that was rolled back.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dragoman.blogs import footprints
from dragoman.blogs.models import BlogPage, EntryPage
from dragoman.core.changes import EVERY_PAGE, announce, shown_on

from .announcements import (
    CommentAnswered,
    CommentPublished,
    ConversationChanged,
    ConversationSettingsChanged,
)
from .defences import body_hash
from .models import BlogConversationSettings, Comment, NetworkConversationSettings
from .rendering import comment_html

logger = logging.getLogger(__name__)


def _conversation_changed(comment: Comment, kind: type[ConversationChanged]) -> None:
    """Announce, after this transaction, that what readers see of the entry's conversation
    changed: its pages (entry, lists with comment counts, recent comments) refresh, and
    whoever listens (the notifications) acts."""
    pages = shown_on(footprints.entry_pages(comment.entry_id))
    announce(kind(entry_id=comment.entry_id, comment_id=comment.pk, shown_on=pages))


def conversation_settings_changed() -> None:
    """Called whenever the network switch or a blog's settings change (also from the admin):
    every comment form changes."""
    announce(ConversationSettingsChanged(shown_on=EVERY_PAGE))


# Permissions ---------------------------------------------------------------------------------
def user_can_moderate_any(user: Any) -> bool:
    """Moderators and superusers moderate everywhere; bloggers moderate their own blogs."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.has_perm("conversations.moderate_comment"):
        return True
    return BlogPage.objects.filter(bloggers__user=user).exists()


def user_can_moderate(user: Any, *, blog_id: int) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.has_perm("conversations.moderate_comment"):
        return True
    return BlogPage.objects.filter(pk=blog_id, bloggers__user=user).exists()


def _check_can_moderate(user: Any, comment: Comment) -> None:
    if not user_can_moderate(user, blog_id=comment.blog_id):
        raise PermissionDenied(_("You may not moderate comments on this blog."))


# Reader side ---------------------------------------------------------------------------------
@transaction.atomic
def comment_submit(
    *,
    entry: EntryPage,
    blog: BlogPage,
    name: str,
    body: str,
    email: str = "",
    notify: bool = False,
    ip_hash: str = "",
    mode: str = BlogConversationSettings.Mode.PRE_MODERATION,
    spam: bool = False,
    now: datetime | None = None,
) -> Comment:
    """Store a reader's comment, durably, before the reader is thanked.

    Precondition: the conversation is open and the request passed the defences (the view
    checks both). Raises ValidationError for a duplicate of a recent comment on this entry.
    `now` dates a conversation written earlier (imports, the demo); readers' comments take
    the present time.
    """
    now = now or timezone.now()
    digest = body_hash(body)
    since = now - timedelta(days=1)
    duplicate = (
        Comment.objects.filter(entry=entry, body_hash=digest, created_at__gte=since)
        .exclude(status=Comment.Status.WITHDRAWN)
        .exists()
    )
    if duplicate:
        raise ValidationError({"body": _("This comment has already been sent.")})
    published = mode == BlogConversationSettings.Mode.POST_MODERATION and not spam
    if spam:
        status = Comment.Status.SPAM
    elif published:
        status = Comment.Status.APPROVED
    else:
        status = Comment.Status.PENDING
    comment = Comment(
        entry=entry,
        blog=blog,
        name=name.strip(),
        email=email.strip(),
        notify=notify and bool(email),
        body=body.strip(),
        body_html=comment_html(body),
        body_hash=digest,
        ip_hash=ip_hash,
        status=status,
        created_at=now,
        published_at=now if published else None,
    )
    comment.full_clean()
    comment.save()
    if published:
        _conversation_changed(comment, CommentPublished)
    return comment


@transaction.atomic
def comment_withdraw(*, comment: Comment) -> Comment:
    """The reader takes their comment back (from the private link of the thank-you page)."""
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.status == Comment.Status.WITHDRAWN:
        return comment
    was_public = comment.status == Comment.Status.APPROVED
    comment.status = Comment.Status.WITHDRAWN
    comment.notify = False
    comment.save(update_fields=["status", "notify"])
    if was_public:
        _conversation_changed(comment, ConversationChanged)
    return comment


@transaction.atomic
def comment_revise(*, comment: Comment, body: str) -> Comment:
    """The author changed their comment (a reply edited on another server). The new text is
    judged again: an approved comment goes back to the moderation queue (and off the page)
    until a moderator approves it; a rejected, spam or withdrawn one stays as it is, unseen."""
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    body = body.strip()
    if comment.status not in (Comment.Status.PENDING, Comment.Status.APPROVED):
        return comment
    if body == comment.body:
        return comment
    was_public = comment.status == Comment.Status.APPROVED
    comment.body = body
    comment.body_html = comment_html(body)
    comment.body_hash = body_hash(body)
    comment.status = Comment.Status.PENDING
    comment.full_clean()
    comment.save()
    if was_public:
        _conversation_changed(comment, ConversationChanged)
    return comment


# Moderator side ------------------------------------------------------------------------------
def _moderate(
    *,
    comment: Comment,
    acting_user: Any,
    status: str,
    reason: str = "",
    now: datetime | None = None,
) -> tuple[Comment, str]:
    _check_can_moderate(acting_user, comment)
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    previous = comment.status
    if previous == Comment.Status.WITHDRAWN:
        raise ValidationError(_("The reader withdrew this comment; it cannot be moderated."))
    now = now or timezone.now()
    comment.status = status
    comment.moderated_at = now
    comment.moderated_by = acting_user
    comment.rejection_reason = reason.strip()
    if status == Comment.Status.APPROVED and comment.published_at is None:
        comment.published_at = now
    comment.full_clean()
    comment.save()
    if status == Comment.Status.APPROVED and previous != status:
        _conversation_changed(comment, CommentPublished)
    elif previous == Comment.Status.APPROVED and previous != status:
        _conversation_changed(comment, ConversationChanged)
    return comment, previous


@transaction.atomic
def comment_approve(*, comment: Comment, acting_user: Any, now: datetime | None = None) -> Comment:
    """Publish a comment. `now` dates a moderation done earlier (imports, the demo)."""
    comment, _previous = _moderate(
        comment=comment, acting_user=acting_user, status=Comment.Status.APPROVED, now=now
    )
    return comment


@transaction.atomic
def comment_reject(*, comment: Comment, acting_user: Any, reason: str = "") -> Comment:
    comment, _previous = _moderate(
        comment=comment, acting_user=acting_user, status=Comment.Status.REJECTED, reason=reason
    )
    return comment


@transaction.atomic
def comment_mark_spam(*, comment: Comment, acting_user: Any) -> Comment:
    comment, _previous = _moderate(
        comment=comment, acting_user=acting_user, status=Comment.Status.SPAM
    )
    return comment


MODERATION_ACTIONS = {
    "approve": comment_approve,
    "spam": comment_mark_spam,
}


def comments_moderate(
    *, comments: Iterable[Comment], action: str, acting_user: Any, reason: str = ""
) -> int:
    """Apply one action to many comments (the queue's bulk actions); returns how many changed.

    Each comment is its own transaction: one the reader withdrew meanwhile is skipped, the
    others still go through.
    """
    done = 0
    for comment in comments:
        try:
            if action == "reject":
                comment_reject(comment=comment, acting_user=acting_user, reason=reason)
            else:
                MODERATION_ACTIONS[action](comment=comment, acting_user=acting_user)
        except ValidationError:
            continue
        done += 1
    return done


@transaction.atomic
def official_reply_create(
    *, comment: Comment, acting_user: Any, body: str, now: datetime | None = None
) -> Comment:
    """A blogger or moderator answers a reader's comment in the thread (one level deep).

    The reply is published at once under the staff member's name and job title as they are
    today: from their blogger profile, else their account name and "Moderator". `now` dates
    a reply given earlier (imports, the demo), which the answering report measures.
    """
    _check_can_moderate(acting_user, comment)
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.parent_id is not None:
        raise ValidationError(_("Official replies answer a reader's comment, not another reply."))
    if comment.status != Comment.Status.APPROVED:
        raise ValidationError(_("Approve the comment before answering it."))
    blogger = getattr(acting_user, "blogger", None)
    if blogger is not None:
        name, job_title = blogger.display_name, blogger.job_title
    else:
        name = acting_user.get_full_name() or acting_user.get_username()
        job_title = _("Moderator")
    now = now or timezone.now()
    reply = Comment(
        entry_id=comment.entry_id,
        blog_id=comment.blog_id,
        parent=comment,
        name=name,
        job_title=job_title,
        author=acting_user,
        body=body.strip(),
        body_html=comment_html(body),
        body_hash=body_hash(body),
        status=Comment.Status.APPROVED,
        created_at=now,
        published_at=now,
        moderated_at=now,
        moderated_by=acting_user,
    )
    reply.full_clean()
    reply.save()
    _conversation_changed(reply, CommentAnswered)
    return reply


# Settings ------------------------------------------------------------------------------------
@transaction.atomic
def blog_conversation_settings_set(
    *, blog: BlogPage, mode: str | None = None, close_after_days: int | None = None
) -> BlogConversationSettings:
    conversation_settings, _created = BlogConversationSettings.objects.get_or_create(blog=blog)
    if mode is not None:
        conversation_settings.mode = mode
    if close_after_days is not None:
        conversation_settings.close_after_days = close_after_days
    conversation_settings.full_clean()
    conversation_settings.save()
    return conversation_settings


@transaction.atomic
def network_conversations_close(
    *, banner: str = "", reopen_at: datetime | None = None
) -> NetworkConversationSettings:
    """Close every comment form on the network (pre-election period, crisis)."""
    network = NetworkConversationSettings.load()
    network.comments_closed = True
    network.closed_banner = banner
    network.reopen_at = reopen_at
    network.save()
    return network


@transaction.atomic
def network_conversations_reopen() -> NetworkConversationSettings:
    network = NetworkConversationSettings.load()
    network.comments_closed = False
    network.reopen_at = None
    network.save()
    return network


@transaction.atomic
def network_conversations_reopen_due() -> bool:
    """Reopen the network when its reopening time has passed (run every few minutes by the
    scheduler), so that cached pages show the comment forms again. True if it reopened."""
    network = NetworkConversationSettings.load()
    if not network.comments_closed or network.reopen_at is None:
        return False
    if network.reopen_at > timezone.now():
        return False
    network_conversations_reopen()
    return True


@transaction.atomic
def blocklist_set(*, words: Iterable[str]) -> NetworkConversationSettings:
    network = NetworkConversationSettings.load()
    network.blocked_words = "\n".join(word.strip() for word in words if word.strip())
    network.save()
    return network


# Privacy -------------------------------------------------------------------------------------
def retention_days() -> int:
    return int(getattr(settings, "DRAGOMAN_COMMENT_RETENTION_DAYS", 180))


@transaction.atomic
def personal_data_purge(*, days: int | None = None, dry_run: bool = False) -> int:
    """Forget email addresses and client hashes of comments older than the retention period.

    The comments themselves stay (they are part of the public record once published);
    only what identifies the reader privately goes. Returns how many comments it touched.
    """
    cutoff = timezone.now() - timedelta(days=retention_days() if days is None else days)
    comments = Comment.objects.filter(created_at__lt=cutoff, personal_data_purged=False)
    count = comments.count()
    if not dry_run:
        comments.update(email="", ip_hash="", notify=False, personal_data_purged=True)
    return count
