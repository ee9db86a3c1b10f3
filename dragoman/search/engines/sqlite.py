"""SQLite FTS5: the default engine, inside the database file, nothing to run.

The FTS5 table `search_entry_fts` (migration 0002) mirrors the documents through triggers,
so writing a document row is all indexing takes. Ranking is BM25 with the title weighted
above tags and authors, above the summary, above the body. The tokenizer stems English
(Porter) and folds case and accents for every script; FTS5 has no other stemmer.
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from ..parsing import ParsedQuery, Term
from .base import MARK_END, MARK_START, Hit, SearchRequest, SqlEngine, highlighted

FTS_TABLE = "search_entry_fts"
# bm25 weights, in the table's column order: title, summary, body, tags, authors.
COLUMN_WEIGHTS = (10.0, 4.0, 1.0, 5.0, 5.0)
EXCERPT_TOKENS = 32


def fts5_phrase(term: Term) -> str:
    # Words hold only letters, marks and digits (parsing.split_words): quoting them makes
    # every FTS5 operator, column filter or bareword a plain string.
    phrase = '"' + " ".join(term.words).replace('"', "") + '"'
    return phrase + "*" if term.prefix else phrase


def fts5_expression(query: ParsedQuery) -> str:
    expression = " AND ".join(fts5_phrase(term) for term in query.positive)
    for term in query.negative:
        expression = f"({expression}) NOT {fts5_phrase(term)}"
    return expression


class SqliteEngine(SqlEngine):
    name = "sqlite"

    def rebuild(self) -> None:
        # Merges the index's segments after a bulk load: smaller, faster to search.
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")

    def match(self, request: SearchRequest) -> tuple[str, str, list[Any], str]:
        weights = ", ".join(str(weight) for weight in COLUMN_WEIGHTS)
        return (
            # CROSS JOIN makes SQLite walk the matches first and look each document up by
            # its key; left to itself it may scan every entry of a language and run the
            # full-text match once per row (hundreds of times slower).
            f"{FTS_TABLE} CROSS JOIN {self.documents} d ON d.entry_id = {FTS_TABLE}.rowid",
            f"{FTS_TABLE} MATCH %s",
            [fts5_expression(request.query)],
            f"-bm25({FTS_TABLE}, {weights})",
        )

    def excerpts(self, request: SearchRequest, hits: list[Hit]) -> None:
        by_id = {hit.entry_id: hit for hit in hits}
        marks = f"'{MARK_START}', '{MARK_END}'"
        placeholders = ", ".join(["%s"] * len(by_id))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, highlight({FTS_TABLE}, 0, {marks}),"
                f" highlight({FTS_TABLE}, 1, {marks}),"
                f" snippet({FTS_TABLE}, 2, {marks}, '…', {EXCERPT_TOKENS})"
                f" FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid IN ({placeholders})",
                [fts5_expression(request.query), *by_id],
            )
            for entry_id, title, summary, body in cursor:
                hit = by_id[entry_id]
                hit.title = highlighted(title)
                # The body's passage when the words are there, else the marked summary.
                hit.excerpt = highlighted(body if MARK_START in (body or "") else summary)
