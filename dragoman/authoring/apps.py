from django.apps import AppConfig


class AuthoringConfig(AppConfig):
    name = "dragoman.authoring"
    label = "authoring"
    verbose_name = "Authoring and permissions"
