"""PostgreSQL: the search index takes each new document at once (GIN's fastupdate off).

With fastupdate on (PostgreSQL's default), new documents wait in a pending list until it
reaches gin_pending_list_limit (4 MB) or a vacuum merges it, and every search reads the whole
list. After a seed of 1,000,000 entries it held 512 documents in 496 pages, and each of a
search's two or three scans of the index spent about 1.5 ms on it. A network adds an entry
now and then and is searched all the time: each document now goes straight into the index.
Loads of many documents (`dragoman seed`, `dragoman reindex`) turn the list on while they
write and merge it at the end (`PostgresEngine.load_begin` and `rebuild`).
"""

from django.db import migrations

POSTGRES_FORWARD = [
    "ALTER INDEX search_doc_vector_id SET (fastupdate = off)",
    # What was waiting, merged now, not at the next vacuum.
    "SELECT gin_clean_pending_list('search_doc_vector_id'::regclass)",
]
POSTGRES_BACKWARD = ["ALTER INDEX search_doc_vector_id RESET (fastupdate)"]


def run(statements: list[str]):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("search", "0006_postgres_vector_id_index")]

    operations = [migrations.RunPython(run(POSTGRES_FORWARD), run(POSTGRES_BACKWARD))]
