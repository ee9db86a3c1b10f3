"""Forward changes of the register to publishing: mission, blog and profile pages list channels."""

from typing import Any

from django.db.models.signals import post_delete, post_save


def channel_changed(sender: Any, **kwargs: Any) -> None:
    from dragoman.publishing import services

    # Any page may show a channel (a mission's, a blog's, a profile's): refresh them all.
    services.site_refresh()


def connect() -> None:
    from .models import Channel

    for signal in (post_save, post_delete):
        signal.connect(
            channel_changed,
            sender=Channel,
            dispatch_uid=f"dragoman_channels_changed_{signal is post_save}",
        )
