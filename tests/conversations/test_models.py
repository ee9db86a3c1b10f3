"""Comments and conversation settings as moderators, readers and other apps rely on them."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from wagtail.models import Page

from dragoman.conversations import services
from dragoman.conversations.models import (
    DEFAULT_CLOSE_AFTER_DAYS,
    BlogConversationSettings,
    Comment,
    NetworkConversationSettings,
)


@pytest.fixture
def admin(db):
    return User.objects.create_superuser("root", "root@example.org", "pw")


def submitted(entry, body="Congratulations on the opening!", **kwargs):
    return services.comment_submit(
        entry=entry, blog=entry.get_parent().specific, name="Amina", body=body, **kwargs
    )


def test_comments_filter_by_status(entry, admin):
    pending = submitted(entry, body="Waiting for a moderator")
    approved = services.comment_approve(
        comment=submitted(entry, body="Approved"), acting_user=admin
    )
    spam = submitted(entry, body="Buy cheap watches", spam=True)

    assert list(Comment.objects.pending()) == [pending]
    assert list(Comment.objects.approved()) == [approved]
    assert Comment.objects.get(pk=spam.pk).status == Comment.Status.SPAM


def test_readers_comments_and_official_replies_are_told_apart(entry, admin):
    question = services.comment_approve(comment=submitted(entry, body="When?"), acting_user=admin)

    reply = services.official_reply_create(comment=question, acting_user=admin, body="In May.")

    assert list(Comment.objects.from_readers()) == [question]
    assert list(Comment.objects.official_replies()) == [reply]
    assert reply.is_official
    assert not question.is_official
    assert list(question.replies.all()) == [reply]


def test_comments_under_an_unpublished_entry_are_left_out_of_live_lists(entry, admin):
    services.comment_approve(comment=submitted(entry), acting_user=admin)
    assert Comment.objects.on_visible_entries().count() == 1

    entry.unpublish()

    assert Comment.objects.on_visible_entries().count() == 0


def test_comments_are_in_the_order_they_were_written(entry):
    later = submitted(entry, body="Second")
    earlier = submitted(entry, body="First")
    Comment.objects.filter(pk=earlier.pk).update(created_at=later.created_at - timedelta(hours=1))

    assert list(Comment.objects.all()) == [earlier, later]


def test_a_comment_is_named_by_its_author_and_the_start_of_its_body(entry):
    comment = submitted(entry, body="A" * 80)

    assert str(comment) == f"Amina: {'A' * 50}"


def test_waiting_time_is_how_long_ago_the_comment_was_written(entry):
    comment = submitted(entry)
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(hours=3))
    comment.refresh_from_db()

    assert timedelta(hours=3) <= comment.waiting_time < timedelta(hours=3, minutes=1)


def test_deleting_an_entry_deletes_its_conversation(entry):
    submitted(entry)

    Page.objects.get(pk=entry.pk).delete()

    assert not Comment.objects.exists()


def test_a_blog_without_settings_is_pre_moderated_and_closes_after_90_days(entry):
    blog_settings = BlogConversationSettings(blog=entry.get_parent().specific)

    assert blog_settings.mode == BlogConversationSettings.Mode.PRE_MODERATION
    assert blog_settings.close_after_days == DEFAULT_CLOSE_AFTER_DAYS == 90
    assert str(blog_settings) == str(entry.get_parent().specific)


def test_the_blocklist_is_one_case_folded_phrase_a_line_without_blank_lines(db):
    services.blocklist_set(words=["Cheap WATCHES", "  ", " casino bonus "])

    blocklist = NetworkConversationSettings.load().blocklist

    assert blocklist == ["cheap watches", "casino bonus"]


def test_conversations_are_open_network_wide_until_the_digital_team_closes_them(db):
    assert NetworkConversationSettings.load().comments_closed is False

    services.network_conversations_close(banner="Closed during the elections.")

    network = NetworkConversationSettings.load()
    assert network.comments_closed is True
    assert network.closed_banner == "Closed during the elections."
