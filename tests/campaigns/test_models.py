"""Campaign pages and messages: where a campaign may live, when it closes, who wrote."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dragoman.blogs.models import BlogIndexPage, BlogPage, EntryPage, HomePage
from dragoman.campaigns.models import CampaignPage, Message

pytestmark = pytest.mark.django_db


def test_a_campaign_lives_under_the_home_page_or_a_blog_only():
    assert CampaignPage.can_create_at(HomePage())
    assert CampaignPage.can_create_at(BlogPage())
    assert not CampaignPage.can_create_at(BlogIndexPage())
    assert not CampaignPage.can_create_at(EntryPage())
    # The blogs' own page types are still allowed where they were.
    assert BlogPage in BlogIndexPage.allowed_subpage_models()
    assert EntryPage in BlogPage.allowed_subpage_models()


def test_a_campaign_without_a_closing_time_stays_open():
    now = timezone.now()

    assert CampaignPage(closes_at=None).is_open(now)
    assert CampaignPage(closes_at=now + timedelta(seconds=1)).is_open(now)
    assert not CampaignPage(closes_at=now).is_open(now)


def test_an_anonymous_message_is_signed_anonymous():
    assert Message(name="").display_name == "Anonymous"
    assert Message(name="Amina").display_name == "Amina"


def test_the_wall_leaves_out_pending_and_rejected_messages(campaign, moderator):
    from tests.campaigns.conftest import message_add

    shown = message_add(campaign, approve_by=moderator, body="Shown.")
    message_add(campaign, body="Pending.")

    assert list(Message.objects.on_wall()) == [shown]
