"""PostgreSQL full text: the default engine when the database is PostgreSQL.

Each document's `vector` (migration 0002) holds its words twice: stemmed by its language's
text search configuration and unstemmed ('simple'), weighted A (title), B (summary, tags,
authors) and C (body). The unstemmed half lets phrases, prefixes, names and stop words match
in any language; the stemmed half finds "embassies" for "embassy". A query term is looked up
through every configuration in use and 'simple', or only the filtered language's.

A search with more than RANKED_MATCHES matches is broad (common words), as on SQLite: it
ranks the newest RANKED_MATCHES of them, and estimates its total and facet counts from
windows of entry ids, so that its cost stays bounded however much of the network it matches.
PostgreSQL finds the newest matches by AND-ing the GIN index's bitmap with a range of the
newest entry ids, widened until enough match (`newest_matches`); a search that has fewer than
COUNTED_MATCHES has them all read and counted exactly, its newest RANKED_MATCHES ranked.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from ..models import EntryDocument
from ..parsing import JOINERS, ParsedQuery, Term
from .base import (
    MARK_END,
    MARK_START,
    Hit,
    SearchRequest,
    SearchResults,
    SqlEngine,
    counts_of,
    facet_lists,
    highlighted,
    rounded,
)

# Languages PostgreSQL can stem; the others (Persian, Urdu, Hebrew, Chinese, Swahili...)
# use 'simple': lower-cased words, no stemming, no stop words.
TEXT_SEARCH_CONFIGS = {
    "ar": "arabic",
    "de": "german",
    "en": "english",
    "es": "spanish",
    "fr": "french",
    "hi": "hindi",
    "id": "indonesian",
    "pt": "portuguese",
    "ru": "russian",
    "tr": "turkish",
}


def text_search_config(language: str) -> str:
    return TEXT_SEARCH_CONFIGS.get(language.split("-")[0].lower(), "simple")


def query_configs(language: str | None) -> list[str]:
    if language:
        configs = {text_search_config(language)}
    else:
        configs = {text_search_config(code) for code, _name in settings.CONTENT_LANGUAGES}
    return [*sorted(configs - {"simple"}), "simple"]


def term_alternatives(term: Term, configs: list[str]) -> tuple[list[str], list[Any]]:
    """One term as tsqueries built by PostgreSQL's own functions from plain text: one per
    configuration, any of which may match."""
    if term.prefix:
        word = "".join(char for char in term.words[0] if char not in JOINERS)
        # The word holds only letters, marks and digits, so quoting it is safe.
        return ["to_tsquery('simple', %s)"], [f"'{word}':*"]
    function = "phraseto_tsquery" if term.is_phrase else "plainto_tsquery"
    params: list[Any] = []
    for config in configs:
        params += [config, term.text]
    return [f"{function}(%s::regconfig, %s)" for _config in configs], params


def term_tsquery(term: Term, configs: list[str]) -> tuple[str, list[Any]]:
    """One term as one tsquery."""
    alternatives, params = term_alternatives(term, configs)
    return "(" + " || ".join(alternatives) + ")", params


def tsquery_constant(query: ParsedQuery, language: str | None) -> tuple[str, list[Any]]:
    """The query's tsquery, computed by PostgreSQL once and written out as a constant with
    each term's alternatives told once.

    Each term is looked up through every configuration, most of which give the same
    lexeme ('women' eight times in eleven): the index, ts_rank and ts_headline check every
    alternative of every match, so the deduplicated query costs them up to half as much.
    """
    columns, params = tsquery_parts_sql(query, language)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}", params)
        found = cursor.fetchone()
    return tsquery_from_parts(query, language, found)


def tsquery_parts_sql(query: ParsedQuery, language: str | None) -> tuple[str, list[Any]]:
    """The columns that read each term's distinct alternatives (`tsquery_constant`): one
    array a term, which `tsquery_from_parts` writes out."""
    configs = query_configs(language)
    arrays, params = [], []
    for term in query.terms:
        alternatives, term_params = term_alternatives(term, configs)
        values = ", ".join(f"({alternative})" for alternative in alternatives)
        arrays.append(
            f"ARRAY(SELECT DISTINCT part::text FROM (VALUES {values}) AS parts(part)"
            " WHERE numnode(part) > 0 ORDER BY 1)"
        )
        params += term_params
    return ", ".join(arrays), params


def tsquery_from_parts(
    query: ParsedQuery, language: str | None, found: Sequence[list[str]]
) -> tuple[str, list[Any]]:
    positive: list[str] = []
    negative: list[str] = []
    for term, parts in zip(query.terms, found, strict=True):
        if parts:
            text = "(" + " | ".join(f"( {part} )" for part in parts) + ")"
            (negative if term.negated else positive).append(text)
    if not positive:  # only words without lexemes: PostgreSQL's own answer (none)
        return tsquery(query, language)
    return "%s::tsquery", [" & ".join([*positive, *(f"!{text}" for text in negative)])]


def tsquery(query: ParsedQuery, language: str | None) -> tuple[str, list[Any]]:
    configs = query_configs(language)
    parts, params = [], []
    for term in query.positive:
        sql, term_params = term_tsquery(term, configs)
        parts.append(sql)
        params += term_params
    for term in query.negative:
        sql, term_params = term_tsquery(term, configs)
        parts.append(f"!!{sql}")
        params += term_params
    return "(" + " && ".join(parts) + ")", params


def vector_expression(
    *,
    body: str = "to_tsvector(text_config::regconfig, body)",
    body_simple: str = "to_tsvector('simple', body)",
) -> str:
    """A document's vector from its own columns. A bulk load (`dragoman seed`) that knows the
    body's two vectors already passes them in, and gets the vector indexing would write."""
    return f"""
        setweight(to_tsvector(text_config::regconfig, title), 'A')
        || setweight(to_tsvector(text_config::regconfig, summary || ' ' || tags || ' ' || authors), 'B')
        || setweight({body}, 'C')
        || setweight(to_tsvector('simple', title), 'A')
        || setweight(to_tsvector('simple', summary || ' ' || tags || ' ' || authors), 'B')
        || setweight({body_simple}, 'C')
"""


