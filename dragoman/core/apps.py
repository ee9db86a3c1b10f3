from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dragoman.core"
    label = "core"
    verbose_name = "Dragoman core"
