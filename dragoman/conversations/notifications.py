"""Emails about conversations: to readers who opted in, and a digest to moderators.

Reader emails listen to the conversations' announcements as tasks (``apps.py``; django-tasks,
enqueued after the commit that made them true, tried again if the mail server fails), so that
a moderator never waits for a mail server.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail, send_mass_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from .announcements import CommentAnswered, CommentPublished


def _entry_address(entry: object) -> str:
    return f"{settings.BASE_URL}{getattr(entry, 'url', '') or ''}"


def comment_published_notify(announcement: CommentPublished) -> bool:
    """Tell the reader that a moderator published their comment (a comment shown on arrival
    needs no email: the reader saw it)."""
    from .models import Comment

    comment = Comment.objects.select_related("entry").filter(pk=announcement.comment_id).first()
    if comment is None or not (comment.notify and comment.email):
        return False
    if comment.status != Comment.Status.APPROVED or comment.moderated_at is None:
        return False
    body = render_to_string(
        "conversations/email/published.txt",
        {"comment": comment, "entry_address": _entry_address(comment.entry)},
    )
    send_mail(
        _("Your comment is published"),
        body,
        settings.DEFAULT_FROM_EMAIL,
        [comment.email],
    )
    return True


def comment_answered_notify(announcement: CommentAnswered) -> bool:
    """Tell the reader that their comment has an official reply."""
    from .models import Comment

    reply = (
        Comment.objects.select_related("parent", "entry").filter(pk=announcement.comment_id).first()
    )
    if reply is None or reply.parent is None:
        return False
    comment = reply.parent
    if not (comment.notify and comment.email) or comment.status != Comment.Status.APPROVED:
        return False
    body = render_to_string(
        "conversations/email/answered.txt",
        {"comment": comment, "reply": reply, "entry_address": _entry_address(reply.entry)},
    )
    send_mail(
        _("Your comment has been answered"), body, settings.DEFAULT_FROM_EMAIL, [comment.email]
    )
    return True


def moderator_addresses() -> list[str]:
    """Everyone who holds the moderation permission, directly, through a group, or as superuser."""
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .filter(
            Q(is_superuser=True)
            | Q(user_permissions__codename="moderate_comment")
            | Q(groups__permissions__codename="moderate_comment")
        )
        .distinct()
    )
    return sorted({user.email for user in users})


def moderators_digest_send(*, dry_run: bool = False) -> tuple[int, int]:
    """Email every moderator the list of comments waiting; returns (comments, recipients)."""
    from .models import Comment

    pending = list(
        Comment.objects.pending().select_related("entry", "blog").order_by("created_at")[:200]
    )
    recipients = moderator_addresses()
    if not pending or not recipients or dry_run:
        return len(pending), 0 if dry_run else len(recipients) * bool(pending)
    body = render_to_string(
        "conversations/email/digest.txt",
        {
            "comments": pending,
            "queue_address": settings.BASE_URL + reverse("conversations_admin:queue"),
        },
    )
    subject = _("%(count)d comments wait for moderation") % {"count": len(pending)}
    send_mass_mail(
        [(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in recipients]
    )
    return len(pending), len(recipients)
