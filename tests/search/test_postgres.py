"""PostgreSQL full text: each entry stemmed in its own language, queries in the filtered one;
broad searches ranked from their newest matches, with estimated counts."""

import re
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dragoman.search.engines import postgres as postgres_engine
from dragoman.search.engines.base import SearchRequest
from dragoman.search.engines.postgres import TEXT_SEARCH_CONFIGS, PostgresEngine, query_configs
from dragoman.search.models import EntryDocument
from dragoman.search.parsing import parse_query
from tests.factories import BlogFactory, EntryFactory

from .pages import facet_links, result_titles, search, text

# A result's title and its excerpt (search/includes/result.html).
EXCERPT = re.compile(
    r'<h3 class="entry-card__title"><a href="[^"]*">(.*?)</a></h3>.*?'
    r'search-result__excerpt">(.*?)</p>',
    re.S,
)

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's stemmers answer only on PostgreSQL"
)


def test_each_entry_is_indexed_with_its_own_language_s_configuration(db):
    EntryFactory(title="Consular hours", language="en")
    EntryFactory(title="Часы работы консульства", language="ru")
    EntryFactory(title="ساعات کاری کنسولگری", language="fa")

    configs = dict(EntryDocument.objects.values_list("language", "text_config"))

    # Persian has no stemmer in PostgreSQL: 'simple' lower-cases and nothing more.
    assert configs == {"en": "english", "ru": "russian", "fa": "simple"}


def test_a_language_filter_queries_with_that_language_s_configuration_only():
    assert query_configs("ru") == ["russian", "simple"]
    assert query_configs("fa") == ["simple"]
    assert "russian" in query_configs(None) and "french" in query_configs(None)


