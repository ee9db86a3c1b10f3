from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReachConfig(AppConfig):
    """The addresses readers may use where the main one is blocked: the mirror list, as a
    page and a feed, edited by the digital team (the host handling itself is in core:
    ``dragoman.core.hosts``)."""

    name = "dragoman.reach"
    label = "reach"
    verbose_name = _("Reach")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from dragoman.core import hosts
        from dragoman.publishing import pagecache

        from . import services, signals
        from .models import ReachSettings

        # The mirrors and onion address the digital team set replace the settings' defaults.
        # Every process reads them again once the page cache's epoch moves: a save refreshes
        # every page (``services.addresses_changed``), which moves the epoch in the shared
        # cache after the commit, and each process already reads the epoch for its cache hits.
        hosts.addresses_provide(services.addresses_in_force, version=pagecache.current_epoch)
        for signal in (post_save, post_delete):
            signal.connect(
                signals.reach_settings_changed,
                sender=ReachSettings,
                dispatch_uid=f"dragoman_reach_settings_{signal is post_save}",
            )
