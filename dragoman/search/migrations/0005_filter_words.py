"""Filter values as words of the SQLite full-text index (EntryDocument.filter_words).

FTS5 then narrows the matches to a search's filters itself, instead of SQLite looking up
the row of every match to check them: at 100,000 entries a search for common words matched
tens of thousands of rows and spent most of its time there (bench/search.py).

Fills the new column for the rows already indexed (on every database, so the rows mean the
same everywhere), then on SQLite recreates the FTS5 table with the column, its triggers and
the narrow filter index of 0004: adding a column copies the table into a new one, which
drops them (see 0004). Rebuilding the FTS5 index reads every document again: about a minute
per 100,000 entries.
"""

import importlib

from django.db import migrations, models

ENGINE_SQL = importlib.import_module("dragoman.search.migrations.0002_engine_indexes")
FILTER_INDEX = importlib.import_module("dragoman.search.migrations.0004_sqlite_filter_index")

COLUMNS = "title, summary, body, tags, authors, filter_words"
NEW = "new.title, new.summary, new.body, new.tags, new.authors, new.filter_words"
OLD = "old.title, old.summary, old.body, old.tags, old.authors, old.filter_words"

SQLITE_FORWARD = [
    *ENGINE_SQL.SQLITE_BACKWARD,  # the old triggers (if any survived) and FTS table
    f"""CREATE VIRTUAL TABLE search_entry_fts USING fts5(
        {COLUMNS},
        content='search_entrydocument', content_rowid='entry_id',
        tokenize='porter unicode61 remove_diacritics 2', prefix='2 3 4'
    )""",
    "INSERT INTO search_entry_fts(search_entry_fts) VALUES ('rebuild')",
    f"""CREATE TRIGGER search_entrydocument_ai AFTER INSERT ON search_entrydocument BEGIN
        INSERT INTO search_entry_fts(rowid, {COLUMNS}) VALUES (new.entry_id, {NEW});
    END""",
    f"""CREATE TRIGGER search_entrydocument_ad AFTER DELETE ON search_entrydocument BEGIN
        INSERT INTO search_entry_fts(search_entry_fts, rowid, {COLUMNS})
        VALUES ('delete', old.entry_id, {OLD});
    END""",
    f"""CREATE TRIGGER search_entrydocument_au AFTER UPDATE ON search_entrydocument BEGIN
        INSERT INTO search_entry_fts(search_entry_fts, rowid, {COLUMNS})
        VALUES ('delete', old.entry_id, {OLD});
        INSERT INTO search_entry_fts(rowid, {COLUMNS}) VALUES (new.entry_id, {NEW});
    END""",
    FILTER_INDEX.BACKWARD,
    FILTER_INDEX.FORWARD,
    "ANALYZE search_entrydocument",
]
# Back to the FTS5 table of 0002 (the column itself goes with the field).
SQLITE_BACKWARD = [
    *ENGINE_SQL.SQLITE_BACKWARD,
    *ENGINE_SQL.SQLITE_FORWARD,
    "INSERT INTO search_entry_fts(search_entry_fts) VALUES ('rebuild')",
]
# Removing the column may copy the table again (older SQLite), dropping 0002's triggers and
# 0004's index: made again either way.
SQLITE_AFTER_REMOVAL = [
    *FILTER_INDEX.DROP_TRIGGERS,
    *FILTER_INDEX.TRIGGERS,
    FILTER_INDEX.BACKWARD,
    FILTER_INDEX.FORWARD,
]


def word(kind, value):
    # As engines/sqlite.py writes them, as of this migration.
    return kind + str(value).encode().hex()


def filter_words_fill(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT document_id, slug FROM search_indexedtag ORDER BY id")
        tags = {}
        for document_id, slug in cursor.fetchall():
            tags.setdefault(document_id, []).append(word("t", slug))
        cursor.execute("SELECT document_id, blogger_id FROM search_indexedauthor ORDER BY id")
        authors = {}
        for document_id, blogger_id in cursor.fetchall():
            authors.setdefault(document_id, []).append(word("a", blogger_id))
        cursor.execute(
            "SELECT entry_id, language, year, blog_id, mission_id, country_code"
            " FROM search_entrydocument"
        )
        updates = []
        for entry_id, language, year, blog_id, mission_id, country_code in cursor.fetchall():
            words = [word("l", language), word("y", year), word("b", blog_id)]
            if mission_id is not None:
                words.append(word("m", mission_id))
            if country_code:
                words.append(word("c", country_code))
            words += tags.get(entry_id, []) + authors.get(entry_id, [])
            updates.append((" ".join(words), entry_id))
        cursor.executemany(
            "UPDATE search_entrydocument SET filter_words = %s WHERE entry_id = %s", updates
        )


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("search", "0004_sqlite_filter_index")]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, run(SQLITE_AFTER_REMOVAL)),
        migrations.AddField(
            model_name="entrydocument",
            name="filter_words",
            field=models.TextField(blank=True, verbose_name="filter words"),
        ),
        # Before the new FTS5 table exists: no trigger writes the index twice per row.
        migrations.RunPython(filter_words_fill, migrations.RunPython.noop),
        migrations.RunPython(run(SQLITE_FORWARD), run(SQLITE_BACKWARD)),
    ]