@on_postgres
def test_every_configuration_named_exists_on_the_server(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT cfgname FROM pg_ts_config")
        available = {name for (name,) in cursor}

    assert set(TEXT_SEARCH_CONFIGS.values()) <= available


@on_postgres
def test_an_entry_is_found_by_another_form_of_its_words_in_its_own_language(client, db):
    EntryFactory(title="Посольства открыли двери", summary="День открытых дверей.", language="ru")

    assert result_titles(client, q="посольство") == ["Посольства открыли двери"]
    assert result_titles(client, q="посольство", language="ru") == ["Посольства открыли двери"]


def when(year: int) -> datetime:
    return datetime(year, 6, 15, 12, tzinfo=UTC)


@pytest.fixture
def broad(db, monkeypatch):
    """Twelve matches: a search of more than two is broad. The newest are looked for among
    the newest two entry ids first (then wider), and counts estimated from two windows of
    one match's width, one at each end of the ids below, unless the newest say that fewer
    than four match."""
    monkeypatch.setattr(postgres_engine, "RANKED_MATCHES", 2)
    monkeypatch.setattr(postgres_engine, "FIRST_SPAN", 2)
    monkeypatch.setattr(postgres_engine, "WINDOW_MATCHES", 1)
    # Every match is read and counted when fewer than four should be found.
    monkeypatch.setattr(postgres_engine, "COUNTED_MATCHES", 4)
    blog = BlogFactory(slug="amman-notes", title="Notes from Amman")
    # Written in this order, dated in another: the newest by date is not the last written.
    for number, year in enumerate([2025, 2019, 2021, 2024, 2020, 2022] * 2):
        EntryFactory(blog=blog, title=f"Embassy notes {number}", date=when(year))


def embassy_search(**fields) -> tuple[int, bool]:
    results = PostgresEngine().search(SearchRequest(query=parse_query("embassy"), **fields))
    return results.total, results.estimated


@on_postgres
def test_a_broad_search_ranks_its_newest_matches(client, broad):
    titles = result_titles(client, q="embassy")

    assert sorted(titles) == ["Embassy notes 10", "Embassy notes 11"]


@on_postgres
def test_a_broad_search_estimates_its_total_and_facet_counts(client, broad):
    page = search(client, q="embassy")

    assert "About 12 entries found" in page
    assert 'Notes from Amman</a> <span class="search-facet__count">(about 12)</span>' in page
    assert facet_links(page) == {}  # no count shown as exact
    assert embassy_search() == (12, True)


@on_postgres
def test_a_broad_search_whose_windows_cover_every_id_below_counts_exactly(
    client, broad, monkeypatch
):
    monkeypatch.setattr(postgres_engine, "WINDOW_MATCHES", 100)

    assert embassy_search() == (12, False)
    assert facet_links(search(client, q="embassy"))["Notes from Amman"][1] == 12


@on_postgres
def test_a_broad_search_s_windows_bounded_on_the_row_count_as_in_the_index(broad, monkeypatch):
    request = SearchRequest(query=parse_query("embassy"))
    monkeypatch.setattr(postgres_engine, "IDS_A_MATCH", 1000)
    with CaptureQueriesContext(connection) as in_index:
        indexed = PostgresEngine().search(request)
    monkeypatch.setattr(postgres_engine, "IDS_A_MATCH", 0)
    with CaptureQueriesContext(connection) as on_row:
        row_bounded = PostgresEngine().search(request)

    # One statement reads both windows, bounded on the row; the same matches are counted.
    assert not any(" OR d.entry_id < " in query["sql"] for query in in_index.captured_queries)
    assert any(" OR d.entry_id < " in query["sql"] for query in on_row.captured_queries)
    assert (row_bounded.total, row_bounded.estimated) == (indexed.total, indexed.estimated)
    assert row_bounded.facets == indexed.facets
    assert indexed.estimated and row_bounded.facets["year"][0] == ("2025", 4)  # weighted


@on_postgres
def test_a_broad_search_newest_first_is_ordered_by_date(client, broad):
    titles = result_titles(client, q="embassy", sort="date")

    assert titles == [f"Embassy notes {number}" for number in (6, 0, 9, 3, 11, 5, 8, 2, 10, 4)]


@on_postgres
def test_a_broad_search_keeps_its_filters(client, broad):
    EntryFactory(title="Embassy notes from elsewhere", date=when(2026))

    assert result_titles(client, q="embassy", blog="amman-notes", sort="date")[:2] == [
        "Embassy notes 6",
        "Embassy notes 0",
    ]
    assert result_titles(client, q="embassy", year="2019", sort="date") == [
        "Embassy notes 7",
        "Embassy notes 1",
    ]


@on_postgres
def test_a_search_of_no_more_matches_than_it_ranks_is_exact(client, broad, monkeypatch):
    monkeypatch.setattr(postgres_engine, "RANKED_MATCHES", 12)

    page = search(client, q="embassy")

    assert "12 entries found" in page and "About" not in page
    assert facet_links(page)["Notes from Amman"][1] == 12
    assert len(result_titles(client, q="embassy")) == 10
    assert embassy_search() == (12, False)


@on_postgres
@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_a_search_of_few_enough_matches_reads_and_counts_them_all(broad, monkeypatch, sort):
    request = SearchRequest(query=parse_query("embassy"), sort=sort)
    estimated = PostgresEngine().search(request)

    monkeypatch.setattr(postgres_engine, "COUNTED_MATCHES", 100)
    counted = PostgresEngine().search(request)

    # The same page (the newest two ranked, or the newest by date), counted exactly.
    assert [hit.entry_id for hit in counted.hits] == [hit.entry_id for hit in estimated.hits]
    assert len(counted.hits) == (2 if sort == "relevance" else 10)
    assert (counted.total, counted.estimated, estimated.estimated) == (12, False, True)
    assert [count for _blog, count in counted.facets["blog"]] == [12]
    assert counted.facets["year"] == [
        (str(year), 2) for year in (2025, 2024, 2022, 2021, 2020, 2019)
    ]


@on_postgres
def test_a_narrow_search_finds_its_few_matches_however_old(client, broad):
    EntryFactory(title="Visa waiver", date=when(2010))
    for number in range(20):
        EntryFactory(title=f"Trade fair {number}", date=when(2023))

    assert result_titles(client, q="visa") == ["Visa waiver"]
    assert facet_links(search(client, q="visa"))["2010"][1] == 1


@pytest.fixture
def ranked(db):
    """Fourteen matches of 'harbour', some in the title, some once or thrice in the body,
    several equally relevant: their order is PostgreSQL's ts_rank, then the newest."""
    for number in range(14):
        times = number % 3 + 1
        words = " ".join(["harbour"] * times)
        EntryFactory(
            title=f"Harbour notes {number}" if number % 4 == 0 else f"Port notes {number}",
            body=[("paragraph", f"<p>We walked along the quay. {words} works.</p>")],
        )


def ranked_by_postgres(query: str) -> list[int]:
    """Every match, most relevant first, as PostgreSQL itself orders them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT entry_id FROM search_entrydocument"
            " WHERE vector @@ plainto_tsquery('simple', %s)"
            " ORDER BY ts_rank(vector, plainto_tsquery('simple', %s)) DESC, date DESC,"
            " entry_id DESC",
            [query, query],
        )
        return [entry_id for (entry_id,) in cursor]


@on_postgres
def test_matches_are_ranked_as_postgresql_ranks_them_page_after_page(ranked):
    pages = [
        PostgresEngine().search(SearchRequest(query=parse_query("harbour"), offset=offset))
        for offset in (0, 10)
    ]

    found = [hit.entry_id for page in pages for hit in page.hits]
    assert found == ranked_by_postgres("harbour")
    assert [len(page.hits) for page in pages] == [10, 4]
    scores = [hit.score for page in pages for hit in page.hits]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[-1]


@on_postgres
def test_a_broad_search_ranks_its_newest_matches_page_after_page(ranked, monkeypatch):
    monkeypatch.setattr(postgres_engine, "RANKED_MATCHES", 12)
    monkeypatch.setattr(postgres_engine, "FIRST_SPAN", 3)
    newest = set(
        EntryDocument.objects.order_by("-entry_id").values_list("entry_id", flat=True)[:12]
    )

    pages = [
        PostgresEngine().search(SearchRequest(query=parse_query("harbour"), offset=offset))
        for offset in (0, 10)
    ]

    found = [hit.entry_id for page in pages for hit in page.hits]
    assert found == [entry_id for entry_id in ranked_by_postgres("harbour") if entry_id in newest]
    assert pages[0].total == 14


@on_postgres
def test_an_excerpt_is_the_passage_holding_the_words_however_far_in_the_body(
    client, db, monkeypatch
):
    monkeypatch.setattr(postgres_engine, "EXCERPT_CHARS", 60)
    far = "The delegation visited schools and clinics across the province. " * 6
    EntryFactory(
        title="A long week",
        summary="What we saw.",
        body=[("paragraph", f"<p>{far}Then the lighthouse keeper showed us the lamp.</p>")],
    )
    EntryFactory(
        title="A short note",
        summary="The lighthouse reopens.",
        body=[("paragraph", "<p>Nothing else to report.</p>")],
    )
    EntryFactory(
        title="An early mention",
        summary="Of boats.",
        body=[("paragraph", f"<p>The lighthouse first. {far}</p>")],
    )

    page = search(client, q="lighthouse")

    excerpts = {text(title): text(excerpt) for title, excerpt in EXCERPT.findall(page)}
    assert "lighthouse keeper showed us the lamp" in excerpts["A long week"]
    assert excerpts["A short note"] == "The lighthouse reopens."
    assert "lighthouse first" in excerpts["An early mention"]
    assert page.count("<mark>lighthouse</mark>") == 3


@on_postgres
@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_wide_spans_and_windows_bounded_on_the_row_find_the_same(broad, monkeypatch, sort):
    EntryFactory(title="Visa waiver", date=when(2010))  # a first span with no match
    request = SearchRequest(query=parse_query("embassy"), sort=sort)
    in_the_index = PostgresEngine().search(request)

    monkeypatch.setattr(postgres_engine, "WIDE_SPAN", 0)
    on_the_row = PostgresEngine().search(request)

    assert [hit.entry_id for hit in on_the_row.hits] == [hit.entry_id for hit in in_the_index.hits]
    assert len(on_the_row.hits) == (2 if sort == "relevance" else 10)
    assert (on_the_row.total, on_the_row.facets, on_the_row.estimated) == (
        in_the_index.total,
        in_the_index.facets,
        in_the_index.estimated,
    )


def _index_fast_update() -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(array_to_string(reloptions, ','), '') FROM pg_class WHERE relname = %s",
            [postgres_engine.VECTOR_INDEX],
        )
        return cursor.fetchone()[0]


def _pending_pages() -> int:
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pgstattuple")  # undone with the test
        cursor.execute(
            "SELECT pending_pages FROM pgstatginindex(%s)", [postgres_engine.VECTOR_INDEX]
        )
        return cursor.fetchone()[0]


@on_postgres
def test_the_index_takes_each_document_at_once_and_a_load_merges_what_it_gathered(client, db):
    # Searches read the whole of GIN's pending list: 1.5 ms a scan after a seed of 1,000,000.
    assert _index_fast_update() == "fastupdate=off"
    EntryFactory(title="Consular hours in Accra")
    assert _pending_pages() == 0

    engine = PostgresEngine()
    engine.load_begin()  # a seed or a reindex: gathered, then taken in many at a time
    assert _index_fast_update() == "fastupdate=on"
    EntryFactory(title="Consular hours in Lusaka")
    assert _pending_pages() > 0
    engine.rebuild()

    assert _index_fast_update() == "fastupdate=off"
    assert _pending_pages() == 0
    assert result_titles(client, q="consular", sort="date") == [
        "Consular hours in Lusaka",
        "Consular hours in Accra",
    ]
