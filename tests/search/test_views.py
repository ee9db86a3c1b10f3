"""/search/ and /search/feed/ as a reader (or a robot, or an attacker) uses them."""

import re

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dragoman.search import queries as search_queries
from tests.factories import (
    BlogFactory,
    BloggerFactory,
    ChannelFactory,
    EntryFactory,
    MissionFactory,
)

from .pages import result_titles

# Any text a browser can send (lone surrogates cannot be encoded in a URL at all).
ANY_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
# Every parameter a search address can carry, plus the page number.
PARAMETERS = [*search_queries.PARAMETERS, "page"]
ALLOWED = {200, 400, 404}


@pytest.fixture
def entries(db):
    blog = BlogFactory(slug="amman-notes", title="Notes from Amman")
    return [
        EntryFactory(blog=blog, title="Digital diplomacy in practice", tags=["digital"]),
        EntryFactory(blog=blog, title="Water for the valley", summary="Irrigation and climate."),
    ]


def test_empty_search_page_shows_the_form_and_no_results(client, db):
    page = client.get("/search/").content.decode()

    assert 'name="q"' in page
    assert "found" not in page


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '""',
        "(",
        ")",
        "((diplomacy",
        "AND",
        "OR",
        "NOT",
        "NEAR(a b)",
        "a NEAR/2 b",
        "*",
        "^diplomacy",
        "title:diplomacy",
        "diplomacy AND",
        "-",
        "--",
        "-*",
        "'; DROP TABLE x; --",
        "\x00",
        "\x1b[31m",
        "%",
        "\\",
        "x" * 10_000,
        '"digital diplomacy',
        "diplomacy*^2",
        "{diplomacy}",
        "<script>",
        "&amp;",
        "NOT NOT NOT",
        "a:*",
        "!!diplomacy",
        "a & b | c",
    ],
)
def test_engine_syntax_is_treated_as_words(client, entries, query):
    response = client.get("/search/", {"q": query})

    assert response.status_code == 200


def test_operators_do_not_work_as_operators(client, entries):
    assert result_titles(client, q="diplomacy OR irrigation") == []
    assert result_titles(client, q="(diplomacy)") == ["Digital diplomacy in practice"]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=ANY_TEXT)
def test_no_query_string_produces_a_server_error(client, entries, query):
    assert client.get("/search/", {"q": query}).status_code in ALLOWED


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.sampled_from(PARAMETERS), value=ANY_TEXT, query=ANY_TEXT)
def test_no_filter_value_produces_a_server_error(client, entries, name, value, query):
    assert client.get("/search/", {"q": query, name: value}).status_code in ALLOWED
    assert client.get("/search/feed/", {"q": query, name: value}).status_code in ALLOWED


def test_unknown_filter_value_is_answered_with_a_message(client, entries):
    response = client.get("/search/", {"q": "diplomacy", "blog": "no-such-blog"})

    assert response.status_code == 400
    assert "There is no blog “no-such-blog”." in response.content.decode()


def test_invalid_date_is_answered_with_a_message(client, entries):
    response = client.get("/search/", {"date_from": "2024-02-30"})

    assert response.status_code == 400
    assert "Enter the start date as YYYY-MM-DD." in response.content.decode()


def test_end_date_before_start_date_is_answered_with_a_message(client, entries):
    response = client.get("/search/", {"date_from": "2024-05-01", "date_to": "2024-01-01"})

    assert response.status_code == 400
    assert "The end date comes before the start date." in response.content.decode()


def test_the_filters_show_each_search_s_own_values(client, entries):
    # Their markup is remembered (search_markup.filter_fields): never another search's.
    plain = client.get("/search/", {"q": "water"}).content.decode()
    chosen = client.get("/search/", {"q": "water", "blog": "amman-notes", "year": "2024"})
    wrong = client.get("/search/", {"q": "water", "date_from": "2024-02-30"}).content.decode()
    again = client.get("/search/", {"q": "water"}).content.decode()

    assert '<option value="amman-notes" selected>' in chosen.content.decode()
    assert 'name="year" type="number" value="2024"' in chosen.content.decode()
    assert '<option value="amman-notes" selected>' not in plain
    assert (
        'aria-invalid="true" id="id_date_from" name="date_from" type="date" value="2024-02-30"'
        in wrong
    )
    assert "aria-invalid" not in again
    assert again == plain


