from django.apps import AppConfig
from django.db.models.signals import post_migrate


class BlogsConfig(AppConfig):
    name = "dragoman.blogs"
    label = "blogs"
    verbose_name = "Blogs"

    def ready(self) -> None:
        from .signals import ensure_network_after_migrate

        post_migrate.connect(ensure_network_after_migrate, sender=self)
