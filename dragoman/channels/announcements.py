"""What the register announces (see ``dragoman.core.changes``)."""

from __future__ import annotations

from dataclasses import dataclass

from dragoman.core.changes import ContentChanged


@dataclass(frozen=True)
class ChannelChanged(ContentChanged):
    """A channel was added, changed, verified or removed: mission, blog and profile pages
    list channels."""

    channel_id: int = 0
