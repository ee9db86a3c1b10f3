from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "dragoman.conversations"
    label = "conversations"
    verbose_name = _("Conversations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dragoman.blogs.queries import card_data_extend
        from dragoman.core import scheduler
        from dragoman.core.changes import Moment, listen

        from . import notifications, signals  # noqa: F401 - signals connects the receivers
        from .announcements import CommentAnswered, CommentPublished
        from .queries import with_comment_counts

        listen(CommentPublished, notifications.comment_published_notify, moment=Moment.TASK)
        listen(CommentAnswered, notifications.comment_answered_notify, moment=Moment.TASK)
        # Entry cards everywhere show how many comments each entry has.
        card_data_extend(with_comment_counts)
        scheduler.every(scheduler.INTERVAL_SECONDS, "conversations-reopen")
        scheduler.every(scheduler.DAY_SECONDS, "comments-digest")
        scheduler.every(scheduler.DAY_SECONDS, "purge-personal-data")
