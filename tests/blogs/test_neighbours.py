"""The entries before and after an entry on its blog, as its page links them.

`entry_neighbours` finds both in one SQL statement; these tests hold it to what the ORM's
`live_entries().for_blog(blog)` says, whatever the dates, drafts, embargoes and private
entries around it.
"""

from datetime import timedelta

import pytest
from django.db.models import Q
from django.utils import timezone
from wagtail.models import PageViewRestriction

from dragoman.blogs import queries
from dragoman.blogs.models import EntryPage
from tests.factories import BlogFactory, EntryFactory

pytestmark = pytest.mark.django_db


def expected(entry: EntryPage, blog) -> tuple[EntryPage | None, EntryPage | None]:
    # Wagtail's own idea of a blog's entries: its children in the tree.
    siblings = queries.live_entries().child_of(blog)
    before = Q(date__lt=entry.date) | Q(date=entry.date, pk__lt=entry.pk)
    after = Q(date__gt=entry.date) | Q(date=entry.date, pk__gt=entry.pk)
    return (
        siblings.filter(before).order_by("-date", "-pk").first(),
        siblings.filter(after).order_by("date", "pk").first(),
    )


def ids(pair: tuple[EntryPage | None, EntryPage | None]) -> tuple[int | None, int | None]:
    return tuple(entry.pk if entry is not None else None for entry in pair)  # type: ignore[return-value]


def test_neighbours_agree_with_the_listing_rules_around_every_entry():
    blog, other_blog = BlogFactory(), BlogFactory()
    now = timezone.now()
    same_day = now - timedelta(days=3)
    entries = [
        EntryFactory(blog=blog, title="Oldest", date=now - timedelta(days=9)),
        EntryFactory(blog=blog, title="Tied one", date=same_day),
        EntryFactory(blog=blog, title="Tied two", date=same_day),
        EntryFactory(blog=blog, title="Tied three", date=same_day),
        EntryFactory(blog=blog, title="A draft", date=now - timedelta(days=2), live=False),
        EntryFactory(blog=blog, title="Private", date=now - timedelta(days=1)),
        EntryFactory(blog=blog, title="Newest", date=now - timedelta(hours=1)),
        EntryFactory(blog=blog, title="Embargoed", date=now + timedelta(days=2)),
        EntryFactory(blog=other_blog, title="Elsewhere", date=now - timedelta(days=4)),
    ]
    private = EntryPage.objects.get(title="Private")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    for entry in entries:
        entry_blog = entry.get_parent().specific
        found = queries.entry_neighbours(entry, entry_blog)
        assert ids(found) == ids(expected(entry, entry_blog)), entry.title

    tied = EntryPage.objects.get(title="Tied two")
    previous_entry, next_entry = queries.entry_neighbours(tied, blog)
    assert (previous_entry.title, next_entry.title) == ("Tied one", "Tied three")
    newest = EntryPage.objects.get(title="Newest")
    previous_entry, next_entry = queries.entry_neighbours(newest, blog)
    assert (previous_entry.title, next_entry) == ("Tied three", None)
    assert previous_entry.url == EntryPage.objects.get(title="Tied three").url


def test_a_new_entry_being_previewed_is_placed_by_its_date_alone():
    blog = BlogFactory()
    now = timezone.now()
    older = EntryFactory(blog=blog, date=now - timedelta(days=2))
    newer = EntryFactory(blog=blog, date=now - timedelta(days=1))
    unsaved = EntryPage(title="Not saved yet", date=now - timedelta(days=1, hours=12))

    assert ids(queries.entry_neighbours(unsaved, blog)) == (older.pk, newer.pk)


def test_an_entry_moved_to_another_blog_takes_its_place_there():
    blog, other_blog = BlogFactory(), BlogFactory()
    now = timezone.now()
    moving = EntryFactory(blog=blog, title="Moving", date=now - timedelta(days=2))
    left_behind = EntryFactory(blog=blog, title="Left behind", date=now - timedelta(days=1))
    there = EntryFactory(blog=other_blog, title="There", date=now - timedelta(days=3))

    moving.move(other_blog, pos="last-child")

    assert ids(queries.entry_neighbours(there, other_blog)) == (None, moving.pk)
    assert ids(queries.entry_neighbours(left_behind, blog)) == (None, None)
    # Publishing a revision made before the move keeps the entry where it is now.
    moved = EntryPage.objects.get(pk=moving.pk)
    moved.get_latest_revision().publish()
    assert EntryPage.objects.get(pk=moving.pk).blog_id == other_blog.pk
    assert ids(queries.entry_neighbours(there, other_blog)) == (None, moving.pk)
