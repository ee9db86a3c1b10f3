"""SQLite FTS5: the default engine, inside the database file, nothing to run.

The FTS5 table `search_entry_fts` (migration 0002) mirrors the documents through triggers,
so writing a document row is all indexing takes. Ranking is BM25 with the title weighted
above tags and authors, above the summary, above the body. The tokenizer stems English
(Porter) and folds case and accents for every script; FTS5 has no other stemmer.
"""

from __future__ import annotations

import heapq
from collections import Counter
from typing import Any

from django.db import connection

from ..parsing import ParsedQuery, Term
from .base import (
    MARK_END,
    MARK_START,
    TAG_FACET_SIZE,
    Hit,
    SearchRequest,
    SearchResults,
    SqlEngine,
    highlighted,
)

FTS_TABLE = "search_entry_fts"
# bm25 weights, in the table's column order: title, summary, body, tags, authors.
COLUMN_WEIGHTS = (10.0, 4.0, 1.0, 5.0, 5.0)
EXCERPT_TOKENS = 32
FILTER_INDEX = "search_doc_filters"


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
        # Merges the index's segments after a bulk load: smaller, faster to search; and
        # refreshes the planner's statistics, so it keeps choosing the narrow filter index.
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")
            cursor.execute("ANALYZE search_entrydocument")
            cursor.execute("ANALYZE search_indexedtag")

    def search(self, request: SearchRequest) -> SearchResults:
        """One pass over the matches gives the page, the total and every facet.

        Each match is read once, from the narrow filter index; ranking, counting and the
        facets then happen in Python. Separate SQL statements (page, total, four facets)
        each walked the matches again: three to five times slower at 100,000 entries.
        """
        if not request.query.searchable:
            return super().search(request)  # filters alone: the documents, newest first
        source, condition, match_params, score = self.match(request)
        where, params = self.filter_sql(request.filters)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT d.entry_id, d.blog_id, d.language, d.year, d.tag_slugs, d.date, {score}"
                f" FROM {source} WHERE {condition} AND {' AND '.join(where)}",
                [*match_params, *params],
            )
            rows = cursor.fetchall()
        if request.sort == "relevance":
            ranked = heapq.nlargest(
                request.offset + request.limit, rows, key=lambda row: (row[6], row[5], row[0])
            )
        else:
            ranked = heapq.nlargest(
                request.offset + request.limit, rows, key=lambda row: (row[5], row[0])
            )
        hits = [
            Hit(entry_id=row[0], blog_id=row[1], score=row[6]) for row in ranked[request.offset :]
        ]
        results = SearchResults(hits=hits, total=len(rows))
        if request.facets:
            tags: Counter[str] = Counter()
            for row in rows:
                tags.update((row[4] or "").split())
            results.facets = {
                "blog": self.most_first(Counter(str(row[1]) for row in rows)),
                "tag": self.most_first(tags, TAG_FACET_SIZE),
                "language": self.most_first(Counter(row[2] for row in rows)),
                "year": sorted(
                    ((str(year), count) for year, count in Counter(r[3] for r in rows).items()),
                    reverse=True,
                ),
            }
        if request.highlight and hits:
            self.excerpts(request, hits)
        return results

    @staticmethod
    def most_first(counts: Counter[str], limit: int | None = None) -> list[tuple[str, int]]:
        items = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        return items[:limit] if limit else items

    def match(self, request: SearchRequest) -> tuple[str, str, list[Any], str]:
        weights = ", ".join(str(weight) for weight in COLUMN_WEIGHTS)
        return (
            # CROSS JOIN makes SQLite walk the matches first and look each document up by
            # its key; left to itself it may scan every entry of a language and run the
            # full-text match once per row (hundreds of times slower). The narrow covering
            # index (migration 0004) answers those lookups without reading the wide rows.
            f"{FTS_TABLE} CROSS JOIN {self.documents} d INDEXED BY {FILTER_INDEX}"
            f" ON d.entry_id = {FTS_TABLE}.rowid",
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
