from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MigrationConfig(AppConfig):
    name = "dragoman.migration"
    label = "migration"
    verbose_name = _("Import and export")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dragoman.publishing import pagecache

        from .middleware import LEGACY_PARAMETERS

        # An old site's `/?p=123` must reach the redirect, never the cached home page.
        pagecache.UNCACHED_PARAMETERS.update(LEGACY_PARAMETERS)
