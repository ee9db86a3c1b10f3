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

        from dragoman.core.changes import Moment, listen

        from . import signals
        from .announcements import ReplyPosted
        from .services import reply_notify

        # Sending an email may be slow or fail: a task, tried again, never undoes the reply.
        listen(ReplyPosted, reply_notify, moment=Moment.TASK)

        # Images and documents are stored on the side (public or members') their collection says.
        for model in (get_image_model(), get_document_model()):
            uid = f"communities-media-{model._meta.label}"
            pre_save.connect(signals.media_before_save, sender=model, dispatch_uid=uid)
            post_save.connect(signals.media_after_save, sender=model, dispatch_uid=uid)
