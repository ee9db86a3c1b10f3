# The entry footprint is the blogs' own record; its table moves with it (blogs 0008).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("publishing", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="EntryFootprint")],
            database_operations=[],
        ),
    ]
