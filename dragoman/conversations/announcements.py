"""What the conversations announce (see ``dragoman.core.changes``)."""

from __future__ import annotations

from dataclasses import dataclass

from dragoman.core.changes import ContentChanged


@dataclass(frozen=True)
class ConversationChanged(ContentChanged):
    """What readers see of an entry's conversation changed: a comment or an official reply
    was published, or a published one withdrawn, rejected or marked as spam."""

    entry_id: int = 0
    comment_id: int = 0


@dataclass(frozen=True)
class CommentPublished(ConversationChanged):
    """A reader's comment is now public (on arrival, or approved by a moderator)."""


@dataclass(frozen=True)
class CommentAnswered(ConversationChanged):
    """An official replied to a comment; ``comment_id`` is the reply's."""


@dataclass(frozen=True)
class ConversationSettingsChanged(ContentChanged):
    """The network's switch or a blog's conversation settings changed: every comment form."""
