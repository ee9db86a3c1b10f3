"""Each database's own full-text index, beside the plain document table.

SQLite: an FTS5 table over the documents (external content, so the text is stored once),
kept in step by triggers, with the Porter stemmer over Unicode words and prefix indexes.
PostgreSQL: a weighted tsvector column with a GIN index, filled by the search services.
Other databases get neither and must use OpenSearch.
"""

from django.db import migrations

COLUMNS = "title, summary, body, tags, authors"

SQLITE_FORWARD = [
    f"""CREATE VIRTUAL TABLE search_entry_fts USING fts5(
        {COLUMNS},
        content='search_entrydocument', content_rowid='entry_id',
        tokenize='porter unicode61 remove_diacritics 2', prefix='2 3 4'
    )""",
    f"""CREATE TRIGGER search_entrydocument_ai AFTER INSERT ON search_entrydocument BEGIN
        INSERT INTO search_entry_fts(rowid, {COLUMNS})
        VALUES (new.entry_id, new.title, new.summary, new.body, new.tags, new.authors);
    END""",
    f"""CREATE TRIGGER search_entrydocument_ad AFTER DELETE ON search_entrydocument BEGIN
        INSERT INTO search_entry_fts(search_entry_fts, rowid, {COLUMNS})
        VALUES ('delete', old.entry_id, old.title, old.summary, old.body, old.tags, old.authors);
    END""",
    f"""CREATE TRIGGER search_entrydocument_au AFTER UPDATE ON search_entrydocument BEGIN
        INSERT INTO search_entry_fts(search_entry_fts, rowid, {COLUMNS})
        VALUES ('delete', old.entry_id, old.title, old.summary, old.body, old.tags, old.authors);
        INSERT INTO search_entry_fts(rowid, {COLUMNS})
        VALUES (new.entry_id, new.title, new.summary, new.body, new.tags, new.authors);
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_entrydocument_au",
    "DROP TRIGGER IF EXISTS search_entrydocument_ad",
    "DROP TRIGGER IF EXISTS search_entrydocument_ai",
    "DROP TABLE IF EXISTS search_entry_fts",
]
POSTGRES_FORWARD = [
    "ALTER TABLE search_entrydocument ADD COLUMN vector tsvector",
    "CREATE INDEX search_entrydocument_vector ON search_entrydocument USING gin (vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_entrydocument_vector",
    "ALTER TABLE search_entrydocument DROP COLUMN IF EXISTS vector",
]


def run(statements: dict[str, list[str]]):
    def operation(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
