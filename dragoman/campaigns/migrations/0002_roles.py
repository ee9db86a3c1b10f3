"""The digital team and the moderators judge and export campaign messages."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def roles_update(apps, schema_editor):
    # Permissions are normally created after all migrations ran; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    from dragoman.authoring.roles import roles_ensure

    roles_ensure(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0001_initial"),
        ("authoring", "0003_roles_daily_work"),
    ]

    operations = [migrations.RunPython(roles_update, migrations.RunPython.noop)]
