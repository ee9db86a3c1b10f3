"""What the question sessions announce (see ``dragoman.core.changes``)."""

from __future__ import annotations

from dataclasses import dataclass

from dragoman.core.changes import ContentChanged


@dataclass(frozen=True)
class SessionChanged(ContentChanged):
    """What readers see of a session changed (a question approved, pinned, answered,
    dismissed, merged, or its votes). ``event_ids`` are the live events written for it."""

    session_id: int = 0
    event_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class QuestionAnswered(SessionChanged):
    """An official answered a question; ``question_id`` is the question's."""

    question_id: int = 0
