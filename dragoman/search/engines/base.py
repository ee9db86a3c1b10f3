"""The one interface every search engine offers, and what the SQL engines share."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Literal, Protocol

from django.db import connection
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ..models import EntryDocument, IndexedAuthor, IndexedTag
from ..parsing import ParsedQuery

# Engines mark matched words with these two characters, which the index never holds (control
# characters are stripped from indexed text); the text is escaped first, then they become <mark>.
MARK_START, MARK_END = "\x02", "\x03"
FACETS = ("blog", "tag", "language", "year")
# The tag facet lists the most used tags of the results, no more.
TAG_FACET_SIZE = 20

Sort = Literal["relevance", "date"]


def highlighted(text: str | None) -> SafeString:
    """Engine output with its marks turned into <mark>, everything else escaped."""
    html = str(escape(text or ""))
    html = html.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; only our own tags added


@dataclass(frozen=True)
class SearchFilters:
    blog_id: int | None = None
    blogger_id: int | None = None
    mission_id: int | None = None
    country_code: str | None = None
    tag: str | None = None
    language: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    year: int | None = None

    @property
    def any(self) -> bool:
        return any(value is not None for value in vars(self).values())


@dataclass(frozen=True)
class SearchRequest:
    query: ParsedQuery
    filters: SearchFilters = SearchFilters()
    sort: Sort = "relevance"
    offset: int = 0
    limit: int = 10
    facets: bool = True
    highlight: bool = True


@dataclass
class Hit:
    entry_id: int
    blog_id: int
    score: float = 0.0
    title: SafeString | None = None  # the title with matched words marked
    excerpt: SafeString | None = None  # the best passage of summary or body, marked


@dataclass
class SearchResults:
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    # facet name -> [(value, count)], most results first
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    # True when the total and facet counts are estimates (a broad search, see
    # engines/sqlite.py and engines/postgres.py).
    estimated: bool = False


def rounded(count: float) -> int:
    """An estimated count as it is shown: two significant digits, and never nought."""
    if count < 100:
        return max(1, round(count))
    digits = 10 ** (int(math.log10(count)) - 1)
    return int(round(count / digits) * digits)


def counts_of(rows: Sequence[Sequence[Any]]) -> dict[str, Counter[str]]:
    """How many of these rows (entry id, blog, language, year, tag slugs, ...) have each
    blog, tag, language and year: the facets of a search whose matches were read."""
    return {
        "blog": Counter([str(row[1]) for row in rows]),
        "tag": Counter(" ".join([row[4] or "" for row in rows]).split()),
        "language": Counter([row[2] for row in rows]),
        "year": Counter([str(row[3]) for row in rows]),
    }


def most_first(counts: Mapping[str, int], limit: int | None = None) -> list[tuple[str, int]]:
    items = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return items[:limit] if limit else items


def facet_lists(
    counts: Mapping[str, Mapping[str, float]], estimated: bool
) -> dict[str, list[tuple[str, int]]]:
    """Each facet's values with their counts, most first (years newest first)."""
    shown = {
        name: {
            value: rounded(count) if estimated else round(count) for value, count in values.items()
        }
        for name, values in counts.items()
    }
    return {
        "blog": most_first(shown["blog"]),
        "tag": most_first(shown["tag"], TAG_FACET_SIZE),
        "language": most_first(shown["language"]),
        "year": sorted(shown["year"].items(), reverse=True),
    }


