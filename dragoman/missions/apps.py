from django.apps import AppConfig


class MissionsConfig(AppConfig):
    name = "dragoman.missions"
    label = "missions"
    verbose_name = "Missions"
