"""Forward the admin's saves of missions to the action; no rule lives here."""

from typing import Any

from django.db.models.signals import post_delete, post_save


def mission_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    from . import services

    services.mission_changed(mission_id=instance.pk)


def connect() -> None:
    from .models import Mission

    for signal in (post_save, post_delete):
        signal.connect(
            mission_saved,
            sender=Mission,
            dispatch_uid=f"dragoman_missions_changed_{signal is post_save}",
        )
