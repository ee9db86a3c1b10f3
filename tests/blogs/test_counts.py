"""The tag and month counts stay exact through every kind of change.

After each change the kept counts are compared with the same counts computed from scratch
over the live entries (the query the counts replace), network-wide and per blog.
"""

from datetime import UTC, datetime, timedelta
from io import StringIO

import django.utils.timezone
import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import PageViewRestriction

from dragoman.blogs import counts, queries, services
from dragoman.blogs.models import MonthCount, TagCount
from tests.blogs.counting import counts_from_the_rule, counts_kept
from tests.factories import BlogFactory, EntryFactory

pytestmark = pytest.mark.django_db

JAN = datetime(2025, 1, 15, 9, 0, tzinfo=UTC)
MAR = datetime(2025, 3, 15, 9, 0, tzinfo=UTC)


def assert_exact() -> None:
    assert counts_kept() == counts_from_the_rule()


def test_counts_follow_publishing_editing_moving_unpublishing_and_deleting():
    blog_a, blog_b = BlogFactory(), BlogFactory()
    first = EntryFactory(blog=blog_a, date=JAN, tags=["trade", "culture"])
    second = EntryFactory(blog=blog_a, date=JAN + timedelta(days=1), tags=["trade"])
    EntryFactory(blog=blog_b, date=MAR, tags=["culture"])
    assert_exact()
    assert counts_kept()[0][("trade", None)] == 2

    first.tags.set(["science"])  # tags change, place in the lists does not
    first.save_revision().publish()
    assert_exact()

    second.date = MAR + timedelta(days=2)  # to another month
    second.save_revision().publish()
    assert_exact()

    second.move(blog_b, pos="last-child")
    assert_exact()
    assert counts_kept()[0][("trade", blog_b.pk)] == 1

    first.unpublish()
    assert_exact()
    second.delete()
    assert_exact()
    assert ("trade", None) not in counts_kept()[0]


def test_tag_cloud_and_archive_read_the_counts():
    blog = BlogFactory()
    for day in range(3):
        EntryFactory(blog=blog, date=JAN + timedelta(days=day), tags=["trade"])
    EntryFactory(blog=blog, date=MAR, tags=["culture"])

    cloud = {tag.slug: tag.count for tag in queries.tag_cloud(blog=blog)}
    months = [(m.month.month, m.count) for m in queries.archive_months()]

    assert cloud == {"trade": 3, "culture": 1}
    assert months == [(3, 1), (1, 3)]


def test_an_entry_dated_in_the_future_joins_counts_and_pages_when_its_date_passes(
    client, monkeypatch
):
    blog = BlogFactory()
    EntryFactory(blog=blog, tags=["trade"])
    later = timezone.now() + timedelta(hours=2)
    EntryFactory(blog=blog, title="Embargoed", date=later - timedelta(hours=1), tags=["trade"])
    services.entries_came_due()  # remembers when it last looked
    assert counts_kept()[0][("trade", None)] == 1
    assert "Embargoed" not in client.get("/tags/trade/").content.decode()  # now cached

    monkeypatch.setattr(django.utils.timezone, "now", lambda: later)
    call_command("publish-scheduled", stdout=StringIO())

    assert counts_kept()[0][("trade", None)] == 2
    assert_exact()
    assert "Embargoed" in client.get("/tags/trade/").content.decode()


def test_a_private_blog_leaves_the_counts_and_returns_when_public_again():
    blog_a, blog_b = BlogFactory(), BlogFactory()
    EntryFactory(blog=blog_a, tags=["trade"])
    EntryFactory(blog=blog_b, tags=["trade"])

    restriction = PageViewRestriction.objects.create(
        page=blog_b, restriction_type=PageViewRestriction.LOGIN
    )
    assert counts_kept()[0][("trade", None)] == 1
    assert_exact()

    restriction.delete()
    assert counts_kept()[0][("trade", None)] == 2


def test_rebuild_repairs_counts_and_says_whether_anything_moved():
    EntryFactory(date=JAN, tags=["trade"])
    TagCount.objects.update(entries=41)
    MonthCount.objects.all().delete()

    assert counts.rebuild() is True
    assert_exact()
    assert counts.rebuild() is False


def test_month_bounds_cover_december_into_the_next_year():
    start, end = counts.month_bounds(datetime(2025, 12, 1).date())
    assert (start.month, end.year, end.month) == (12, 2026, 1)
