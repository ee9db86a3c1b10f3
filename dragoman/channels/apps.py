from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelsConfig(AppConfig):
    name = "dragoman.channels"
    label = "channels"
    verbose_name = _("Official channels")

    def ready(self) -> None:
        from . import signals

        signals.connect()
