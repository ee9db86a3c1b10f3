from django.apps import AppConfig


class AuthoringConfig(AppConfig):
    name = "dragoman.authoring"
    label = "authoring"
    verbose_name = "Authoring and permissions"

    def ready(self) -> None:
        from .forms import entry_form_require_future_schedule

        entry_form_require_future_schedule()
