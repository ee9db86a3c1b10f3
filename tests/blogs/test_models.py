"""Bloggers, blogs and entries as pages, feeds and the admin rely on them."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import Http404
from django.utils import timezone
from taggit.models import Tag

from dragoman.blogs import services
from dragoman.blogs.models import (
    Blogger,
    BlogPage,
    EntryFootprint,
    EntryPage,
    EntryTag,
    HomePage,
    MonthCount,
    TagCount,
    language_direction,
)
from tests.factories import BlogFactory, BloggerFactory, EntryFactory

pytestmark = pytest.mark.django_db

MARCH = datetime(2024, 3, 10, 12, tzinfo=UTC)
APRIL = datetime(2024, 4, 10, 12, tzinfo=UTC)


def test_a_blogger_is_named_and_addressed_by_their_profile():
    blogger = BloggerFactory(display_name="Amira Haddad", slug="amira")

    assert str(blogger) == "Amira Haddad"
    assert blogger.get_absolute_url() == "/bloggers/amira/"


def test_bloggers_are_listed_by_name():
    BloggerFactory(display_name="Zainab Okafor")
    BloggerFactory(display_name="Amira Haddad")

    assert list(Blogger.objects.values_list("display_name", flat=True)) == [
        "Amira Haddad",
        "Zainab Okafor",
    ]


@pytest.mark.parametrize(
    ("language", "direction"),
    [("ar", "rtl"), ("fa", "rtl"), ("he", "rtl"), ("ur", "rtl"), ("en", "ltr"), ("xx", "ltr")],
)
def test_right_to_left_languages_are_known_by_their_code(language, direction):
    assert language_direction(language) == direction


def test_a_blog_and_an_entry_take_the_direction_of_their_language():
    blog = BlogFactory(language="ar")
    entry = EntryFactory(blog=blog, language="fa")
    english = EntryFactory(blog=blog, language="en")

    assert blog.direction == "rtl"
    assert entry.direction == "rtl"
    assert english.direction == "ltr"


def test_an_entry_knows_its_blog_and_follows_it_when_moved():
    first_blog = BlogFactory()
    entry = EntryFactory(blog=first_blog)
    other = BlogFactory()

    recorded_first = EntryPage.objects.get(pk=entry.pk).blog_id
    entry.move(other, pos="last-child")

    assert recorded_first == first_blog.pk
    assert EntryPage.objects.get(pk=entry.pk).blog_id == other.pk


def test_an_entry_credits_its_authors_in_order():
    first = BloggerFactory(display_name="Amira Haddad")
    second = BloggerFactory(display_name="Zainab Okafor")
    blog = BlogFactory(bloggers=[first, second])

    entry = EntryFactory(blog=blog, authors=[second, first])

    assert EntryPage.objects.get(pk=entry.pk).authors == [second, first]


def test_entry_querysets_select_by_blog_blogger_tag_and_language():
    amira = BloggerFactory()
    blog = BlogFactory(bloggers=[amira])
    water = EntryFactory(blog=blog, tags=["water"], language="ar", date=MARCH)
    trade = EntryFactory(blog=blog, tags=["trade"], date=APRIL)
    elsewhere = EntryFactory(tags=["water"])

    assert set(EntryPage.objects.for_blog(blog)) == {water, trade}
    assert set(EntryPage.objects.by_blogger(amira)) == {water, trade}
    assert set(EntryPage.objects.tagged("water")) == {water, elsewhere}
    assert list(EntryPage.objects.in_language("ar")) == [water]
    assert list(EntryPage.objects.for_blog(blog).newest_first()) == [trade, water]


def test_a_translation_group_is_the_original_and_the_entries_pointing_at_it():
    original = EntryFactory(language="en")
    arabic = EntryFactory(blog=original.get_parent().specific, language="ar")
    services.entry_translation_link(entry=arabic, original=original)
    EntryFactory(language="fr")

    group = set(EntryPage.objects.translation_group(original.pk))

    assert group == {original, arabic}
    assert EntryPage.objects.get(pk=arabic.pk).original_id == original.pk
    assert original.original_id == original.pk


def test_an_entry_dated_in_the_future_is_not_served_yet():
    entry = EntryFactory(date=timezone.now() + timedelta(days=2))

    assert not entry.is_visible_to(None)
    with pytest.raises(Http404):
        entry.serve(None)


def test_an_entry_dated_in_the_future_is_left_out_of_the_sitemap():
    entry = EntryFactory(date=timezone.now() + timedelta(days=2))

    assert entry.get_sitemap_urls() == []


@pytest.mark.parametrize("slug", ["archive", "tags", "feed", "rss", "atom", "comments"])
def test_an_entry_cannot_take_the_slug_of_one_of_its_blogs_own_pages(slug):
    entry = EntryFactory()
    entry.slug = slug

    with pytest.raises(ValidationError) as refused:
        entry.full_clean()

    assert refused.value.message_dict["slug"] == [f"'{slug}' is reserved for the blog's own pages."]


def test_an_entry_cannot_translate_itself():
    entry = EntryFactory()
    entry.translation_of = entry

    with pytest.raises(ValidationError) as refused:
        entry.full_clean()

    assert refused.value.message_dict["translation_of"] == ["An entry cannot translate itself."]


def test_an_original_with_translations_cannot_become_a_translation():
    original = EntryFactory(language="en")
    services.entry_translation_link(
        entry=EntryFactory(blog=original.get_parent().specific, language="ar"), original=original
    )
    other = EntryFactory(language="fr")
    original.translation_of = other

    with pytest.raises(ValidationError) as refused:
        original.full_clean()

    assert refused.value.message_dict["translation_of"] == [
        "This entry has translations of its own, so it is an original."
    ]


def test_an_entrys_tags_carry_its_state_and_date_for_the_tag_pages():
    entry = EntryFactory(tags=["water"], date=MARCH)
    published = EntryTag.objects.get(content_object=entry)

    entry.unpublish()

    unpublished = EntryTag.objects.get(content_object=entry)
    assert (published.entry_live, published.entry_date) == (True, MARCH)
    assert (unpublished.entry_live, unpublished.entry_date) == (False, MARCH)


def test_counts_are_named_by_their_tag_or_month_and_their_blog():
    EntryFactory(tags=["water"], date=MARCH)
    tag = Tag.objects.get(slug="water")

    network_tag = TagCount.objects.get(tag=tag, blog=None)
    network_month = MonthCount.objects.get(month=MARCH.date().replace(day=1), blog=None)

    assert str(network_tag) == f"{tag.pk}@network: 1"
    assert str(network_month) == "2024-03@network: 1"


def test_the_home_page_finds_an_entry_a_blog_or_nothing_at_an_address(rf):
    entry = EntryFactory()
    blog = entry.get_parent().specific
    home = HomePage.objects.get()
    request = rf.get("/")

    found_entry = home.route(request, ["blogs", blog.slug, entry.slug])
    found_blog = home.route(request, ["blogs", blog.slug])

    assert found_entry.page == entry
    assert isinstance(found_blog.page, BlogPage)
    assert found_blog.page == blog
    with pytest.raises(Http404):
        home.route(request, ["blogs", blog.slug, "no-such-entry"])


# An entry's footprint: where it showed when last changed, so that the pages it leaves are
# refreshed too, even after it is deleted.


def test_publishing_an_entry_records_where_it_shows():
    amira = BloggerFactory(slug="amira")
    blog = BlogFactory(slug="tunis", bloggers=[amira])

    entry = EntryFactory(blog=blog, tags=["water", "trade"], date=MARCH)

    footprint = EntryFootprint.objects.get(entry_id=entry.pk)
    assert footprint.live
    assert (footprint.blog_id, footprint.blog_slug) == (blog.pk, "tunis")
    assert footprint.date == MARCH
    assert footprint.blogger_slugs == ["amira"]
    assert sorted(footprint.tag_slugs) == ["trade", "water"]
    assert footprint.url_path == entry.url_path


def test_a_footprint_is_named_after_its_entry():
    footprint = EntryFootprint(entry_id=42)

    assert str(footprint) == "entry 42"


def test_a_footprint_needs_no_entry_so_it_outlives_a_deleted_one():
    footprint = EntryFootprint.objects.create(
        entry_id=987654, blog_slug="tunis", tag_slugs=["water"]
    )

    footprint.refresh_from_db()
    assert footprint.tag_slugs == ["water"]


def test_an_entry_has_one_footprint():
    EntryFootprint.objects.create(entry_id=987654)

    with pytest.raises(IntegrityError):
        EntryFootprint.objects.create(entry_id=987654)
