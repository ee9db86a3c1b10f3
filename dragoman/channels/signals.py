"""Forward changes of the register made anywhere (services, admin, imports) to the action."""

from typing import Any

from django.db.models.signals import post_delete, post_save


def channel_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    from . import services

    services.channel_changed(channel_id=instance.pk)


def connect() -> None:
    from .models import Channel

    for signal in (post_save, post_delete):
        signal.connect(
            channel_saved,
            sender=Channel,
            dispatch_uid=f"dragoman_channels_changed_{signal is post_save}",
        )
