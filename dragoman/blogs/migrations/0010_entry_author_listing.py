from django.db import migrations, models


def copy_entry_fields(apps, schema_editor):
    """Each credit takes its entry's live flag and date, as `entry_copies_write` writes them.

    One UPDATE ... FROM joining the entries (PostgreSQL, SQLite 3.33+), not the ORM's
    subquery per row: a network of 1,000,000 entries has about as many credits.
    """
    EntryAuthor = apps.get_model("blogs", "EntryAuthor")
    EntryPage = apps.get_model("blogs", "EntryPage")
    Page = apps.get_model("wagtailcore", "Page")
    credit, entry, page = (
        EntryAuthor._meta.db_table,
        EntryPage._meta.db_table,
        Page._meta.db_table,
    )
    # Our own table names only; no values.
    schema_editor.execute(
        f"UPDATE {credit} SET entry_live = p.live, entry_date = e.date "  # noqa: S608
        f"FROM {entry} e JOIN {page} p ON p.id = e.page_ptr_id "
        f"WHERE e.page_ptr_id = {credit}.entry_id"
    )


class Migration(migrations.Migration):

    dependencies = [
        ("blogs", "0009_entry_footprint_path"),
    ]

    operations = [
        migrations.AddField(
            model_name="entryauthor",
            name="entry_date",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="entryauthor",
            name="entry_live",
            field=models.BooleanField(default=False, editable=False),
        ),
        # Filled before the index is made: one index build, not a million index updates.
        migrations.RunPython(copy_entry_fields, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="entryauthor",
            index=models.Index(
                fields=["blogger", "entry_live", "-entry_date", "-entry"],
                name="entry_author_listing",
            ),
        ),
    ]
