"""SQLite FTS5: the default engine, inside the database file, nothing to run.

The FTS5 table `search_entry_fts` (migrations 0002 and 0005) mirrors the documents through
triggers, so writing a document row is all indexing takes. Ranking is BM25 with the title
weighted above tags and authors, above the summary, above the body. The tokenizer stems
English (Porter) and folds case and accents for every script; FTS5 has no other stemmer.

Filters are words of the index too (`filter_words`): FTS5 intersects them with the query's
words itself, so a search touches the rows of the matches that pass its filters only. Date
filters stay in SQL. A search with more than RANKED_MATCHES such matches is broad (common
words): it ranks the newest RANKED_MATCHES of them, and estimates its total and facet counts
from samples of the rest, so that its cost stays bounded however much of the network it
matches.
"""

from __future__ import annotations

import heapq
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import connection
from django.utils import timezone

from ..models import EntryDocument, IndexedAuthor, IndexedTag
from ..parsing import ParsedQuery, Term
from .base import (
    MARK_END,
    MARK_START,
    Hit,
    SearchFilters,
    SearchRequest,
    SearchResults,
    SqlEngine,
    counts_of,
    day_start,
    facet_lists,
    highlighted,
    rounded,
)

FTS_TABLE = "search_entry_fts"
# bm25 weights, in the table's column order: title, summary, body, tags, authors, and the
# filter words, which never count towards relevance.
COLUMN_WEIGHTS = (10.0, 4.0, 1.0, 5.0, 5.0, 0.0)
EXCERPT_TOKENS = 32
FILTER_INDEX = "search_doc_filters"
# A search with more matches than this ranks only the newest this-many. Readers reach at
# most 100 pages of 10 results (forms.MAX_PAGE), so every page they can reach comes from them.
RANKED_MATCHES = 1000
# A broad search estimates its total and facet counts from windows of entry ids below its
# newest matches: this many windows, from each of which this many matches are read at most.
WINDOWS = 5
WINDOW_MATCHES = 200
# BM25 reads the whole list of documents holding each word of an expression once, to weigh
# the word. A filter held by more than this share of the documents (English, on most
# networks) costs more that way than checking it on the rows read anyway, so the ranking
# statement checks it on the rows; counting, which reads no weights, matches its word.
COMMON_FILTER_SHARE = 1 / 3
# How long a process trusts its counts of documents per filter word. They only choose
# between two ways of applying a filter, never what is found, so stale counts are harmless.
SHARE_SECONDS = 600.0
_counts: dict[str, tuple[float, int]] = {}  # word ("" for all) -> (when, documents)


def filter_word(kind: str, value: object) -> str:
    """A filter value as one word of the index: a letter naming the filter, then hex digits.

    Hex digits hold no hyphen, accent or capital, and no Porter suffix that could be cut
    without leaving an odd number of digits, so the word matches exactly its own value.
    """
    return kind + str(value).encode().hex()


def document_filter_words(
    *,
    language: str,
    year: int,
    blog_id: int,
    mission_id: int | None,
    country_code: str,
    tag_slugs: Iterable[str],
    blogger_ids: Iterable[int],
) -> str:
    """What a document holds in `filter_words`."""
    words = [filter_word("l", language), filter_word("y", year), filter_word("b", blog_id)]
    if mission_id is not None:
        words.append(filter_word("m", mission_id))
    if country_code:
        words.append(filter_word("c", country_code))
    words += [filter_word("t", slug) for slug in tag_slugs]
    words += [filter_word("a", blogger_id) for blogger_id in blogger_ids]
    return " ".join(words)


@dataclass(frozen=True)
class FilterCheck:
    """One filter of a search: the word documents passing it hold, or the same check on
    the document's row (`d`), with its parameter."""

    word: str
    row_condition: str
    value: Any


def filter_checks(filters: SearchFilters) -> list[FilterCheck]:
    """The filters other than dates (those are checked in SQL, see `date_conditions`)."""
    tags, authors = IndexedTag._meta.db_table, IndexedAuthor._meta.db_table
    checks = []
    for kind, value, condition in (
        ("l", filters.language, "d.language = %s"),
        ("y", filters.year, "d.year = %s"),
        ("b", filters.blog_id, "d.blog_id = %s"),
        ("m", filters.mission_id, "d.mission_id = %s"),
        ("c", filters.country_code, "d.country_code = %s"),
        (
            "t",
            filters.tag,
            f"EXISTS (SELECT 1 FROM {tags} WHERE document_id = d.entry_id AND slug = %s)",
        ),
        (
            "a",
            filters.blogger_id,
            f"EXISTS (SELECT 1 FROM {authors} WHERE document_id = d.entry_id AND blogger_id = %s)",
        ),
    ):
        if value is not None:
            checks.append(FilterCheck(filter_word(kind, value), condition, value))
    return checks


