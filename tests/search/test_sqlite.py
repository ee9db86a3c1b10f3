"""The SQLite engine's own ways: filters as words of its index, and broad searches.

The filter tests hold for every engine and run on each; broad searches are SQLite's alone.
"""

from datetime import UTC, datetime

import pytest
from django.db import connection

from dragoman.search.engines import sqlite as sqlite_engine
from tests.factories import BlogFactory, EntryFactory

from .pages import facet_links, result_titles, search

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the SQLite FTS5 engine answers only on SQLite"
)


def when(year: int, month: int = 6) -> datetime:
    return datetime(year, month, 15, 12, tzinfo=UTC)


def test_a_tag_filter_never_takes_one_tag_for_another_the_tokenizer_would_merge(client, db):
    EntryFactory(title="Coffee with the press", tags=["café"])
    EntryFactory(title="Coffee with students", tags=["cafe"])
    EntryFactory(title="Coffee with lawyers", tags=["human rights"])
    EntryFactory(title="Coffee with activists", tags=["rights"])

    assert result_titles(client, q="coffee", tag="cafe") == ["Coffee with students"]
    assert result_titles(client, q="coffee", tag="café") == ["Coffee with the press"]
    assert result_titles(client, q="coffee", tag="rights") == ["Coffee with activists"]


@pytest.mark.parametrize("common_share", [0.0, 1.0])
def test_filters_find_the_same_checked_as_words_or_on_the_rows(
    client, db, monkeypatch, common_share
):
    # 0: every filter counts as common, checked on the rows; 1: every filter is a word.
    monkeypatch.setattr(sqlite_engine, "COMMON_FILTER_SHARE", common_share)
    amman = BlogFactory(slug="amman-notes")
    paris = BlogFactory(slug="carnet")
    EntryFactory(blog=amman, title="Water week", tags=["water"], language="en", date=when(2023))
    EntryFactory(blog=amman, title="Water in French", language="fr", date=when(2024))
    EntryFactory(blog=paris, title="Water and wine", tags=["water"], language="en", date=when(2024))
    blogger = amman.bloggers.get()

    assert result_titles(client, q="water", blog="carnet") == ["Water and wine"]
    assert result_titles(client, q="water", language="fr") == ["Water in French"]
    assert result_titles(client, q="water", year="2023") == ["Water week"]
    assert result_titles(client, q="water", tag="water", sort="date") == [
        "Water and wine",
        "Water week",
    ]
    assert result_titles(client, q="water", blogger=blogger.slug, sort="date") == [
        "Water in French",
        "Water week",
    ]


@pytest.fixture
def broad(db, monkeypatch):
    """Twelve matches; a search of more than two is broad, and reads one per half of the rest."""
    monkeypatch.setattr(sqlite_engine, "RANKED_MATCHES", 2)
    monkeypatch.setattr(sqlite_engine, "WINDOWS", 2)
    monkeypatch.setattr(sqlite_engine, "WINDOW_MATCHES", 1)
    blog = BlogFactory(slug="amman-notes", title="Notes from Amman")
    # Written in this order, dated in another: the newest by date is not the last written.
    for number, year in enumerate([2025, 2019, 2021, 2024, 2020, 2022] * 2):
        EntryFactory(blog=blog, title=f"Embassy notes {number}", date=when(year))


@sqlite_only
def test_a_broad_search_estimates_its_total_and_facet_counts(client, broad):
    page = search(client, q="embassy")

    assert "About 12 entries found" in page
    assert 'Notes from Amman</a> <span class="search-facet__count">(about 12)</span>' in page
    assert facet_links(page) == {}  # no count shown as exact


@sqlite_only
@pytest.mark.parametrize(
    ("prefix", "sentence", "count"),
    [
        ("fr", "Environ 12 billets trouvés", "(environ 12)"),
        ("es", "Aproximadamente 12 entradas encontradas", "(aprox. 12)"),
        ("ru", "Найдено примерно 12 записей", "(примерно 12)"),
        ("ar", "عُثر على نحو 12 تدوينة", "(نحو 12)"),
        ("fa", "حدود 12 نوشته پیدا شد", "(حدود 12)"),
    ],
)
def test_a_broad_search_says_its_counts_are_estimates_in_the_reader_s_language(
    client, broad, prefix, sentence, count
):
    page = client.get(f"/{prefix}/search/", {"q": "embassy"}).content.decode()

    assert sentence in page
    assert f'<span class="search-facet__count">{count}</span>' in page


@sqlite_only
def test_a_broad_search_newest_first_is_ordered_by_date(client, broad):
    titles = result_titles(client, q="embassy", sort="date")

    assert titles == [f"Embassy notes {number}" for number in (6, 0, 9, 3, 11, 5, 8, 2, 10, 4)]


@sqlite_only
def test_a_broad_search_ranks_its_newest_matches(client, broad):
    titles = result_titles(client, q="embassy")

    assert sorted(titles) == ["Embassy notes 10", "Embassy notes 11"]


def test_a_search_of_few_matches_shows_exact_facet_counts(client, db):
    EntryFactory(blog=BlogFactory(title="Notes from Amman"), title="Embassy notes")

    assert facet_links(search(client, q="embassy"))["Notes from Amman"][1] == 1
