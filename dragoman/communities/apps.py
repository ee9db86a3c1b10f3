from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "dragoman.communities"
    label = "communities"
    verbose_name = _("Communities")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_save, pre_save
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model

        from dragoman.blogs.forms import default_author_provide
        from dragoman.core.changes import Moment, listen

        from . import signals
        from .announcements import ReplyPosted
        from .queries import entry_author_default
        from .services import reply_notify

        # A manager's new entry starts credited to the shared profile (rights.py).
        default_author_provide(entry_author_default)

        # Sending an email may be slow or fail: a task, tried again, never undoes the reply.
        listen(ReplyPosted, reply_notify, moment=Moment.TASK)

        # Images and documents are stored on the side (public or members') their collection says.
        for model in (get_image_model(), get_document_model()):
            uid = f"communities-media-{model._meta.label}"
            pre_save.connect(signals.media_before_save, sender=model, dispatch_uid=uid)
            post_save.connect(signals.media_after_save, sender=model, dispatch_uid=uid)
