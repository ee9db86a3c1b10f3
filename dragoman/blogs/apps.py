from django.apps import AppConfig
from django.db.models.signals import post_migrate


class BlogsConfig(AppConfig):
    name = "dragoman.blogs"
    label = "blogs"
    verbose_name = "Blogs"

    def ready(self) -> None:
        from wagtail.signals import post_page_move

        from .models import EntryPage
        from .signals import ensure_network_after_migrate, entry_moved

        post_migrate.connect(ensure_network_after_migrate, sender=self)
        post_page_move.connect(entry_moved, sender=EntryPage, dispatch_uid="blogs_entry_moved")
