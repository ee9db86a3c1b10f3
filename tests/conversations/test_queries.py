from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from dragoman.conversations import queries, services
from dragoman.conversations.models import (
    BlogConversationSettings,
    Comment,
    NetworkConversationSettings,
)
from tests.factories import EntryFactory


@pytest.fixture
def admin(db):
    return User.objects.create_superuser("root", "root@example.org", "pw")


def published(entry, admin, body="Hello", **kwargs):
    comment = services.comment_submit(
        entry=entry, blog=entry.get_parent().specific, name="Amina", body=body, **kwargs
    )
    return services.comment_approve(comment=comment, acting_user=admin)


def test_conversation_is_open_on_a_new_entry(entry):
    state = queries.conversation_state(entry=entry, blog=entry.get_parent().specific)

    assert state.is_open


def test_reading_the_state_of_a_new_network_writes_nothing(entry):
    # Readers arriving together on a fresh network must not race to create the settings.
    NetworkConversationSettings.objects.all().delete()

    state = queries.conversation_state(entry=entry, blog=entry.get_parent().specific)

    assert state.is_open
    assert not NetworkConversationSettings.objects.exists()


def test_conversation_closes_90_days_after_publication(db):
    entry = EntryFactory(date=timezone.now() - timedelta(days=91))

    state = queries.conversation_state(entry=entry, blog=entry.get_parent().specific)

    assert not state.is_open
    assert "90 days" in state.closed_message


def test_a_blog_can_keep_conversations_open_longer(db):
    entry = EntryFactory(date=timezone.now() - timedelta(days=91))
    blog = entry.get_parent().specific
    services.blog_conversation_settings_set(blog=blog, close_after_days=365)

    assert queries.conversation_state(entry=entry, blog=blog).is_open


def test_a_closed_blog_takes_no_comments(entry):
    blog = entry.get_parent().specific
    services.blog_conversation_settings_set(blog=blog, mode=BlogConversationSettings.Mode.CLOSED)

    assert not queries.conversation_state(entry=entry, blog=blog).is_open


def test_network_switch_closes_every_blog_with_its_banner(entry):
    services.network_conversations_close(banner="Pre-election period: comments are paused.")

    state = queries.conversation_state(entry=entry, blog=entry.get_parent().specific)

    assert not state.is_open
    assert state.banner == "Pre-election period: comments are paused."


def test_network_switch_reopens_by_itself_at_the_set_time(entry):
    services.network_conversations_close(
        banner="Paused", reopen_at=timezone.now() - timedelta(minutes=1)
    )

    assert queries.conversation_state(entry=entry, blog=entry.get_parent().specific).is_open


def test_entry_conversation_fetches_comments_and_replies_in_one_query(
    entry, admin, django_assert_num_queries
):
    for number in range(5):
        comment = published(entry, admin, body=f"Comment {number}")
        services.official_reply_create(comment=comment, acting_user=admin, body=f"Reply {number}")

    with django_assert_num_queries(1):
        comments = queries.entry_conversation(entry_id=entry.pk)
        replies = [reply.body for comment in comments for reply in comment.official_replies]

    assert len(comments) == 5
    assert replies == [f"Reply {n}" for n in range(5)]


def test_comment_counts_on_an_entry_list_take_one_query(entry, admin, django_assert_num_queries):
    others = [EntryFactory(blog=entry.get_parent().specific) for _ in range(3)]
    published(entry, admin, body="one")
    published(entry, admin, body="two")
    services.comment_submit(
        entry=others[0], blog=entry.get_parent().specific, name="x", body="pending"
    )

    with django_assert_num_queries(1):
        counts = {
            e.pk: e.comment_count for e in queries.with_comment_counts(type(entry).objects.all())
        }

    assert counts[entry.pk] == 2
    assert counts[others[0].pk] == 0


def test_recent_comments_leave_out_unpublished_entries(entry, admin):
    published(entry, admin, body="Visible")
    hidden = EntryFactory(blog=entry.get_parent().specific, date=timezone.now())
    published(hidden, admin, body="Hidden")
    hidden.unpublish()

    assert [c.body for c in queries.recent_comments()] == ["Visible"]


def test_reply_report_gives_share_answered_and_median_first_reply(entry, admin):
    now = timezone.now()
    answered = published(entry, admin, body="Question one")
    published(entry, admin, body="Question two")
    reply = services.official_reply_create(comment=answered, acting_user=admin, body="Answer")
    Comment.objects.filter(pk=answered.pk).update(created_at=now - timedelta(hours=5))
    Comment.objects.filter(pk=reply.pk).update(created_at=now - timedelta(hours=2))

    by_blog, by_mission = queries.reply_report()

    assert len(by_blog) == 1
    figures = by_blog[0]
    assert (figures.questions, figures.answered, figures.share_answered) == (2, 1, 0.5)
    assert figures.median_first_reply == timedelta(hours=3)
    assert by_mission[0].label == entry.get_parent().specific.mission.name


def test_comment_lists_leave_out_the_entries_readers_may_not_see(admin):
    from wagtail.models import PageViewRestriction

    from tests.factories import BlogFactory

    private_blog = BlogFactory()
    open_entry = EntryFactory(date=timezone.now() - timedelta(days=1))
    private_entry = EntryFactory(blog=private_blog, date=timezone.now() - timedelta(days=1))
    published(open_entry, admin, body="On an open entry")
    published(private_entry, admin, body="On a private entry")
    PageViewRestriction.objects.create(
        page=private_blog, restriction_type=PageViewRestriction.LOGIN
    )

    recent = [comment.body for comment in queries.recent_comments()]
    fed = [comment.body for comment in queries.feed_comments()]

    assert recent == fed == ["On an open entry"]


@pytest.mark.parametrize("whose", ["network", "blog"])
def test_recent_comments_are_read_in_an_index_s_order_whatever_instant_they_share(
    entry, admin, whose
):
    # An import publishes many comments in one instant: ordered by date then id, they must
    # come from an index in that order, not all be read and sorted at every render.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    moment = timezone.now() - timedelta(hours=1)
    for number in range(3):
        published(entry, admin, body=f"At once {number}")
    Comment.objects.update(published_at=moment)
    blog = entry.get_parent().specific if whose == "blog" else None

    with CaptureQueriesContext(connection) as captured:
        recent = queries.recent_comments(blog=blog)
    assert [comment.body for comment in recent] == ["At once 2", "At once 1", "At once 0"]

    (sql,) = [q["sql"] for q in captured.captured_queries if "conversations_comment" in q["sql"]]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # With sorting and table scans priced out, only an index in order avoids a Sort.
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "Sort" not in plan, plan
        else:
            # SQLite's indexes end with the row's id: the date's index alone was enough there.
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
            assert "TEMP B-TREE" not in plan, plan
