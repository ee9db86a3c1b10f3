"""What campaign pages read: the wall, counts by country, the digital team's lists."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dragoman.campaigns import queries, services
from dragoman.campaigns.models import CampaignPage, Message
from tests.campaigns.conftest import campaign_create, message_add

pytestmark = pytest.mark.django_db


def test_country_counts_come_most_first_in_two_queries(
    campaign, moderator, django_assert_num_queries
):
    for country, count in (("FR", 1), ("JO", 3), ("IR", 2)):
        for number in range(count):
            message_add(campaign, approve_by=moderator, country=country, body=f"{country} {number}")
    message_add(campaign, country="GB", body="Waiting.")
    message_add(campaign, approve_by=moderator, country="", body="From nowhere in particular.")

    # One for the private sections of the tree (Wagtail's public()), one for the counts.
    with django_assert_num_queries(2):
        counts = queries.country_counts(campaign)

    assert [(row.code, row.name, row.count) for row in counts] == [
        ("JO", "Jordan", 3),
        ("IR", "Iran", 2),
        ("FR", "France", 1),
    ]


def test_a_draft_campaign_is_not_on_any_wall(db):
    draft = campaign_create(live=False)

    with pytest.raises(Exception, match="No such campaign"):
        queries.campaign_on_wall(draft.pk)


def test_the_moderation_list_counts_messages_by_state(campaign, moderator):
    message_add(campaign, body="Pending.")
    message_add(campaign, approve_by=moderator, body="Approved.")
    rejected = message_add(campaign, body="Rejected.")
    services.messages_moderate(messages=[rejected], action="reject", acting_user=moderator)

    [row] = queries.moderation_campaigns()

    assert (row.pending, row.approved, row.rejected) == (1, 1, 1)
    assert queries.pending_count() == 1


def test_delivery_takes_the_approved_messages_oldest_first(campaign, moderator):
    second = message_add(campaign, body="Second.")
    first = message_add(campaign, body="First.")
    Message.objects.filter(pk=first.pk).update(created_at=second.created_at.replace(year=2020))
    services.messages_moderate(messages=[first, second], action="approve", acting_user=moderator)

    assert list(queries.delivery_messages(campaign)) == [first, second]


def test_public_campaigns_are_the_newest_live_ones(db, django_assert_num_queries):
    with django_assert_num_queries(1):  # no campaign: no page is read
        assert queries.public_campaigns(limit=5) == []
    older = campaign_create(title="Older", slug="older")
    newer = campaign_create(title="Newer", slug="newer")
    campaign_create(title="Draft", slug="draft", live=False)
    CampaignPage.objects.filter(pk=older.pk).update(
        first_published_at=timezone.now() - timedelta(days=9)
    )
    CampaignPage.objects.filter(pk=newer.pk).update(first_published_at=timezone.now())

    assert [c.title for c in queries.public_campaigns(limit=5)] == ["Newer", "Older"]
    assert [c.title for c in queries.public_campaigns(limit=1)] == ["Newer"]
