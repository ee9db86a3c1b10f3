from django.apps import AppConfig


class BlogsConfig(AppConfig):
    name = "dragoman.blogs"
    label = "blogs"
    verbose_name = "Blogs"

    def ready(self) -> None:
        from dragoman.core import languages, scheduler

        from . import dependencies, signals, translations

        signals.connect(self)
        dependencies.register()
        languages.page_versions_provide(translations)
        scheduler.every(scheduler.INTERVAL_SECONDS, "publish-scheduled")
        scheduler.every(scheduler.DAY_SECONDS, "listing-counts")