def fts5_phrase(term: Term) -> str:
    # Words hold only letters, marks and digits (parsing.split_words): quoting them makes
    # every FTS5 operator, column filter or bareword a plain string.
    phrase = '"' + " ".join(term.words).replace('"', "") + '"'
    return phrase + "*" if term.prefix else phrase


def fts5_expression(query: ParsedQuery, filter_words: Iterable[str] = ()) -> str:
    parts = [fts5_phrase(term) for term in query.positive]
    parts += [f'filter_words : "{word}"' for word in filter_words]
    expression = " AND ".join(parts)
    for term in query.negative:
        expression = f"({expression}) NOT {fts5_phrase(term)}"
    return expression


def counted(key: str, sql: str, params: list[Any]) -> int:
    """A count from the index, remembered by this process for SHARE_SECONDS."""
    now = time.monotonic()
    known = _counts.get(key)
    if known is not None and now - known[0] < SHARE_SECONDS:
        return known[1]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        count = int(cursor.fetchone()[0])
    _counts[key] = (now, count)
    return count


def filter_share(word: str) -> float:
    """The share of the indexed documents holding this filter word."""
    holding = counted(
        word,
        f"SELECT count(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",
        [f'filter_words : "{word}"'],
    )
    documents = counted("", f"SELECT count(*) FROM {EntryDocument._meta.db_table}", [])
    return holding / max(1, documents)


