"""/search/ and /search/feed/ as a reader (or a robot, or an attacker) uses them."""

import feedparser
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dragoman.search import queries as search_queries
from tests.factories import BlogFactory, EntryFactory

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
