from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FederationConfig(AppConfig):
    name = "dragoman.federation"
    label = "federation"
    verbose_name = _("Federation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dragoman.blogs.announcements import EntryChanged
        from dragoman.conversations.announcements import CommentAnswered
        from dragoman.core import scheduler
        from dragoman.core.changes import Moment, listen

        from . import publication, replies

        # Deliveries never run in the publishing request: a task after the commit.
        listen(EntryChanged, publication.entry_changed_federate, moment=Moment.TASK)
        listen(CommentAnswered, replies.comment_answered_federate, moment=Moment.TASK)
        scheduler.every(scheduler.DAY_SECONDS, "federation-blocklists-refresh")
        from django.db.models.signals import post_save

        from .models import FederationSettings

        post_save.connect(
            _settings_saved, sender=FederationSettings, dispatch_uid="federation-settings-saved"
        )


def _settings_saved(*, created: bool = False, **kwargs: object) -> None:
    # Turning the counts of likes and boosts on or off changes every entry's page (the row
    # made on first reading holds the defaults: nothing shown changes then).
    from .services import reactions_setting_changed

    if not created:
        reactions_setting_changed()