VECTOR_EXPRESSION = vector_expression()
VECTOR_SQL = "UPDATE search_entrydocument SET vector = " + VECTOR_EXPRESSION
HEADLINE_OPTIONS = f"StartSel={MARK_START}, StopSel={MARK_END}, HighlightAll=true"
# How much of a body is searched for its excerpt first (see PostgresEngine.excerpts).
EXCERPT_CHARS = 1200
EXCERPT_OPTIONS = (
    f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=35, MinWords=15, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)


# The GIN index over the vector and the entry id (migrations 0006 and 0007).
VECTOR_INDEX = "search_doc_vector_id"
# A search with more matches than this ranks only the newest this-many. Readers reach at
# most 100 pages of 10 results (forms.MAX_PAGE), so every page they can reach comes from them.
RANKED_MATCHES = 1000
# The newest matches are looked for among the newest FIRST_SPAN entry ids first, then in
# wider spans (sized by how densely the matches lay in the last), then among every entry.
FIRST_SPAN = 4000
WIDEN = 8
# A broad search estimates its total and facet counts from two windows of entry ids below
# its newest matches, each as wide as should hold WINDOW_MATCHES of them (`estimate`).
WINDOW_MATCHES = 500
# A search whose newest span says it has fewer matches than this (a rare word with a common
# one) has every match read, up to twice as many, and counted exactly (`newest_matches`):
# its spans and windows would read as many rows, several times over. At 1,000,000 entries
# "Negusaplo arrived" (5,466 matches) read them in its widened span (49 ms) and again in
# each window (42 ms); read once, 32 ms in all.
COUNTED_MATCHES = 8000
# The entry id as the GIN index holds it beside the vector (migration 0006): a span of ids
# written so is narrowed inside that index, never by the primary key.
INDEXED_ID = "d.entry_id::bigint"
# btree_gin reads every id key a bound on INDEXED_ID admits, about 0.1 ms a thousand: a span
# or window wider than this many ids is bounded on the row instead (`id_bound`), the index
# then reading the words' documents alone. At 1,000,000 entries a span of 425,000 ids took
# 42-56 ms bounded in the index, 11-15 ms on the row; a span of 4,000, 4 ms against 24.
WIDE_SPAN = 64_000
# The two windows of an estimate bounded in the GIN index make it read every id key from the
# top window's start up and the bottom window's ids (`estimate`); bounded on the row, both
# windows are one statement whose words' bitmap (about 0.5-1 ms a thousand matches) is ANDed
# with the primary key's two ranges. The row is chosen when the index would read more than
# this many ids a match: at 1,000,000 entries "until Telchigu" (12,653 matches) read 163,000
# id keys in 15-16 ms, its words' bitmap and ranges 10-11 ms; "Menvichi rained" (8,470), 21
# ms against 11-12.
IDS_A_MATCH = 8
# What each match read tells: entry id, blog, language, year, tag slugs, date (seconds).
MATCH_COLUMNS = "d.entry_id, d.blog_id, d.language, d.year, d.tag_slugs, extract(epoch FROM d.date)"
# The same, named, for the statement that also ranks the newest matches (`newest_matches`).
MATCH_NAMES = ("entry_id", "blog_id", "language", "year", "tag_slugs", "seconds")


