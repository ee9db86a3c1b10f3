from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "dragoman.publishing"
    label = "publishing"
    verbose_name = "Publishing"

    def ready(self) -> None:
        from . import signals

        signals.connect()