def test_exclusions_alone_explain_themselves(client, entries):
    page = client.get("/search/", {"q": "-twitter"}).content.decode()

    assert "add a word to look for" in page


def test_long_query_is_trimmed_in_the_box(client, entries):
    page = client.get("/search/", {"q": "y" * 10_000}).content.decode()

    assert 'value="' + "y" * 256 + '"' in page
    assert "y" * 257 not in page.split('id="id_q"')[0].rsplit("<input", 1)[-1]


def test_search_page_is_never_served_from_a_cache(client, entries):
    response = client.get("/search/", {"q": "diplomacy"})

    assert "no-cache" in response["Cache-Control"]


def test_atom_feed_of_a_search_lists_its_newest_entries(client, entries):
    response = client.get("/search/feed/", {"q": "diplomacy", "blog": "amman-notes"})

    feed = feedparser.parse(response.content)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert feed.feed.title.startswith("Search for “diplomacy”")
    assert [item.title for item in feed.entries] == ["Digital diplomacy in practice"]


def test_atom_feed_of_a_bad_search_says_why(client, entries):
    response = client.get("/search/feed/", {"language": "xx"})

    assert response.status_code == 400
    assert "“xx” is not a language we publish in." in response.content.decode()


def test_search_page_links_its_feed(client, entries):
    page = client.get("/search/", {"q": "diplomacy"}).content.decode()

    assert (
        'type="application/atom+xml" title="This search (Atom)" href="/search/feed/?q=diplomacy"'
        in page
    )


def test_search_page_runs_a_fixed_number_of_queries(client, entries, django_assert_max_num_queries):
    blog = entries[0].get_parent()
    for number in range(15):
        EntryFactory(blog=blog.specific, title=f"Diplomacy notes {number}", tags=[f"tag{number}"])

    with django_assert_max_num_queries(20):
        client.get("/search/", {"q": "diplomacy"})


def test_matching_official_channels_are_listed(client, entries):
    from tests.factories import ChannelFactory, MissionFactory

    mission = MissionFactory(slug="nairobi", name="Embassy in Nairobi", country="Kenya")
    ChannelFactory(handle="embassy_nairobi", mission=mission)

    page = client.get("/search/", {"q": "nairobi"}).content.decode()

    assert "embassy_nairobi" in page
    assert "Embassy in Nairobi" in page


def test_search_box_keeps_the_reader_s_language(client, db):
    page = client.get("/fr/search/").content.decode()

    assert 'class="search-box" role="search" action="/fr/search/"' in page


def test_more_results_link_leads_to_the_next_page(client, entries):
    blog = entries[0].get_parent().specific
    for number in range(11):
        EntryFactory(blog=blog, title=f"Diplomacy notes {number}")

    first = client.get("/search/", {"q": "diplomacy", "sort": "date"}).content.decode()
    second = client.get(
        "/search/", {"q": "diplomacy", "sort": "date", "page": "2"}
    ).content.decode()

    assert "12 entries found" in first
    assert 'rel="next" href="/search/?q=diplomacy&amp;sort=date&amp;page=2"' in first
    assert "Page 2 of 2" in second
    assert len(result_titles(client, q="diplomacy", sort="date", page="2")) == 2


def test_each_result_names_its_blog_under_its_current_title(client, entries):
    client.get("/search/", {"q": "diplomacy"})  # blog titles are remembered from here on
    blog = entries[0].get_parent().specific
    blog.title = "Notes from Amman and Aqaba"
    blog.save_revision().publish()

    page = client.get("/search/", {"q": "diplomacy"}).content.decode()

    assert 'On <a href="/blogs/amman-notes/">Notes from Amman and Aqaba</a>' in page


def test_each_result_links_its_tags_in_the_reader_s_language(client, entries):
    english = client.get("/search/", {"q": "diplomacy"}).content.decode()
    french = client.get("/fr/search/", {"q": "diplomacy"}).content.decode()

    assert 'href="/tags/digital/">digital</a>' in english
    assert 'href="/fr/tags/digital/">digital</a>' in french


