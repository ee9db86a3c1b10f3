"""PostgreSQL: the GIN index over the vector and the entry id together (btree_gin).

A broad search ranks its newest matches only (engines/postgres.py), found by narrowing the
matches to a span of the newest entry ids. With the id in the same GIN index, PostgreSQL
narrows inside the index: it skips through each word's list of documents to the span
instead of reading the whole list (hundreds of thousands of documents for a common word on
a big network) and then AND-ing it with the span. The id is indexed as a bigint, which
only queries written for this index use (`d.entry_id::bigint`): the primary key cannot
answer them, so the planner, which cannot tell what reading a vector costs, never checks the
words on the rows of a span instead. This index answers every query of the old one, which
goes. Building it reads every vector: several minutes per million entries.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    "CREATE INDEX IF NOT EXISTS search_doc_vector_id ON search_entrydocument"
    " USING gin (vector, (entry_id::bigint))",
    "DROP INDEX IF EXISTS search_entrydocument_vector",
]
POSTGRES_BACKWARD = [
    "CREATE INDEX IF NOT EXISTS search_entrydocument_vector ON search_entrydocument"
    " USING gin (vector)",
    "DROP INDEX IF EXISTS search_doc_vector_id",
]


def run(statements: list[str]):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("search", "0005_filter_words")]

    operations = [migrations.RunPython(run(POSTGRES_FORWARD), run(POSTGRES_BACKWARD))]
