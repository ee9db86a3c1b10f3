"""Give each role the permissions its daily work needs in the admin.

The digital team gains the comments queue, the answering report, the network and blog
conversation settings, the missions and the channel register; moderators keep comments only.
Until now only superusers reached these pages.
"""

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
        ("authoring", "0002_roles"),
        ("conversations", "0002_moderators_group"),
        ("missions", "0001_initial"),
        ("channels", "0001_initial"),
    ]

    # Going back leaves the permissions granted: removing them could take away what an
    # administrator granted by hand since.
    operations = [migrations.RunPython(roles_update, migrations.RunPython.noop)]