def test_each_result_credits_its_bloggers_in_order_with_links_to_their_profiles(client, db):
    berg = BloggerFactory(slug="anna-berg", display_name="Anna Berg")
    haddad = BloggerFactory(slug="rania-haddad", display_name="Rania Haddad")
    EntryFactory(title="Water week", blog=BlogFactory(), authors=[haddad, berg])

    page = client.get("/search/", {"q": "water"}).content.decode()

    assert (
        '<a class="byline__author" href="/bloggers/rania-haddad/" dir="auto">Rania Haddad</a>'
        ' and <a class="byline__author" href="/bloggers/anna-berg/" dir="auto">Anna Berg</a>'
    ) in page


def test_each_result_links_its_entry(client, entries):
    page = client.get("/search/", {"q": "valley"}).content.decode()

    assert f'<a href="{entries[1].url}">Water for the <mark>valley</mark></a>' in page


@pytest.mark.parametrize(
    ("prefix", "count", "sentence"),
    [
        ("ru", 5, "Найдено 5 записей"),
        ("ru", 2, "Найдено 2 записи"),
        ("ar", 3, "عُثر على 3 تدوينات"),
        ("ar", 2, "عُثر على تدوينتين"),
        ("es", 2, "2 entradas encontradas"),
    ],
)
def test_the_number_found_takes_the_plural_of_the_reader_s_language(
    client, db, prefix, count, sentence
):
    blog = BlogFactory()
    for number in range(count):
        EntryFactory(blog=blog, title=f"Water week {number}")

    page = client.get(f"/{prefix}/search/", {"q": "water"}).content.decode()

    assert sentence in page


def test_bloggers_are_found_by_name_whatever_the_case_of_its_letters(client, db):
    mission = MissionFactory(name="Посольство в Москве", country="Россия")
    BloggerFactory(slug="ivan-petrov", display_name="Иван Петров", mission=mission)

    page = client.get("/search/", {"q": "ПОСОЛЬСТВО петров"}).content.decode()

    assert 'href="/bloggers/ivan-petrov/"' in page


def test_a_renamed_blogger_is_listed_under_the_new_name_at_once(client, db):
    blogger = BloggerFactory(slug="anna", display_name="Anna Berg")
    client.get("/search/", {"q": "Berg"})  # bloggers' names are remembered from here on

    blogger.display_name = "Anna Lindqvist"
    blogger.save()

    assert 'href="/bloggers/anna/"' in client.get("/search/", {"q": "Lindqvist"}).content.decode()
    assert 'href="/bloggers/anna/"' not in client.get("/search/", {"q": "Berg"}).content.decode()


def test_an_archived_channel_is_no_longer_listed(client, db):
    from dragoman.channels.models import Channel
    from dragoman.channels.services import channel_update

    channel = ChannelFactory(handle="embassy_nairobi")
    client.get("/search/", {"q": "nairobi"})  # channels' names are remembered from here on

    channel_update(channel=channel, status=Channel.Status.ARCHIVED)

    assert "embassy_nairobi" not in client.get("/search/", {"q": "nairobi"}).content.decode()


def test_a_search_naming_no_one_reads_no_blogger_or_channel(client, entries):
    client.get("/search/", {"q": "diplomacy"})  # names are remembered from here on

    with CaptureQueriesContext(connection) as queries:
        client.get("/search/", {"q": "diplomacy"})

    read = " ".join(query["sql"] for query in queries.captured_queries)
    assert 'FROM "blogs_blogger"' not in read
    assert 'FROM "channels_channel"' not in read


def test_results_link_within_their_version_whichever_was_rendered_first(client, entries):
    # Addresses are remembered per process: a text-only page's /text/ links once reached the
    # full page's results (and the full page's the text-only one's).
    def tag_links(path: str) -> set[str]:
        page = client.get(path, {"q": "diplomacy"}).content.decode()
        return set(re.findall(r'href="([^"]*/tags/digital/)"', page))

    for _ in range(2):
        assert tag_links("/text/search/") == {"/text/tags/digital/"}
        assert tag_links("/search/") == {"/tags/digital/"}
