"""What the communities announce (see ``dragoman.core.changes``).

Nothing of a community is on a public page, so these are not `ContentChanged`: no page of
the shared cache ever needs refreshing for them.
"""

from __future__ import annotations

from dataclasses import dataclass

from dragoman.core.changes import Announcement


@dataclass(frozen=True)
class ReplyPosted(Announcement):
    """A member replied in a thread, answering another member (who may want an email)."""

    reply_id: int = 0
    answered_user_id: int = 0
