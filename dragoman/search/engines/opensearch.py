"""OpenSearch: the engine at scale, selected by setting OPENSEARCH_URL.

The document rows in the database stay the source of truth (`dragoman reindex` rebuilds the
OpenSearch index from them); OpenSearch holds a copy with each text field analysed once
plainly and once per language analyser, so that every entry is stemmed in its own language
and a query matches whichever applies. Writes are sent after the database commits, and
wait for OpenSearch's refresh, so that an unpublished entry is gone from the next search.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from django.db import transaction
from django.utils import timezone

from ..models import EntryDocument, IndexedAuthor, IndexedTag
from ..parsing import Term
from .base import (
    FACETS,
    MARK_END,
    MARK_START,
    TAG_FACET_SIZE,
    Hit,
    SearchRequest,
    SearchResults,
    day_start,
    highlighted,
)

# Entry language -> OpenSearch's built-in language analyser. Others get only 'standard'.
ANALYZERS = {
    "ar": "arabic",
    "de": "german",
    "en": "english",
    "es": "spanish",
    "fa": "persian",
    "fr": "french",
    "hi": "hindi",
    "id": "indonesian",
    "pt": "portuguese",
    "ru": "russian",
    "tr": "turkish",
}
TEXT_FIELDS = {"title": 4, "summary": 2, "body": 1}
NAME_FIELDS = {"tag_names": 3, "authors": 3}


def text_mapping() -> dict[str, Any]:
    return {
        "type": "text",
        "analyzer": "standard",
        "fields": {
            analyzer: {"type": "text", "analyzer": analyzer}
            for analyzer in sorted(set(ANALYZERS.values()))
        },
    }


MAPPINGS = {
    "properties": {
        "blog_id": {"type": "integer"},
        "mission_id": {"type": "integer"},
        "country_code": {"type": "keyword"},
        "language": {"type": "keyword"},
        "date": {"type": "date"},
        "year": {"type": "integer"},
        "tags": {"type": "keyword"},
        "blogger_ids": {"type": "integer"},
        "title": text_mapping(),
        "summary": text_mapping(),
        "body": text_mapping(),
        "tag_names": {"type": "text", "analyzer": "standard"},
        "authors": {"type": "text", "analyzer": "standard"},
    }
}


def query_fields(language: str | None, *, stemmed: bool) -> list[str]:
    analyzers = sorted(set(ANALYZERS.values()))
    if language:
        analyzer = ANALYZERS.get(language.split("-")[0])
        analyzers = [analyzer] if analyzer else []
    fields = [f"{name}^{boost}" for name, boost in {**TEXT_FIELDS, **NAME_FIELDS}.items()]
    if stemmed:
        fields += [
            f"{name}.{analyzer}^{boost}"
            for name, boost in TEXT_FIELDS.items()
            for analyzer in analyzers
        ]
    return fields


def term_clause(term: Term, language: str | None) -> dict[str, Any]:
    if term.prefix:
        return {
            "multi_match": {
                "query": term.text,
                "type": "phrase_prefix",
                "fields": query_fields(language, stemmed=False),
            }
        }
    if term.is_phrase:
        return {
            "multi_match": {
                "query": term.text,
                "type": "phrase",
                "fields": query_fields(language, stemmed=False),
            }
        }
    return {
        "multi_match": {
            "query": term.text,
            "fields": query_fields(language, stemmed=True),
            "operator": "and",
        }
    }


def search_body(request: SearchRequest) -> dict[str, Any]:
    """The request as OpenSearch's query DSL; reader text only ever goes in as a value."""
    filters = request.filters
    language = filters.language
    conditions: list[dict[str, Any]] = [{"range": {"date": {"lte": timezone.now().isoformat()}}}]
    for field, value in (
        ("blog_id", filters.blog_id),
        ("mission_id", filters.mission_id),
        ("country_code", filters.country_code),
        ("language", filters.language),
        ("year", filters.year),
        ("tags", filters.tag),
        ("blogger_ids", filters.blogger_id),
    ):
        if value is not None:
            conditions.append({"term": {field: value}})
    if filters.date_from or filters.date_to:
        bounds: dict[str, str] = {}
        if filters.date_from:
            bounds["gte"] = day_start(filters.date_from).isoformat()
        if filters.date_to:
            bounds["lt"] = day_start(filters.date_to).isoformat() + "||+1d"
        conditions.append({"range": {"date": bounds}})
    query: dict[str, Any] = {
        "bool": {
            "must": [term_clause(term, language) for term in request.query.positive]
            or [{"match_all": {}}],
            "must_not": [term_clause(term, language) for term in request.query.negative],
            "filter": conditions,
        }
    }
    by_relevance = request.sort == "relevance" and request.query.searchable
    body: dict[str, Any] = {
        "query": query,
        "from": request.offset,
        "size": request.limit,
        "track_total_hits": True,
        "_source": ["blog_id"],
        "sort": (["_score", {"date": "desc"}] if by_relevance else [{"date": "desc"}]),
    }
    if request.facets:
        body["aggs"] = {
            "blog": {"terms": {"field": "blog_id", "size": 50}},
            "tag": {"terms": {"field": "tags", "size": TAG_FACET_SIZE}},
            "language": {"terms": {"field": "language", "size": 50}},
            "year": {"terms": {"field": "year", "size": 100}},
        }
    if request.highlight and request.query.searchable:
        body["highlight"] = {
            "pre_tags": [MARK_START],
            "post_tags": [MARK_END],
            "fields": {
                "title": {"number_of_fragments": 0},
                "summary": {"number_of_fragments": 0},
                "body": {"fragment_size": 200, "number_of_fragments": 1},
            },
        }
    return body


