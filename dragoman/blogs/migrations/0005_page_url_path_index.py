"""An index on Wagtail's page addresses: `HomePage.route` finds a page by its address."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("blogs", "0004_listing_counts"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS dragoman_page_url_path ON wagtailcore_page (url_path)",
            reverse_sql="DROP INDEX IF EXISTS dragoman_page_url_path",
        )
    ]