class SqliteEngine(SqlEngine):
    name = "sqlite"
    weights = ", ".join(str(weight) for weight in COLUMN_WEIGHTS)

    def rebuild(self) -> None:
        # Merges the index's segments after a bulk load: smaller, faster to search; and
        # refreshes the planner's statistics, so it keeps choosing the narrow filter index.
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")
            cursor.execute("ANALYZE search_entrydocument")
            cursor.execute("ANALYZE search_indexedtag")

    def date_conditions(self, filters: SearchFilters) -> tuple[str, list[Any]]:
        """The date filters, on the index's rows. The plus keeps FTS5 from taking them as a
        list of rows to look up one by one (each a whole query): SQLite checks them instead.
        """
        # Entries dated in the future are scheduled: not found until their day comes. They
        # are few, and usually none: then the matches need no check at all.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT entry_id FROM {self.documents} WHERE date > %s", [timezone.now()]
            )
            params: list[Any] = [entry_id for (entry_id,) in cursor]
        sql = ""
        if params:
            sql = f" AND +{FTS_TABLE}.rowid NOT IN ({', '.join(['%s'] * len(params))})"
        if filters.date_from is not None or filters.date_to is not None:
            bounds = []
            if filters.date_from is not None:
                bounds.append("date >= %s")
                params.append(day_start(filters.date_from))
            if filters.date_to is not None:
                bounds.append("date < %s")
                params.append(day_start(filters.date_to + timedelta(days=1)))
            sql += (
                f" AND +{FTS_TABLE}.rowid IN"
                f" (SELECT entry_id FROM {self.documents} WHERE {' AND '.join(bounds)})"
            )
        return sql, params

    def search(self, request: SearchRequest) -> SearchResults:
        """The page, the total and every facet, from the matches that pass the filters.

        The newest RANKED_MATCHES + 1 matches come first, each read once from the narrow
        filter index with its score (common filters checked on those rows, see
        COMMON_FILTER_SHARE). As many or fewer: they are all the matches, and
        ranking, counting and the facets happen in Python. More: the search is broad; the
        newest RANKED_MATCHES are ranked, and the total and facets estimated (`estimate`).
        Reading every match of a broad search (tens of thousands at 100,000 entries) cost
        ten times as much, most of it in BM25 and row lookups.
        """
        checks = filter_checks(request.filters)
        if not request.query.searchable and not checks:
            return super().search(request)  # dates alone, or nothing to look for
        expression = fts5_expression(request.query, [check.word for check in checks])
        dates, date_params = self.date_conditions(request.filters)
        if request.query.searchable:
            score = f"-bm25({FTS_TABLE}, {self.weights})"
            common = [check for check in checks if filter_share(check.word) > COMMON_FILTER_SHARE]
        else:
            score, common = "0", []
        ranking = fts5_expression(
            request.query, [check.word for check in checks if check not in common]
        )
        on_rows = "".join(f" AND {check.row_condition}" for check in common)
        with connection.cursor() as cursor:
            cursor.execute(
                # The date as stored: text that sorts as the dates do, which the driver then
                # need not parse into a datetime for each of up to a thousand rows.
                f"SELECT {FTS_TABLE}.rowid, d.blog_id, d.language, d.year, d.tag_slugs,"
                " CAST(d.date AS TEXT),"
                f" {score} FROM {self.joined()} WHERE {FTS_TABLE} MATCH %s{dates}{on_rows}"
                f" ORDER BY {FTS_TABLE}.rowid DESC LIMIT %s",
                [
                    ranking,
                    *date_params,
                    *(check.value for check in common),
                    RANKED_MATCHES + 1,
                ],
            )
            rows = cursor.fetchall()
        broad = len(rows) > RANKED_MATCHES
        wanted = request.offset + request.limit
        if request.sort == "date" and broad:
            hits = self.newest(expression, dates, date_params, request)
        else:
            candidates = rows[:RANKED_MATCHES]
            if request.sort == "relevance":
                ranked = heapq.nlargest(wanted, candidates, key=lambda r: (r[6], r[5], r[0]))
            else:
                ranked = heapq.nlargest(wanted, candidates, key=lambda r: (r[5], r[0]))
            hits = [Hit(entry_id=r[0], blog_id=r[1], score=r[6]) for r in ranked[request.offset :]]
        results = SearchResults(hits=hits, total=len(rows))
        if request.facets and broad:
            results.total, counts, results.estimated = self.estimate(
                expression, dates, date_params, rows
            )
            results.facets = facet_lists(counts, results.estimated)
        elif request.facets:
            results.facets = facet_lists(counts_of(rows), estimated=False)
        if request.highlight and hits and request.query.searchable:
            self.excerpts(request, hits)
        return results

    def joined(self) -> str:
        # CROSS JOIN makes SQLite walk the matches first and look each document up by its
        # key; left to itself it may scan every entry of a language and run the full-text
        # match once per row (hundreds of times slower). The narrow covering index
        # (migration 0004) answers those lookups without reading the wide rows.
        return (
            f"{FTS_TABLE} CROSS JOIN {self.documents} d INDEXED BY {FILTER_INDEX}"
            f" ON d.entry_id = {FTS_TABLE}.rowid"
        )

    def newest(
        self, expression: str, dates: str, date_params: list[Any], request: SearchRequest
    ) -> list[Hit]:
        """One page of a broad search, newest first: SQLite keeps the newest as it goes."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT d.entry_id, d.blog_id FROM {self.joined()}"
                f" WHERE {FTS_TABLE} MATCH %s{dates}"
                " ORDER BY d.date DESC, d.entry_id DESC LIMIT %s OFFSET %s",
                [expression, *date_params, request.limit, request.offset],
            )
            return [Hit(entry_id=entry_id, blog_id=blog_id) for entry_id, blog_id in cursor]

    def estimate(
        self, expression: str, dates: str, date_params: list[Any], newest: list[tuple[Any, ...]]
    ) -> tuple[int, dict[str, dict[str, float]], bool]:
        """The total and facet counts of a broad search, and whether they are estimates.

        `newest` holds every match from the oldest of them up. Below, the entry ids are cut
        into WINDOWS equal spans, and the first WINDOW_MATCHES matches of each tell how
        densely matches lie there (or are all of them, when fewer). Each window costs one
        seek of FTS5 and a bounded number of rows, however many entries match; and the
        estimate follows how the matches spread over time. Counting every match instead
        read each once: 10-25 ms for the commonest words at 100,000 entries.
        """
        counts: dict[str, dict[str, float]] = {
            name: dict(values) for name, values in counts_of(newest).items()
        }
        total = float(len(newest))
        exact = True
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT min(entry_id) FROM {self.documents}")
            lowest = cursor.fetchone()[0] or 0
            upper = newest[-1][0]  # the oldest of the newest matches
            for number in range(WINDOWS):
                top = upper - (upper - lowest) * number // WINDOWS  # not included
                bottom = upper - (upper - lowest) * (number + 1) // WINDOWS
                if top <= bottom:
                    continue
                # Upwards from the window's start: FTS5 seeks there directly.
                cursor.execute(
                    f"SELECT {FTS_TABLE}.rowid, d.blog_id, d.language, d.year, d.tag_slugs"
                    f" FROM {self.joined()} WHERE {FTS_TABLE} MATCH %s"
                    f" AND {FTS_TABLE}.rowid >= %s AND {FTS_TABLE}.rowid < %s{dates}"
                    f" ORDER BY {FTS_TABLE}.rowid LIMIT %s",
                    [expression, bottom, top, *date_params, WINDOW_MATCHES],
                )
                rows = cursor.fetchall()
                weight = 1.0
                if len(rows) == WINDOW_MATCHES:  # more may lie above: scale by the ids read
                    weight = (top - bottom) / (rows[-1][0] - bottom + 1)
                    exact = exact and weight == 1.0
                total += len(rows) * weight
                for name, window in counts_of(rows).items():
                    for value, count in window.items():
                        counts[name][value] = counts[name].get(value, 0) + count * weight
        return (round(total) if exact else rounded(total)), counts, not exact

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
