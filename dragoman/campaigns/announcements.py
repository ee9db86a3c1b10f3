"""What campaigns announce (see ``dragoman.core.changes``)."""

from __future__ import annotations

from dataclasses import dataclass

from dragoman.core.changes import ContentChanged


@dataclass(frozen=True)
class CampaignWallChanged(ContentChanged):
    """Messages joined or left a campaign's public wall (approved, or an approved one
    rejected after all)."""

    campaign_id: int = 0


@dataclass(frozen=True)
class CampaignPageChanged(ContentChanged):
    """A campaign page was published, unpublished, moved or deleted."""

    campaign_id: int = 0
