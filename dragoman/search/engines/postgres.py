"""PostgreSQL full text: the default engine when the database is PostgreSQL.

Each document's `vector` (migration 0002) holds its words twice: stemmed by its language's
text search configuration and unstemmed ('simple'), weighted A (title), B (summary, tags,
authors) and C (body). The unstemmed half lets phrases, prefixes, names and stop words match
in any language; the stemmed half finds "embassies" for "embassy". A query term is looked up
through every configuration in use and 'simple', or only the filtered language's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import connection

from ..models import EntryDocument
from ..parsing import JOINERS, ParsedQuery, Term
from .base import MARK_END, MARK_START, Hit, SearchRequest, SqlEngine, highlighted

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


def term_tsquery(term: Term, configs: list[str]) -> tuple[str, list[Any]]:
    """One term as a tsquery built by PostgreSQL's own functions from plain text."""
    if term.prefix:
        word = "".join(char for char in term.words[0] if char not in JOINERS)
        # The word holds only letters, marks and digits, so quoting it is safe.
        return "to_tsquery('simple', %s)", [f"'{word}':*"]
    function = "phraseto_tsquery" if term.is_phrase else "plainto_tsquery"
    parts = [f"{function}(%s::regconfig, %s)" for _config in configs]
    params: list[Any] = []
    for config in configs:
        params += [config, term.text]
    return "(" + " || ".join(parts) + ")", params


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
EXCERPT_OPTIONS = (
    f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=35, MinWords=15, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)


class PostgresEngine(SqlEngine):
    name = "postgresql"

    def index(self, documents: Sequence[EntryDocument]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                VECTOR_SQL + " WHERE entry_id = ANY(%s)", [[doc.pk for doc in documents]]
            )

    def match(self, request: SearchRequest) -> tuple[str, str, list[Any], str]:
        sql, params = tsquery(request.query, request.filters.language)
        return (
            f"{self.documents} d CROSS JOIN (SELECT {sql} AS query) q",
            "d.vector @@ q.query",
            params,
            "ts_rank(d.vector, q.query)",
        )

    def excerpts(self, request: SearchRequest, hits: list[Hit]) -> None:
        by_id = {hit.entry_id: hit for hit in hits}
        sql, params = tsquery(request.query, request.filters.language)
        with connection.cursor() as cursor:
            cursor.execute(
                f"""SELECT d.entry_id,
                    ts_headline(d.text_config::regconfig, d.title, q.query, %s),
                    ts_headline(d.text_config::regconfig, d.summary, q.query, %s),
                    ts_headline(d.text_config::regconfig, d.body, q.query, %s)
                FROM {self.documents} d CROSS JOIN (SELECT {sql} AS query) q
                WHERE d.entry_id = ANY(%s)""",
                [HEADLINE_OPTIONS, HEADLINE_OPTIONS, EXCERPT_OPTIONS, *params, list(by_id)],
            )
            for entry_id, title, summary, body in cursor:
                hit = by_id[entry_id]
                hit.title = highlighted(title)
                hit.excerpt = highlighted(body if MARK_START in (body or "") else summary)