def id_bound(width: int) -> str:
    """The entry id as a bound on a span or window `width` ids wide is written."""
    return INDEXED_ID if width <= WIDE_SPAN else "d.entry_id"


class PostgresEngine(SqlEngine):
    name = "postgresql"

    def __init__(self) -> None:
        self.queries: dict[tuple[ParsedQuery, str | None], tuple[str, list[Any]]] = {}

    def index(self, documents: Sequence[EntryDocument]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                VECTOR_SQL + " WHERE entry_id = ANY(%s)", [[doc.pk for doc in documents]]
            )

    def load_begin(self) -> None:
        """Many documents to come: the GIN index gathers them in its pending list and takes
        them in sorted, many at a time, where one at a time (migration 0007) would cost a
        seed of a million entries far longer."""
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER INDEX {VECTOR_INDEX} SET (fastupdate = on)")

    def rebuild(self) -> None:
        """The load's documents merged into the index, which takes each new one at once
        again: searches never read a pending list (migration 0007)."""
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER INDEX {VECTOR_INDEX} SET (fastupdate = off)")
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [VECTOR_INDEX])

    def query_sql(self, request: SearchRequest) -> tuple[str, list[Any]]:
        """The request's tsquery (`tsquery_constant`), computed once per engine."""
        key = (request.query, request.filters.language)
        if key not in self.queries:
            self.queries[key] = tsquery_constant(*key)
        return self.queries[key]

    def match(self, request: SearchRequest) -> tuple[str, str, list[Any], str]:
        sql, params = self.query_sql(request)
        return (
            f"{self.documents} d CROSS JOIN (SELECT {sql} AS query) q",
            "d.vector @@ q.query",
            params,
            "ts_rank(d.vector, q.query)",
        )

    def search(self, request: SearchRequest) -> SearchResults:
        """The page, the total and every facet, from the newest RANKED_MATCHES + 1 matches.

        As many or fewer, or all the matches when they are few enough to read
        (COUNTED_MATCHES): counted exactly. More: the search is broad; the newest
        RANKED_MATCHES are ranked, and the total and facets estimated (`estimate`). Ranking,
        counting and faceting every match cost in proportion to how many there are: 850 ms
        for two common words at 10,000 entries.
        """
        if not request.query.searchable:
            return super().search(request)  # filters alone: newest first, counted exactly
        # One transaction, which the planner's setting (`prepared`) ends with; within a
        # caller's transaction, it lasts until that one ends.
        with transaction.atomic(savepoint=False):
            lowest, highest = self.prepared(request)
            where, params = self.filter_sql(request.filters)
            source, condition, match_params, _score = self.match(request)
            clause = f"FROM {source} WHERE {condition} AND {' AND '.join(where)}"
            return self.answer(request, clause, [*match_params, *params], lowest, highest)

    def prepared(self, request: SearchRequest) -> tuple[int | None, int | None]:
        """The lowest and highest entry ids indexed, with the request's tsquery computed
        (`query_sql`) and the planner set for this transaction, in one statement: on a
        busy server each statement's round trip costs as much as a small one's work.

        The planner costs checking a vector on a row as one operator call, where it reads
        the vector (about 5 KB) from TOAST: it then prefers scanning a span's rows to the
        index (`newest_matches`), several times slower; hence no sequential scans.
        """
        key = (request.query, request.filters.language)
        columns, params = tsquery_parts_sql(*key)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('enable_seqscan', 'off', true),"
                f" (SELECT min(entry_id) FROM {self.documents}),"
                f" (SELECT max(entry_id) FROM {self.documents}), {columns}",
                params,
            )
            _setting, lowest, highest, *found = cursor.fetchone()
        self.queries[key] = tsquery_from_parts(*key, found)
        return lowest, highest

    def answer(
        self,
        request: SearchRequest,
        clause: str,
        params: list[Any],
        lowest: int | None,
        highest: int | None,
    ) -> SearchResults:
        relevance = request.sort == "relevance"
        rows, complete = self.newest_matches(clause, params, lowest, highest, ranked=relevance)
        candidates = rows[:RANKED_MATCHES]
        if request.sort == "date" and not complete:
            hits = self.newest_by_date(clause, params, request, rows)
        elif request.sort == "date":
            ordered = sorted(rows, key=lambda row: (row[5], row[0]), reverse=True)
            page = ordered[request.offset : request.offset + request.limit]
            hits = [Hit(entry_id=row[0], blog_id=row[1]) for row in page]
        else:
            hits = self.ranked(request, candidates)
        results = SearchResults(hits=hits, total=len(rows))
        if request.facets and not complete and lowest is not None and highest is not None:
            results.total, counts, results.estimated = self.estimate(
                clause, params, rows, lowest, highest
            )
            results.facets = facet_lists(counts, results.estimated)
        elif request.facets:
            results.facets = facet_lists(counts_of(rows), estimated=False)
        if request.highlight and hits:
            self.excerpts(request, hits)
        return results

    def newest_matches(
        self,
        clause: str,
        params: list[Any],
        lowest: int | None,
        highest: int | None,
        *,
        ranked: bool = False,
    ) -> tuple[list[tuple[Any, ...]], bool]:
        """The newest RANKED_MATCHES + 1 matches, or all of them when they are few enough,
        newest id first, among the entry ids from `lowest` to `highest`; and whether they
        are all the matches. `ranked`: the newest RANKED_MATCHES + 1 with their ts_rank
        (a seventh column; None on older ones).

        Ranking costs reading each match's vector (5 KB, from TOAST): the statement that
        finds the newest matches ranks them too, once they are the newest. Ranking them in
        a statement of their own, looked up again by a thousand ids, cost a third more.

        The GIN index holds the entry id beside the vector (migration 0006): PostgreSQL
        reads each word's documents from the span's start only, and the rows of the span's
        matches: a span holding enough matches costs about as much however many entries
        match. Without the span it would read every match's row to keep the newest; walking
        the primary key down instead, reading each row's vector (5 KB from TOAST), costs
        more than the span for common words and thousands of reads for a rare one. When the
        density found says the matches are fewer than COUNTED_MATCHES, every one is read
        instead (up to twice as many), which costs less than the spans and windows would.
        """
        if lowest is None or highest is None:
            return [], True
        with connection.cursor() as cursor:
            span = FIRST_SPAN
            limit = RANKED_MATCHES + 1
            while True:
                bottom = highest - span  # not included
                bounded = bottom >= lowest
                if not bounded:
                    limit = max(limit, 2 * COUNTED_MATCHES + 1)
                rows = self.matches_read(
                    cursor, clause, params, bottom if bounded else None, span, limit, ranked
                )
                if not bounded:
                    return rows, len(rows) < limit
                if len(rows) > RANKED_MATCHES:
                    return rows, False
                # The index reads every id of a span (as many index entries): when the
                # density found says all the matches are few, reading them all costs less
                # than a wider span. Else wide enough for the matches still missing at that
                # density, and half as wide again; WIDEN times wider when none were found.
                found = len(rows)
                if (found + 1) * (highest - lowest + 1) < COUNTED_MATCHES * span:
                    span = highest - lowest + 1
                elif found == 0:
                    span *= WIDEN
                else:
                    span = max(2 * span, span * (RANKED_MATCHES + 1) * 3 // (2 * found))

    def matches_read(
        self,
        cursor: Any,
        clause: str,
        params: list[Any],
        bottom: int | None,
        span: int,
        limit: int,
        ranked: bool,
    ) -> list[tuple[Any, ...]]:
        """The newest `limit` matches above `bottom` (all, when None), newest id first, the
        newest RANKED_MATCHES + 1 ranked when `ranked` (`newest_matches`)."""
        newest = (
            f"SELECT {MATCH_COLUMNS}{', d.vector, q.query' if ranked else ''} {clause}"
            + ("" if bottom is None else f" AND {id_bound(span)} > %s::bigint")
            # Ordered by the indexed id: the primary key could give that order,
            # reading each row's vector on the way (see `newest_matches`).
            + f" ORDER BY {INDEXED_ID} DESC LIMIT %s"
        )
        if ranked:  # outside the LIMIT: only the newest are ranked
            rank = "ts_rank(m.vector, m.query)"
            if limit > RANKED_MATCHES + 1:  # older matches are counted, not ranked
                rank = (
                    f"CASE WHEN row_number() OVER (ORDER BY m.entry_id DESC)"
                    f" <= {RANKED_MATCHES + 1} THEN {rank} END"
                )
            newest = (
                f"SELECT {', '.join(f'm.{name}' for name in MATCH_NAMES)}, {rank}"
                f" FROM ({newest}) AS m({', '.join(MATCH_NAMES)}, vector, query)"
                " ORDER BY m.entry_id DESC"
            )
        cursor.execute(newest, [*params, *([] if bottom is None else [bottom]), limit])
        return cursor.fetchall()

    def ranked(self, request: SearchRequest, candidates: list[tuple[Any, ...]]) -> list[Hit]:
        """One page of these ranked matches, most relevant first (then newest)."""
        wanted = request.offset + request.limit
        best = heapq.nlargest(wanted, candidates, key=lambda row: (row[6], row[5], row[0]))
        return [
            Hit(entry_id=row[0], blog_id=row[1], score=row[6]) for row in best[request.offset :]
        ]

    def newest_by_date(
        self,
        clause: str,
        params: list[Any],
        request: SearchRequest,
        newest: list[tuple[Any, ...]],
    ) -> list[Hit]:
        """One page of a broad search, newest first by date.

        The matches dated on or after the date of the newest `n` entries, `n` as many as
        should hold the page at the density of the newest matches (then WIDEN times more
        until they do): the page is the newest of those. Entry ids need not follow dates
        (an imported archive), so the newest ids' matches cannot answer.
        """
        wanted = request.offset + request.limit
        density = len(newest) / max(1, newest[0][0] - newest[-1][0] + 1)
        entries = max(FIRST_SPAN, int(2 * wanted / density))
        with connection.cursor() as cursor:
            while True:
                cursor.execute(
                    f"SELECT date FROM {self.documents} ORDER BY date DESC OFFSET %s LIMIT 1",
                    [entries],
                )
                row = cursor.fetchone()
                since = "" if row is None else " AND d.date >= %s"
                cursor.execute(
                    f"SELECT d.entry_id, d.blog_id {clause}{since}"
                    " ORDER BY d.date DESC, d.entry_id DESC LIMIT %s OFFSET %s",
                    [*params, *([] if row is None else [row[0]]), request.limit, request.offset],
                )
                hits = [Hit(entry_id=entry_id, blog_id=blog_id) for entry_id, blog_id in cursor]
                if row is None or len(hits) == request.limit:
                    return hits
                entries *= WIDEN

    def estimate(
        self,
        clause: str,
        params: list[Any],
        newest: list[tuple[Any, ...]],
        lowest: int,
        highest: int,
    ) -> tuple[int, dict[str, dict[str, float]], bool]:
        """The total and facet counts of a broad search, and whether they are estimates.

        `newest` holds every match from the oldest of them up. Below, two windows of entry
        ids, at either end, each as wide as should hold WINDOW_MATCHES matches at the density
        of the newest, are read whole; each stands for itself and the nearer half of the ids
        between them (matches grow or thin out over the years). When they cover every id
        below, the counts are exact. Each window is bounded on one side only: the index
        reads every id a bound admits (btree_gin), so a window in the middle, bounded on
        both sides, would cost as much as reading every id. When that would read many ids a
        match (IDS_A_MATCH), both windows are bounded on the row instead, in one statement:
        the primary key gives both ranges, and the words' bitmap is built once.
        """
        counts: dict[str, dict[str, float]] = {
            name: dict(values) for name, values in counts_of(newest).items()
        }
        upper = newest[-1][0]  # the oldest of the newest matches: counted above
        density = len(newest) / max(1, newest[0][0] - upper + 1)
        width = max(1, int(WINDOW_MATCHES / density))
        below = upper - lowest  # ids in [lowest, upper)
        if below <= 0:
            return len(newest), counts, False
        exact = 2 * width >= below
        # The ids above the top window's start; the newest matches among them are counted.
        bound = id_bound(width)
        top = f"(SELECT {MATCH_COLUMNS} {clause} AND {bound} >= %s::bigint AND d.entry_id < %s)"
        bottom = f"(SELECT {MATCH_COLUMNS} {clause} AND {bound} < %s::bigint)"
        # Bounded in the index, the top window reads every id key from its start up to the
        # highest, the newest matches' span again (IDS_A_MATCH).
        in_index = highest - upper + 2 * width <= IDS_A_MATCH * density * (highest - lowest + 1)
        with connection.cursor() as cursor:
            if exact:
                cursor.execute(bottom, [*params, upper])
            elif in_index:
                cursor.execute(
                    f"{top} UNION ALL {bottom}",
                    [*params, upper - width, upper, *params, lowest + width],
                )
            else:
                cursor.execute(
                    f"SELECT {MATCH_COLUMNS} {clause}"
                    " AND (d.entry_id >= %s AND d.entry_id < %s OR d.entry_id < %s)",
                    [*params, upper - width, upper, lowest + width],
                )
            rows = cursor.fetchall()
        weight = 1.0 if exact else (width + (below - 2 * width) / 2) / width
        total = len(newest) + len(rows) * weight
        for name, window_counts in counts_of(rows).items():
            for value, count in window_counts.items():
                counts[name][value] = counts[name].get(value, 0) + count * weight
        return (round(total) if exact else rounded(total)), counts, not exact

    def excerpts(self, request: SearchRequest, hits: list[Hit]) -> None:
        """Each hit's marked title, and its excerpt: the body's best passage where the words
        are, else the marked summary.

        ts_headline parses and stems all of the text it is given: the body's first
        EXCERPT_CHARS first, which usually hold the words; the whole body only for the hits
        whose beginning does not. Whole bodies (3.7 KB) cost several times as much. One
        statement: the whole body's passage is asked for in it only where the beginning
        holds no mark.
        """
        by_id = {hit.entry_id: hit for hit in hits}
        sql, params = self.query_sql(request)
        with connection.cursor() as cursor:
            cursor.execute(
                f"""SELECT e.entry_id, e.title, e.summary,
                    CASE WHEN strpos(e.start, %s) > 0 OR NOT e.longer THEN e.start
                    ELSE ts_headline(e.config, e.body, e.query, %s) END
                FROM (
                    SELECT d.entry_id, d.text_config::regconfig AS config, d.body, q.query,
                        ts_headline(d.text_config::regconfig, d.title, q.query, %s) AS title,
                        ts_headline(d.text_config::regconfig, d.summary, q.query, %s) AS summary,
                        ts_headline(d.text_config::regconfig, left(d.body, %s), q.query, %s)
                            AS start,
                        length(d.body) > %s AS longer
                    FROM {self.documents} d CROSS JOIN (SELECT {sql} AS query) q
                    WHERE d.entry_id = ANY(%s)
                    OFFSET 0 -- kept whole: each beginning's passage is made once
                ) e""",
                [
                    MARK_START,
                    EXCERPT_OPTIONS,
                    HEADLINE_OPTIONS,
                    HEADLINE_OPTIONS,
                    EXCERPT_CHARS,
                    EXCERPT_OPTIONS,
                    EXCERPT_CHARS,
                    *params,
                    list(by_id),
                ],
            )
            for entry_id, title, summary, body in cursor.fetchall():
                hit = by_id[entry_id]
                hit.title = highlighted(title)
                hit.excerpt = highlighted(body if MARK_START in (body or "") else summary)
