from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "dragoman.demo"
    label = "demo"
    verbose_name = "Demo network"
