from django.apps import AppConfig


class SearchConfig(AppConfig):
    # "search" does not clash with Wagtail's own search app, whose label is "wagtailsearch".
    name = "dragoman.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from . import signals

        signals.connect()
