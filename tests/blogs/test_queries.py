"""The reads that pages, feeds and sidebars share: what a reader may see, in what order, in
a fixed number of queries. Counts kept as entries change are proved in test_counts.py, the
neighbours' rules in test_neighbours.py, whole pages' query counts in test_query_counts.py."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.http import Http404
from django.urls import get_script_prefix, set_script_prefix
from django.utils import timezone, translation
from taggit.models import Tag
from wagtail.models import PageViewRestriction, Site

from dragoman.blogs import queries, services
from dragoman.blogs.models import BlogPage, EntryAuthor, EntryPage, HomePage, private_sections
from tests.factories import BlogFactory, BloggerFactory, EntryFactory, MissionFactory

pytestmark = pytest.mark.django_db

MARCH = datetime(2024, 3, 10, 12, tzinfo=UTC)
APRIL = datetime(2024, 4, 10, 12, tzinfo=UTC)
MAY_2023 = datetime(2023, 5, 10, 12, tzinfo=UTC)


@pytest.fixture
def network():
    amira = BloggerFactory(slug="amira", display_name="Amira Haddad")
    tunis = BlogFactory(slug="tunis", title="Notes from Tunis", bloggers=[amira])
    lima = BlogFactory(slug="lima", title="Letters from Lima")
    return {
        "amira": amira,
        "tunis": tunis,
        "lima": lima,
        "march": EntryFactory(blog=tunis, title="Water in March", date=MARCH, tags=["water"]),
        "april": EntryFactory(blog=tunis, title="Trade in April", date=APRIL, tags=["trade"]),
        "lima_april": EntryFactory(
            blog=lima, title="Water in Lima", date=APRIL + timedelta(hours=1), tags=["water"]
        ),
        "old": EntryFactory(blog=lima, title="Old news", date=MAY_2023),
        "draft": EntryFactory(blog=tunis, title="A draft", date=MARCH, tags=["water"], live=False),
        "future": EntryFactory(
            blog=tunis, title="Not yet", date=timezone.now() + timedelta(days=3), tags=["water"]
        ),
    }


def titles(entries) -> list[str]:
    return [entry.title for entry in entries]


def make_private(blog: BlogPage) -> PageViewRestriction:
    return PageViewRestriction.objects.create(page=blog, restriction_type=PageViewRestriction.LOGIN)


def test_live_entries_leave_out_drafts_and_entries_dated_in_the_future(network):
    assert set(titles(queries.live_entries())) == {
        "Water in March",
        "Trade in April",
        "Water in Lima",
        "Old news",
    }


def test_live_entries_leave_out_private_sections_until_they_are_public_again(network):
    restriction = make_private(network["lima"])
    private = set(titles(queries.live_entries()))

    restriction.delete()

    assert private == {"Water in March", "Trade in April"}
    assert "Old news" in titles(queries.live_entries())


def test_latest_entries_are_the_newest_live_ones(network):
    assert titles(queries.latest_entries(limit=2)) == ["Water in Lima", "Trade in April"]


def test_latest_entries_take_two_queries_with_their_cards(network, django_assert_num_queries):
    private_sections()  # remembered between requests, as are Wagtail's sites
    Site.get_site_root_paths()

    with django_assert_num_queries(2):
        entries = queries.latest_entries(limit=10)
        cards = [
            (
                entry.comment_count,
                [(a.display_name, a.get_absolute_url()) for a in entry.authors],
                [(t.name, t.url) for t in entry.tags],
            )
            for entry in entries
        ]

    assert len(cards) == 4
    assert cards[0][0] == 0
    assert cards[0][2] == [("water", "/tags/water/")]


def test_a_card_shows_what_its_entry_shows(network):
    entry = network["april"]
    second = BloggerFactory(slug="omar", display_name="Omar")
    EntryAuthor.objects.create(entry=entry, blogger=second, sort_order=99)
    entry.refresh_from_db()

    (card,) = queries.entry_cards(EntryPage.objects.filter(pk=entry.pk))

    assert (card.pk, card.title, card.summary, card.date) == (
        entry.pk, entry.title, entry.summary, entry.date,
    )  # fmt: skip
    assert (card.url, card.language, card.direction) == (entry.url, "en", "ltr")
    assert [(a.display_name, a.get_absolute_url()) for a in card.authors] == [
        (b.display_name, b.get_absolute_url()) for b in entry.authors
    ]
    assert [a.display_name for a in card.authors] == ["Amira Haddad", "Omar"]
    assert [(t.name, t.url) for t in card.tags] == [("trade", "/tags/trade/")]


def test_cards_link_under_the_interface_language_and_the_text_only_prefix(network):
    entry = network["april"]
    with translation.override("fr"):
        (card,) = queries.entry_cards(EntryPage.objects.filter(pk=entry.pk))
        assert card.url == entry.url
        assert card.url.startswith("/fr/")
        assert card.tags[0].url == "/fr/tags/trade/"
    prefix = get_script_prefix()
    set_script_prefix("/text/")
    try:
        (card,) = queries.entry_cards(EntryPage.objects.filter(pk=entry.pk))
        assert card.tags[0].url == "/text/tags/trade/"
        assert card.url == entry.url
    finally:
        set_script_prefix(prefix)


def test_a_blogs_bloggers_and_a_tags_entries_are_live_ones_only(network):
    assert titles(queries.blog_entries(blog=network["tunis"]).newest_first()) == [
        "Trade in April",
        "Water in March",
    ]
    assert titles(queries.live_entries().by_blogger(network["amira"]).newest_first()) == [
        "Trade in April",
        "Water in March",
    ]
    water = Tag.objects.get(slug="water")
    assert titles(queries.tagged_entries(tag=water).newest_first()) == [
        "Water in Lima",
        "Water in March",
    ]
    assert titles(queries.tagged_entries(tag=water, blog=network["lima"])) == ["Water in Lima"]


def test_period_entries_are_those_from_start_up_to_but_not_including_end(network):
    entries = queries.period_entries(
        start=datetime(2024, 4, 1, tzinfo=UTC), end=datetime(2024, 5, 1, tzinfo=UTC)
    )

    assert set(titles(entries)) == {"Trade in April", "Water in Lima"}
    assert titles(queries.period_entries(start=MARCH, end=APRIL, blog=network["lima"])) == []


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="counts SQLite's virtual machine steps; PostgreSQL takes the tighter of two bounds",
)
def test_a_period_s_page_reads_its_own_entries_not_every_newer_one():
    # SQLite took the first upper bound on the date for its index range: with the rule's
    # "date <= now" first, a month of the past read every entry dated after it.
    blog = BlogFactory()
    EntryFactory(blog=blog, date=MAY_2023)
    newer = [EntryFactory(blog=blog, date=MARCH + timedelta(days=n)) for n in range(40)]
    steps = 0

    def step() -> int:
        nonlocal steps
        steps += 1
        return 0  # go on

    def read() -> int:
        nonlocal steps
        steps = 0
        month = queries.period_entries(
            start=datetime(2023, 5, 1, tzinfo=UTC), end=datetime(2023, 6, 1, tzinfo=UTC)
        )
        connection.ensure_connection()
        connection.connection.set_progress_handler(step, 1)
        try:
            assert len(list(queries.entry_keys(month)[:10])) == 1
        finally:
            connection.connection.set_progress_handler(None, 1)
        return steps

    with_newer_entries = read()
    # The same entries moved before the month: neither reading has any more to do.
    EntryPage.objects.filter(pk__in=[entry.pk for entry in newer]).update(
        date=MAY_2023 - timedelta(days=60)
    )
    without = read()

    assert with_newer_entries < without + 40


def test_entry_keys_are_ids_newest_first(network):
    keys = list(queries.entry_keys(queries.blog_entries(blog=network["tunis"])))

    assert keys == [network["april"].pk, network["march"].pk]


def test_tagged_keys_read_live_entries_of_the_tag_newest_first(network):
    keys = list(queries.tagged_keys(tag=Tag.objects.get(slug="water")))

    assert keys == [network["lima_april"].pk, network["march"].pk]


def test_tagged_keys_leave_out_private_sections(network):
    make_private(network["lima"])

    keys = list(queries.tagged_keys(tag=Tag.objects.get(slug="water")))

    assert keys == [network["march"].pk]


def test_credited_keys_read_the_bloggers_live_entries_newest_first(network):
    keys = list(queries.credited_keys(blogger=network["amira"]))

    assert keys == [network["april"].pk, network["march"].pk]
    assert queries.blogger_entry_count(blogger=network["amira"]) == 2


def test_credited_keys_leave_out_private_sections(network):
    make_private(network["tunis"])

    assert list(queries.credited_keys(blogger=network["amira"])) == []


def test_paginate_entries_gives_the_cards_of_the_keys_of_the_page(network, settings):
    settings.DRAGOMAN_PAGE_SIZE = 3
    keys = queries.entry_keys(queries.live_entries())

    second = queries.paginate_entries(keys, "2")

    assert second.paginator.num_pages == 2
    assert titles(second.object_list) == ["Old news"]
    assert isinstance(second.object_list[0], queries.EntryCard)


def test_paginate_with_a_known_count_does_not_count_again(
    network, settings, django_assert_num_queries
):
    settings.DRAGOMAN_PAGE_SIZE = 3
    keys = queries.entry_keys(queries.live_entries())

    with django_assert_num_queries(1):
        page = queries.paginate(keys, "1", count=4)
        ids = list(page.object_list)

    assert page.paginator.count == 4
    assert len(ids) == 3


@pytest.mark.parametrize("number", ["0", "3", "two", "-1", "99999999999999999999"])
def test_a_page_that_does_not_exist_is_not_found(network, settings, number):
    settings.DRAGOMAN_PAGE_SIZE = 3

    with pytest.raises(Http404):
        queries.paginate(queries.entry_keys(queries.live_entries()), number)


def test_an_empty_list_has_an_empty_first_page(db):
    page = queries.paginate(EntryPage.objects.none(), None)

    assert list(page.object_list) == []


def test_all_blogs_are_the_live_public_ones_by_title(network):
    hidden = BlogFactory(title="A private blog")
    make_private(hidden)

    assert list(queries.all_blogs()) == [network["lima"], network["tunis"]]


def test_a_blog_a_blogger_and_a_tag_are_found_by_slug_or_not_found(network):
    assert queries.live_blog("lima") == network["lima"]
    assert queries.live_blogger("amira") == network["amira"]
    assert queries.get_tag("water").name == "water"
    for find, slug in (
        (queries.live_blog, "nowhere"),
        (queries.live_blogger, "nobody"),
        (queries.get_tag, "nothing"),
    ):
        with pytest.raises(Http404):
            find(slug)


def test_an_unpublished_blog_is_not_found(network):
    BlogPage.objects.get(pk=network["lima"].pk).unpublish()

    with pytest.raises(Http404):
        queries.live_blog("lima")


def test_an_entrys_blog_is_its_parent_in_the_tree(network):
    assert queries.blog_of(network["march"]) == network["tunis"]
    assert queries.blog_of(network["old"]) == network["lima"]


def test_best_bits_are_the_live_picks_in_the_curated_order(network):
    home = HomePage.objects.get()
    services.best_bits_set(page=home, entries=[network["old"], network["draft"], network["march"]])

    assert titles(queries.best_bits(home)) == ["Old news", "Water in March"]


def test_tag_cloud_lists_tags_alphabetically_weighted_from_1_to_5(db):
    blog = BlogFactory()
    for number in range(20):
        tags = ["common"] + (["middling"] if number < 5 else []) + (["rare"] if number == 0 else [])
        EntryFactory(blog=blog, tags=tags)

    cloud = queries.tag_cloud()

    assert [(tag.name, tag.count, tag.weight) for tag in cloud] == [
        ("common", 20, 5),
        ("middling", 5, 3),
        ("rare", 1, 1),
    ]


def test_a_blogs_tag_cloud_counts_only_its_entries(network):
    cloud = queries.tag_cloud(blog=network["lima"])

    assert [(tag.slug, tag.count) for tag in cloud] == [("water", 1)]


def test_a_tag_cloud_shows_at_most_the_limit_keeping_the_most_used(db):
    blog = BlogFactory()
    EntryFactory(blog=blog, tags=["popular", "seldom"])
    EntryFactory(blog=blog, tags=["popular"])

    cloud = queries.tag_cloud(limit=1)

    assert [tag.slug for tag in cloud] == ["popular"]


def test_a_tags_entry_count_is_network_wide_or_for_one_blog(network):
    water = Tag.objects.get(slug="water")

    assert queries.tag_entry_count(tag=water) == 2
    assert queries.tag_entry_count(tag=water, blog=network["tunis"]) == 1
    assert queries.tag_entry_count(tag=Tag.objects.create(name="unused", slug="unused")) == 0


def test_archive_months_are_newest_first_with_their_counts_and_grouped_by_year(network):
    months = queries.archive_months()

    assert months == [
        queries.ArchiveMonth(date(2024, 4, 1), 2),
        queries.ArchiveMonth(date(2024, 3, 1), 1),
        queries.ArchiveMonth(date(2023, 5, 1), 1),
    ]
    assert queries.archive_years() == [(2024, months[:2]), (2023, months[2:])]
    assert queries.archive_months(blog=network["lima"]) == [
        queries.ArchiveMonth(date(2024, 4, 1), 1),
        queries.ArchiveMonth(date(2023, 5, 1), 1),
    ]


def test_bloggers_with_a_live_blog_are_grouped_by_country_then_mission(db):
    jordan = MissionFactory(name="Embassy in Amman", country="Jordan")
    peru = MissionFactory(name="Embassy in Lima", country="Peru")
    amira = BloggerFactory(display_name="Amira Haddad", mission=jordan)
    omar = BloggerFactory(display_name="Omar Said", mission=jordan)
    lucia = BloggerFactory(display_name="Lucia Rojas", mission=peru)
    BlogFactory(bloggers=[omar, amira])
    BlogFactory(bloggers=[lucia])
    quiet = BlogFactory(bloggers=[BloggerFactory(display_name="No Live Blog", mission=peru)])
    BlogPage.objects.get(pk=quiet.pk).unpublish()

    directory = queries.bloggers_by_location()

    assert directory == [("Jordan", [(jordan, [amira, omar])]), ("Peru", [(peru, [lucia])])]


def test_a_bloggers_blogs_are_their_live_ones(network):
    BlogFactory(title="Another of Amira's", bloggers=[network["amira"]])

    assert titles(queries.blogs_of_blogger(network["amira"])) == [
        "Another of Amira's",
        "Notes from Tunis",
    ]


def test_the_entry_at_an_address_is_found_in_any_state(network):
    draft = network["draft"]

    assert queries.entry_at_address(url_path=network["march"].url_path) == network["march"]
    assert queries.entry_at_address(url_path=draft.url_path) == draft
    assert queries.entry_at_address(url_path="/home/blogs/tunis/no-such-entry/") is None


def test_neighbours_are_the_live_entries_before_and_after_on_the_same_blog(network):
    previous, following = queries.entry_neighbours(network["march"], network["tunis"])
    first, _none = queries.entry_neighbours(network["april"], network["tunis"])

    assert previous is None
    assert following.pk == network["april"].pk
    assert first.pk == network["march"].pk


def test_an_entry_without_a_picture_is_shared_with_its_blogs_top_image(network):
    assert queries.entry_image(network["march"], network["tunis"]) is None


def test_a_blog_pages_context_holds_its_entries_sidebar_and_bloggers(network):
    context = queries.blog_page_context(blog=network["tunis"], page_number=None)

    assert titles(context["entries"].object_list) == ["Trade in April", "Water in March"]
    assert [tag.slug for tag in context["tag_cloud"]] == ["trade", "water"]
    # Read by the template only when its remembered header is stale.
    assert context["blog_bloggers"]() == [
        queries.Credit(display_name="Amira Haddad", url="/bloggers/amira/")
    ]
    assert len(context["archive_months"]) == 2


def test_an_entry_pages_context_holds_its_blog_tags_neighbours_and_share_links(network):
    context = queries.entry_page_context(entry=network["march"])

    assert context["blog"] == network["tunis"]
    assert [tag.slug for tag in context["entry_tags"]] == ["water"]
    assert context["previous_entry"] is None
    assert context["next_entry"].pk == network["april"].pk
    assert context["share_links"]
    assert context["structured_data"]


def test_a_bloggers_count_is_the_rule_kept_until_their_entries_change(network):
    amira = network["amira"]

    before = queries.blogger_entry_count(blogger=amira)
    EntryFactory(blog=network["tunis"], title="Trade in May", date=APRIL + timedelta(days=30))

    assert before == queries.live_entries().by_blogger(amira).count() - 1 == 2
    assert queries.blogger_entry_count(blogger=amira) == 3


def test_a_blogs_page_counts_its_entries_from_the_month_counts(network):
    context = queries.blog_page_context(blog=network["tunis"], page_number=None)

    assert (
        context["entries"].paginator.count
        == 2
        == queries.blog_entries(blog=network["tunis"]).count()
    )
