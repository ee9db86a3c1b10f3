"""The demo network's conversations: what a newcomer sees under entries, in the queue, on the
home page and in the answering report."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from dragoman.conversations import queries
from dragoman.conversations.models import BlogConversationSettings, Comment
from dragoman.demo.conversations import POST_MODERATED_BLOG

pytestmark = pytest.mark.usefixtures("demo_network", "db", "uncached")


def test_readers_comment_in_at_least_four_languages_matching_their_entries():
    languages = set(
        Comment.objects.approved().from_readers().values_list("entry__language", flat=True)
    )

    assert {"en", "ar", "fa", "fr", "es", "ru"} <= languages


def test_official_replies_come_from_a_blogger_credited_on_the_entry():
    replies = Comment.objects.official_replies().select_related("author__blogger", "entry")

    assert replies.count() >= 15
    for reply in replies:
        credited = {blogger.pk for blogger in reply.entry.specific.authors}
        assert reply.author.blogger.pk in credited, reply
        assert reply.name == reply.author.blogger.display_name
        assert reply.job_title == reply.author.blogger.job_title


def test_answer_times_range_from_hours_to_a_couple_of_days():
    waits = [
        reply.created_at - reply.parent.created_at
        for reply in Comment.objects.official_replies().select_related("parent")
    ]

    assert min(waits) >= timedelta(hours=1)
    assert max(waits) <= timedelta(days=3)
    assert max(waits) - min(waits) >= timedelta(days=1)


def test_answering_report_shows_different_figures_for_different_blogs():
    by_blog, by_mission = queries.reply_report()

    medians = {figures.median_first_reply for figures in by_blog if figures.answered}
    assert len(medians) >= 4
    assert any(figures.answered < figures.questions for figures in by_blog)
    assert by_mission


def test_some_comments_wait_in_the_moderation_queue():
    moderator = User.objects.filter(groups__name="Digital team").first()

    waiting = queries.moderation_queue(user=moderator, status=Comment.Status.PENDING)

    assert waiting.count() >= 5
    assert len(set(waiting.values_list("entry__language", flat=True))) >= 3


def test_one_blog_is_post_moderated_and_its_comments_appeared_at_once():
    settings = BlogConversationSettings.objects.get(blog__slug=POST_MODERATED_BLOG)
    comments = Comment.objects.from_readers().filter(blog__slug=POST_MODERATED_BLOG)

    assert settings.mode == BlogConversationSettings.Mode.POST_MODERATION
    assert comments.exists()
    for comment in comments:
        assert comment.status == Comment.Status.APPROVED
        assert comment.published_at == comment.created_at
        assert comment.moderated_by is None
    assert not BlogConversationSettings.objects.exclude(blog__slug=POST_MODERATED_BLOG).filter(
        mode=BlogConversationSettings.Mode.POST_MODERATION
    )


def test_nothing_in_the_conversations_is_dated_in_the_future():
    assert not Comment.objects.filter(created_at__gt=timezone.now()).exists()
    assert not Comment.objects.filter(published_at__gt=timezone.now()).exists()


def test_home_page_shows_recent_comments_and_official_replies(client):
    newest = queries.recent_comments(limit=5)

    page = client.get("/").content.decode()

    assert "Recent comments" in page
    assert len(newest) == 5
    for comment in newest:
        assert f"#comment-{comment.pk}" in page


def test_an_answered_entry_shows_the_comment_and_the_official_reply(client):
    reply = Comment.objects.official_replies().filter(entry__language="fa").first()

    page = client.get(reply.entry.url).content.decode()

    assert reply.parent.body in page
    assert reply.body in page
    assert reply.name in page


def test_a_pending_comment_is_not_shown_to_readers(client):
    pending = Comment.objects.pending().first()

    page = client.get(pending.entry.url).content.decode()

    assert pending.body not in page
