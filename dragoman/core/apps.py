from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dragoman.core"
    label = "core"
    verbose_name = "Dragoman core"

    def ready(self) -> None:
        # The start-up checks; the `id` path converter, registered before any URLconf (the
        # admin's included) is read; the receivers of the network's settings.
        from . import checks, converters, signals  # noqa: F401
