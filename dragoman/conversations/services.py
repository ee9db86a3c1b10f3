"""Every write to conversations: submit, approve, reject, spam, withdraw, reply, purge.

Each service is one transaction. Whatever must follow a change (refreshing the cached pages
that show the comment, telling the reader) is scheduled with `transaction.on_commit`, so that
nobody is told about, and no page shows, a change that was rolled back.
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

from dragoman.blogs.models import BlogPage, EntryPage

from . import notifications
from .defences import body_hash
from .models import BlogConversationSettings, Comment, NetworkConversationSettings
from .rendering import comment_html

logger = logging.getLogger(__name__)


def entry_pages_refresh_after_commit(*, entry_id: int) -> None:
    """Ask `publishing` to refresh the entry's cached pages once the transaction commits.

    Guarded, so that conversations keep working while `publishing` is absent or changing.
    """

    def refresh() -> None:
        try:
            from dragoman.publishing.services import entry_pages_refresh
        except ImportError:
            logger.warning("dragoman.publishing is missing; cached pages were not refreshed.")
            return
        entry_pages_refresh(entry_id=entry_id)

    transaction.on_commit(refresh)


def site_pages_refresh_after_commit() -> None:
    """Every cached page, after commit: a network or blog switch changes every comment form."""

    def refresh() -> None:
        try:
            from dragoman.publishing.services import site_refresh
        except ImportError:
            logger.warning("dragoman.publishing is missing; cached pages were not refreshed.")
            return
        site_refresh()

    transaction.on_commit(refresh)


def conversation_settings_changed() -> None:
    """Called whenever the network switch or a blog's settings change (also from the admin)."""
    site_pages_refresh_after_commit()


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
) -> Comment:
    """Store a reader's comment, durably, before the reader is thanked.

    Precondition: the conversation is open and the request passed the defences (the view
    checks both). Raises ValidationError for a duplicate of a recent comment on this entry.
    """
    digest = body_hash(body)
    since = timezone.now() - timedelta(days=1)
    duplicate = (
        Comment.objects.filter(entry=entry, body_hash=digest, created_at__gte=since)
        .exclude(status=Comment.Status.WITHDRAWN)
        .exists()
    )
    if duplicate:
        raise ValidationError({"body": _("This comment has already been sent.")})
    now = timezone.now()
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
        entry_pages_refresh_after_commit(entry_id=entry.pk)
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
        entry_pages_refresh_after_commit(entry_id=comment.entry_id)
    return comment


# Moderator side ------------------------------------------------------------------------------
def _moderate(
    *, comment: Comment, acting_user: Any, status: str, reason: str = ""
) -> tuple[Comment, str]:
    _check_can_moderate(acting_user, comment)
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    previous = comment.status
    if previous == Comment.Status.WITHDRAWN:
        raise ValidationError(_("The reader withdrew this comment; it cannot be moderated."))
    now = timezone.now()
    comment.status = status
    comment.moderated_at = now
    comment.moderated_by = acting_user
    comment.rejection_reason = reason.strip()
    if status == Comment.Status.APPROVED and comment.published_at is None:
        comment.published_at = now
    comment.full_clean()
    comment.save()
    if Comment.Status.APPROVED in (previous, status) and previous != status:
        entry_pages_refresh_after_commit(entry_id=comment.entry_id)
    return comment, previous


@transaction.atomic
def comment_approve(*, comment: Comment, acting_user: Any) -> Comment:
    comment, previous = _moderate(
        comment=comment, acting_user=acting_user, status=Comment.Status.APPROVED
    )
    if previous != Comment.Status.APPROVED and comment.notify and comment.email:
        comment_id = comment.pk
        transaction.on_commit(
            lambda: notifications.comment_published_notify.enqueue(comment_id=comment_id)
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
def official_reply_create(*, comment: Comment, acting_user: Any, body: str) -> Comment:
    """A blogger or moderator answers a reader's comment in the thread (one level deep).

    The reply is published at once under the staff member's name and job title as they are
    today: from their blogger profile, else their account name and "Moderator".
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
    now = timezone.now()
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
    entry_pages_refresh_after_commit(entry_id=comment.entry_id)
    if comment.notify and comment.email:
        reply_id = reply.pk
        transaction.on_commit(
            lambda: notifications.comment_answered_notify.enqueue(reply_id=reply_id)
        )
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
