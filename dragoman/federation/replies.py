"""Official replies going back to the server a comment came from."""

from __future__ import annotations

from dragoman.conversations.announcements import CommentAnswered
from dragoman.conversations.models import Comment

from . import services


def comment_answered_federate(announcement: CommentAnswered) -> None:
    """A TASK listener: an official answered; if the comment came from another server,
    the answer goes back to its author as a Note."""
    reply = Comment.objects.filter(pk=announcement.comment_id).first()
    if reply is None or reply.status != Comment.Status.APPROVED:
        return
    services.official_reply_deliver(reply=reply)
