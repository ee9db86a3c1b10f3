"""What the missions announce (see ``dragoman.core.changes``)."""

from __future__ import annotations

from dataclasses import dataclass

from dragoman.core.changes import ContentChanged


@dataclass(frozen=True)
class MissionChanged(ContentChanged):
    """A mission's name, country or page changed: it shows beside its bloggers everywhere."""

    mission_id: int = 0
