"""What the federation announces (see ``dragoman.core.changes``)."""

from __future__ import annotations

from dataclasses import dataclass

from dragoman.core.changes import ContentChanged


@dataclass(frozen=True)
class ReactionsChanged(ContentChanged):
    """The count of likes or boosts of an entry changed: its page shows the counts, so the
    page cache refreshes it (``shown_on``), as for any content."""

    entry_id: int = 0
