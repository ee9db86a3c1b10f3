"""Give every existing community its managers' group, and its active managers their rights."""

from django.db import migrations

from dragoman.communities.rights import community_author_ensure, managers_group_ensure


def managers_rights_grant(apps, schema_editor):
    community_model = apps.get_model("communities", "Community")
    membership_model = apps.get_model("communities", "Membership")
    permission_model = apps.get_model("auth", "Permission")
    if not community_model.objects.exists():
        return
    # Permissions are created after migrating; a database with communities already has them.
    if not permission_model.objects.filter(codename="access_admin").exists():
        return
    community_author_ensure(apps)
    for community in community_model.objects.all():
        group = managers_group_ensure(apps, community)
        managers = membership_model.objects.filter(
            community=community, role="manager", status="active"
        )
        group.user_set.add(*(membership.user_id for membership in managers))


class Migration(migrations.Migration):
    dependencies = [
        ("communities", "0003_community_managers"),
        ("blogs", "0009_entry_footprint_path"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(managers_rights_grant, migrations.RunPython.noop)]
