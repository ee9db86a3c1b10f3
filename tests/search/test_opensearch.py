"""OpenSearch: the query it is sent (always), and real searches where a server exists."""

import os
from datetime import date

import pytest
from django.test import override_settings

from dragoman.search.engines import SearchFilters, SearchRequest
from dragoman.search.engines.opensearch import search_body
from dragoman.search.parsing import parse_query
from tests.factories import EntryFactory

from .pages import result_titles

OPENSEARCH_URL = os.environ.get("OPENSEARCH_URL", "")


def test_reader_text_reaches_opensearch_only_as_values():
    body = search_body(SearchRequest(query=parse_query('"digital diplomacy" -twitter diplom* OR')))

    must = body["query"]["bool"]["must"]
    assert [
        clause["multi_match"]["type"] for clause in must if "type" in clause["multi_match"]
    ] == [
        "phrase",
        "phrase_prefix",
    ]
    assert [clause["multi_match"]["query"] for clause in must] == [
        "digital diplomacy",
        "diplom",
        "or",
    ]
    assert body["query"]["bool"]["must_not"][0]["multi_match"]["query"] == "twitter"


def test_filters_become_opensearch_filters():
    request = SearchRequest(
        query=parse_query("water"),
        filters=SearchFilters(blog_id=3, tag="climate", language="fr", date_from=date(2024, 1, 1)),
    )

    conditions = search_body(request)["query"]["bool"]["filter"]

    assert {"term": {"blog_id": 3}} in conditions
    assert {"term": {"tags": "climate"}} in conditions
    assert {"term": {"language": "fr"}} in conditions
    assert any("gte" in c.get("range", {}).get("date", {}) for c in conditions)


def test_a_language_filter_uses_only_that_language_s_analyser():
    request = SearchRequest(query=parse_query("ambassades"), filters=SearchFilters(language="fr"))

    fields = search_body(request)["query"]["bool"]["must"][0]["multi_match"]["fields"]

    assert "title.french^4" in fields
    assert not any(field.startswith("title.english") for field in fields)


@pytest.mark.skipif(not OPENSEARCH_URL, reason="OPENSEARCH_URL is not set: no OpenSearch server")
@pytest.mark.django_db(transaction=True)
def test_opensearch_finds_published_entries_and_forgets_unpublished_ones(client):
    with override_settings(OPENSEARCH_URL=OPENSEARCH_URL, OPENSEARCH_INDEX="dragoman-test"):
        from dragoman.search.engines import get_engine

        get_engine().clear()
        entry = EntryFactory(title="Cultural season opens", summary="Concerts all autumn.")
        assert result_titles(client, q="concerts") == ["Cultural season opens"]

        entry.unpublish()

        assert result_titles(client, q="concerts") == []
