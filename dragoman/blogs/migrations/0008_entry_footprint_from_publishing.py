# The entry footprint moves from publishing (which now knows no domain app) to the blogs:
# the model in Django's state, then its table under the blogs' name. No row is copied.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("blogs", "0007_entry_blog"),
        ("publishing", "0002_entry_footprint_to_blogs"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="EntryFootprint",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("entry_id", models.BigIntegerField(unique=True, verbose_name="entry")),
                        ("live", models.BooleanField(default=False, verbose_name="live")),
                        ("blog_id", models.BigIntegerField(blank=True, null=True, verbose_name="blog")),
                        ("blog_slug", models.CharField(blank=True, max_length=255, verbose_name="blog slug")),
                        ("date", models.DateTimeField(blank=True, null=True, verbose_name="publication date")),
                        ("blogger_slugs", models.JSONField(blank=True, default=list, verbose_name="blogger slugs")),
                        ("tag_slugs", models.JSONField(blank=True, default=list, verbose_name="tag slugs")),
                        ("url_path", models.TextField(blank=True, verbose_name="address in the page tree")),
                    ],
                    options={
                        "verbose_name": "entry footprint",
                        "verbose_name_plural": "entry footprints",
                        "db_table": "publishing_entryfootprint",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="entryfootprint", table=None),
    ]
