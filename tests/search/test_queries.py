"""The reads behind the search page and feed: addresses, results checked against the live
entries, the people and channels named, and a fixed number of queries. The page as a
reader sees it is in test_views.py."""

from datetime import UTC, datetime

import pytest
from django.http import Http404

from dragoman.blogs.models import EntryPage
from dragoman.search import queries
from dragoman.search.engines.base import Hit
from dragoman.search.forms import SearchForm
from dragoman.search.parsing import parse_query
from tests.factories import (
    BlogFactory,
    BloggerFactory,
    ChannelFactory,
    EntryFactory,
    MissionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    amman = MissionFactory(
        slug="amman", name="Embassy in Amman", country="Jordan", country_code="JO"
    )
    amira = BloggerFactory(
        display_name="Amira Haddad", slug="amira", job_title="Press Officer", mission=amman
    )
    blog = BlogFactory(
        slug="amman-notes", title="Notes from Amman", mission=amman, bloggers=[amira]
    )
    water = EntryFactory(
        blog=blog,
        title="Water for the valley",
        summary="A new pipeline to the Jordan valley.",
        tags=["water"],
        date=datetime(2024, 3, 10, 12, tzinfo=UTC),
    )
    trade = EntryFactory(
        blog=blog,
        title="Trade fair",
        summary="Exporters meet in Amman.",
        tags=["trade"],
        date=datetime(2024, 4, 10, 12, tzinfo=UTC),
    )
    return {"amman": amman, "amira": amira, "blog": blog, "water": water, "trade": trade}


def form_for(**data: str) -> SearchForm:
    form = SearchForm(data)
    assert form.is_valid(), form.errors
    return form


def test_an_address_lists_its_parameters_in_a_fixed_order_without_empty_ones():
    url = queries.address({"tag": "water", "q": "valley", "blog": ""})

    assert url == "/search/?q=valley&tag=water"


def test_an_address_can_change_or_remove_one_parameter():
    parameters = {"q": "valley", "tag": "water"}

    assert queries.address(parameters, {"tag": None}) == "/search/?q=valley"
    assert queries.address(parameters, {"page": "2"}) == "/search/?q=valley&tag=water&page=2"
    assert queries.address(parameters, view="search:feed") == "/search/feed/?q=valley&tag=water"


def test_search_parameters_are_the_non_empty_values_of_the_form(network):
    form = form_for(q="valley", blog="amman-notes", date_from="2024-01-01", tag="")

    assert queries.search_parameters(form) == {
        "q": "valley",
        "blog": "amman-notes",
        "date_from": "2024-01-01",
    }


def test_results_keep_the_engines_order_and_leave_out_entries_no_longer_live(network):
    draft = EntryFactory(blog=network["blog"], title="Unfinished", live=False)
    hits = [
        Hit(entry_id=network["trade"].pk, blog_id=network["blog"].pk),
        Hit(entry_id=draft.pk, blog_id=network["blog"].pk),
        Hit(entry_id=network["water"].pk, blog_id=network["blog"].pk),
    ]

    results = queries.entries_for(hits)

    assert [result.title for result in results] == ["Trade fair", "Water for the valley"]


def test_a_result_names_its_blog_bloggers_and_tags(network):
    hits = [Hit(entry_id=network["water"].pk, blog_id=network["blog"].pk)]

    [result] = queries.entries_for(hits)

    assert result.blog == queries.BlogLink(title="Notes from Amman", url="/blogs/amman-notes/")
    assert result.authors == [queries.Credit(display_name="Amira Haddad", url="/bloggers/amira/")]
    assert result.tags == [("/tags/water/", "water")]
    assert result.excerpt == "A new pipeline to the Jordan valley."


def test_results_take_two_queries_however_many_hits(network, django_assert_num_queries):
    for number in range(8):
        EntryFactory(blog=network["blog"], title=f"More {number}", tags=["water", "trade"])

    hits = [
        Hit(entry_id=pk, blog_id=network["blog"].pk)
        for pk in EntryPage.objects.values_list("pk", flat=True)
    ]
    queries.blog_links()  # remembered between requests

    with django_assert_num_queries(2):
        results = queries.entries_for(hits)

    assert len(results) == 10


def test_no_hit_reads_nothing(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert queries.entries_for([]) == []


def test_bloggers_are_found_by_every_word_of_their_name_job_or_mission(network):
    BloggerFactory(display_name="Amira Bakr", job_title="Consul")

    assert queries.matching_bloggers(parse_query("amira press")) == [network["amira"]]
    assert queries.matching_bloggers(parse_query("JORDAN")) == [network["amira"]]
    assert queries.matching_bloggers(parse_query("amira nobody")) == []


def test_only_active_channels_are_found_by_name(network):
    official = ChannelFactory(handle="dgm_amman", mission=network["amman"])
    ChannelFactory(handle="dgmold_amman", mission=network["amman"], status="archived")

    assert queries.matching_channels(parse_query("amman")) == [official]


def test_a_search_page_of_an_invalid_form_searches_nothing(network):
    form = SearchForm({"date_from": "not a date"})

    page = queries.search_page(form=form)

    assert page.searched is False
    assert page.results == []


def test_a_search_page_holds_results_facets_filters_and_the_people_named(network):
    page = queries.search_page(form=form_for(q="amman", blog="amman-notes"))

    assert page.searched
    assert page.total == 1
    assert [result.pk for result in page.results] == [network["trade"].pk]
    assert page.permalink == "/search/?q=amman&blog=amman-notes"
    assert page.feed_url == "/search/feed/?q=amman&blog=amman-notes"
    assert [f.label for f in page.active_filters] == ["Blog: Notes from Amman"]
    assert page.bloggers == [network["amira"]]
    assert {facet.name for facet in page.facets} >= {"tag", "year"}


def test_a_search_page_beyond_the_last_is_not_found(network):
    with pytest.raises(Http404):
        queries.search_page(form=form_for(q="amman", page="2"))


def test_exclusions_alone_search_nothing_and_say_so(network):
    page = queries.search_page(form=form_for(q="-water"))

    assert page.exclusions_only
    assert not page.searched


def test_the_feed_lists_the_newest_matches_first(network):
    entries = queries.feed_entries(form=form_for(blog="amman-notes"), limit=1)

    assert [entry.pk for entry in entries] == [network["trade"].pk]