class SearchEngine(Protocol):
    """What the rest of Dragoman knows about a search engine."""

    name: str

    def index(self, documents: Sequence[EntryDocument]) -> None:
        """Called after these documents' rows were written (and in the same transaction)."""

    def remove(self, entry_ids: Iterable[int]) -> None:
        """Called after these entries' rows were deleted."""

    def clear(self) -> None:
        """Called before a full rebuild (`dragoman reindex`) deletes every row."""

    def load_begin(self) -> None:
        """Called before many rows are written at once (a full rebuild, `dragoman seed`),
        which `rebuild` then follows."""

    def rebuild(self) -> None:
        """Called after a full rebuild (or a load, `load_begin`) has written its rows."""

    def search(self, request: SearchRequest) -> SearchResults: ...


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class SqlEngine:
    """Filters, facets and paging in SQL; subclasses say how text matches and scores.

    A subclass supplies `match(request)`, returning the FROM clause joining its index to the
    documents (aliased `d`), the matching condition, its parameters and a score expression
    (higher is better); and `excerpts(request, hits)`, filling the highlights of one page.
    """

    name = "sql"
    documents = EntryDocument._meta.db_table
    tags = IndexedTag._meta.db_table
    authors = IndexedAuthor._meta.db_table

    def index(self, documents: Sequence[EntryDocument]) -> None:
        pass

    def remove(self, entry_ids: Iterable[int]) -> None:
        pass

    def clear(self) -> None:
        pass

    def load_begin(self) -> None:
        pass

    def rebuild(self) -> None:
        pass

    def match(self, request: SearchRequest) -> tuple[str, str, list[Any], str]:
        raise NotImplementedError

    def excerpts(self, request: SearchRequest, hits: list[Hit]) -> None:
        raise NotImplementedError

    def filter_sql(self, filters: SearchFilters) -> tuple[list[str], list[Any]]:
        # Entries dated in the future are scheduled: not found until their day comes.
        where: list[str] = ["d.date <= %s"]
        params: list[Any] = [timezone.now()]
        for column, value in (
            ("d.blog_id", filters.blog_id),
            ("d.mission_id", filters.mission_id),
            ("d.country_code", filters.country_code),
            ("d.language", filters.language),
            ("d.year", filters.year),
        ):
            if value is not None:
                where.append(f"{column} = %s")
                params.append(value)
        if filters.date_from is not None:
            where.append("d.date >= %s")
            params.append(day_start(filters.date_from))
        if filters.date_to is not None:
            where.append("d.date < %s")
            params.append(day_start(filters.date_to + timedelta(days=1)))
        if filters.tag is not None:
            where.append(f"d.entry_id IN (SELECT document_id FROM {self.tags} WHERE slug = %s)")
            params.append(filters.tag)
        if filters.blogger_id is not None:
            where.append(
                f"d.entry_id IN (SELECT document_id FROM {self.authors} WHERE blogger_id = %s)"
            )
            params.append(filters.blogger_id)
        return where, params

    def search(self, request: SearchRequest) -> SearchResults:
        where, params = self.filter_sql(request.filters)
        if request.query.searchable:
            source, condition, match_params, score = self.match(request)
            where.insert(0, condition)
            params = [*match_params, *params]
        elif request.filters.any:
            source, score = f"{self.documents} d", "0"
        else:
            return SearchResults()
        clause = f"FROM {source} WHERE {' AND '.join(where)}"
        if request.sort == "relevance" and score != "0":
            order = "score DESC, d.date DESC, d.entry_id DESC"
        else:
            order = "d.date DESC, d.entry_id DESC"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT d.entry_id, d.blog_id, {score} AS score {clause} "
                f"ORDER BY {order} LIMIT %s OFFSET %s",
                [*params, request.limit, request.offset],
            )
            hits = [Hit(entry_id=row[0], blog_id=row[1], score=row[2]) for row in cursor]
        results = SearchResults(hits=hits, total=len(hits))
        if request.facets:
            results.total, results.facets = self.facet_counts(clause, params)
        if request.highlight and hits and request.query.searchable:
            self.excerpts(request, hits)
        return results

    def facet_counts(
        self, clause: str, params: list[Any]
    ) -> tuple[int, dict[str, list[tuple[str, int]]]]:
        """The total and every facet in one statement over the matches, computed once."""
        sql = f"""
            WITH m AS MATERIALIZED (SELECT d.entry_id, d.blog_id, d.language, d.year {clause})
            SELECT 'total', '', COUNT(*) FROM m
            UNION ALL SELECT 'blog', CAST(blog_id AS TEXT), COUNT(*) FROM m GROUP BY blog_id
            UNION ALL SELECT 'language', language, COUNT(*) FROM m GROUP BY language
            UNION ALL SELECT 'year', CAST(year AS TEXT), COUNT(*) FROM m GROUP BY year
            UNION ALL SELECT * FROM (
                SELECT 'tag', t.slug, COUNT(*) AS uses FROM m JOIN {self.tags} t
                ON t.document_id = m.entry_id GROUP BY t.slug ORDER BY uses DESC, t.slug
                LIMIT {TAG_FACET_SIZE}
            ) tags
        """
        facets: dict[str, list[tuple[str, int]]] = {name: [] for name in FACETS}
        total = 0
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for name, value, count in cursor:
                if name == "total":
                    total = count
                else:
                    facets[name].append((value, count))
        for name in ("blog", "language", "tag"):
            facets[name].sort(key=lambda item: (-item[1], item[0]))
        facets["year"].sort(reverse=True)
        return total, facets