def document_source(
    document: EntryDocument, tags: list[str], blogger_ids: list[int]
) -> dict[str, Any]:
    return {
        "blog_id": document.blog_id,
        "mission_id": document.mission_id,
        "country_code": document.country_code,
        "language": document.language,
        "date": document.date.isoformat(),
        "year": document.year,
        "tags": tags,
        "blogger_ids": blogger_ids,
        "title": document.title,
        "summary": document.summary,
        "body": document.body,
        "tag_names": document.tags,
        "authors": document.authors,
    }


class OpenSearchEngine:
    name = "opensearch"

    def __init__(self, url: str, index: str) -> None:
        from opensearchpy import OpenSearch

        self.client = OpenSearch(hosts=[url], timeout=10)
        self.index_name = index

    def ensure_index(self) -> None:
        if not self.client.indices.exists(index=self.index_name):
            self.client.indices.create(index=self.index_name, body={"mappings": MAPPINGS})

    def index(self, documents: Sequence[EntryDocument]) -> None:
        ids = [document.pk for document in documents]
        tags: dict[int, list[str]] = {pk: [] for pk in ids}
        for document_id, slug in IndexedTag.objects.filter(document_id__in=ids).values_list(
            "document_id", "slug"
        ):
            tags[document_id].append(slug)
        authors: dict[int, list[int]] = {pk: [] for pk in ids}
        for document_id, blogger_id in IndexedAuthor.objects.filter(
            document_id__in=ids
        ).values_list("document_id", "blogger_id"):
            authors[document_id].append(blogger_id)
        actions: list[dict[str, Any]] = []
        for document in documents:
            actions.append({"index": {"_index": self.index_name, "_id": document.pk}})
            actions.append(document_source(document, tags[document.pk], authors[document.pk]))
        # Only what the database kept: a rolled-back publication never reaches OpenSearch.
        transaction.on_commit(lambda: self.send(actions))

    def remove(self, entry_ids: Iterable[int]) -> None:
        actions = [{"delete": {"_index": self.index_name, "_id": pk}} for pk in entry_ids]
        transaction.on_commit(lambda: self.send(actions))

    def send(self, actions: list[dict[str, Any]]) -> None:
        if actions:
            self.ensure_index()
            self.client.bulk(body=actions, refresh="wait_for")

    def clear(self) -> None:
        self.client.indices.delete(index=self.index_name, ignore_unavailable=True)
        self.ensure_index()

    def load_begin(self) -> None:
        pass

    def rebuild(self) -> None:
        self.client.indices.refresh(index=self.index_name)

    def search(self, request: SearchRequest) -> SearchResults:
        if not request.query.searchable and not request.filters.any:
            return SearchResults()
        self.ensure_index()
        response = self.client.search(index=self.index_name, body=search_body(request))
        hits = []
        for found in response["hits"]["hits"]:
            marks = found.get("highlight", {})
            body = (marks.get("body") or [""])[0]
            excerpt = body or (marks.get("summary") or [""])[0]
            hits.append(
                Hit(
                    entry_id=int(found["_id"]),
                    blog_id=found["_source"]["blog_id"],
                    score=found.get("_score") or 0.0,
                    title=highlighted(marks["title"][0]) if marks.get("title") else None,
                    excerpt=highlighted(excerpt) if excerpt else None,
                )
            )
        facets: dict[str, list[tuple[str, int]]] = {name: [] for name in FACETS}
        for name, aggregation in response.get("aggregations", {}).items():
            facets[name] = [
                (str(bucket["key"]), bucket["doc_count"]) for bucket in aggregation["buckets"]
            ]
        facets["year"].sort(reverse=True)
        return SearchResults(hits=hits, total=response["hits"]["total"]["value"], facets=facets)


@lru_cache(maxsize=4)
def opensearch_engine(url: str, index: str) -> OpenSearchEngine:
    return OpenSearchEngine(url, index)
