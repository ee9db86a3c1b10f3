"""SQLite: a covering index of every filter column, keyed by entry.

SQLite walks the full-text matches and looks each document up by its entry id; the document
rows are wide (they hold the entry's text), so reading them for the filters and facets touched
a page per match. This narrow index answers those lookups alone (3-4 times faster at 100,000
entries, bench/search.py). PostgreSQL plans the same query differently and does not need it.

Also recreates the FTS triggers: SQLite alters a table (0003 added a column) by copying it
into a new one, which drops the triggers of the old. Any later migration that alters
search_entrydocument must recreate them the same way.
"""

import importlib

from django.db import migrations

FORWARD = (
    "CREATE INDEX search_doc_filters ON search_entrydocument "
    "(entry_id, date, language, blog_id, year, mission_id, country_code, tag_slugs)"
)
BACKWARD = "DROP INDEX IF EXISTS search_doc_filters"


ENGINE_SQL = importlib.import_module("dragoman.search.migrations.0002_engine_indexes")
TRIGGERS = [statement for statement in ENGINE_SQL.SQLITE_FORWARD if "CREATE TRIGGER" in statement]
DROP_TRIGGERS = [s for s in ENGINE_SQL.SQLITE_BACKWARD if "TRIGGER" in s]


def run(*statements: str):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("search", "0003_tag_facets")]

    operations = [
        migrations.RunPython(run(FORWARD, *DROP_TRIGGERS, *TRIGGERS), run(BACKWARD)),
    ]
