from django.apps import AppConfig


class MissionsConfig(AppConfig):
    name = "dragoman.missions"
    label = "missions"
    verbose_name = "Missions"

    def ready(self) -> None:
        from . import signals

        signals.connect()
