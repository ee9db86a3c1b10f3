"""Every change to missions. Missions are edited as snippets in the admin, which saves them
itself; ``signals.py`` forwards those saves here."""

from __future__ import annotations

from django.db import transaction

from dragoman.core.changes import EVERY_PAGE, announce

from .announcements import MissionChanged


@transaction.atomic
def mission_changed(*, mission_id: int) -> None:
    """A mission shows beside its bloggers and blogs on every page: all refresh."""
    announce(MissionChanged(mission_id=mission_id, shown_on=EVERY_PAGE))
