"""The campaigns' actions: sending and judging messages."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dragoman.campaigns import services
from dragoman.campaigns.announcements import CampaignWallChanged
from dragoman.campaigns.models import Message
from dragoman.core.changes import Moment, listen, unlisten
from tests.campaigns.conftest import campaign_create, message_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    announcements = []
    listener = listen(CampaignWallChanged, announcements.append, moment=Moment.AFTER_COMMIT)
    yield announcements
    unlisten(listener)


def test_a_message_waits_for_a_moderator(campaign):
    message = message_add(campaign)

    assert message.status == Message.Status.PENDING
    assert not Message.objects.on_wall().exists()


def test_a_closed_campaign_refuses_a_message(db):
    closed = campaign_create(closes_at=timezone.now() - timedelta(seconds=1))

    with pytest.raises(ValidationError, match="closed"):
        message_add(closed)
    assert not Message.objects.exists()


def test_the_same_words_spaced_differently_are_a_duplicate(campaign):
    message_add(campaign, body="Happy birthday, Leyla.")

    with pytest.raises(ValidationError, match="already been sent"):
        message_add(campaign, body="  happy   BIRTHDAY, leyla. ")


def test_the_same_words_a_day_later_are_welcome(campaign):
    message_add(campaign, body="Happy birthday.", now=timezone.now() - timedelta(days=2))

    assert message_add(campaign, body="Happy birthday.").pk


def test_approving_puts_messages_on_the_wall_and_announces_it_once_per_campaign(
    campaign, moderator, heard, django_capture_on_commit_callbacks
):
    messages = [message_add(campaign, body=f"Wish {n}") for n in range(3)]

    with django_capture_on_commit_callbacks(execute=True):
        done = services.messages_moderate(
            messages=messages, action=services.APPROVE, acting_user=moderator
        )

    assert done == 3
    assert Message.objects.on_wall().count() == 3
    assert [a.campaign_id for a in heard] == [campaign.pk]
    assert heard[0].shown_on == (f"campaign:{campaign.pk}",)
    message = Message.objects.first()
    assert message.moderated_by == moderator
    assert message.moderated_at is not None


def test_rejecting_a_waiting_message_changes_no_wall(
    campaign, moderator, heard, django_capture_on_commit_callbacks
):
    message = message_add(campaign)

    with django_capture_on_commit_callbacks(execute=True):
        services.messages_moderate(
            messages=[message], action=services.REJECT, acting_user=moderator
        )

    assert heard == []
    assert Message.objects.get().status == Message.Status.REJECTED


def test_rejecting_an_approved_message_takes_it_off_the_wall(
    campaign, moderator, heard, django_capture_on_commit_callbacks
):
    message = message_add(campaign, approve_by=moderator)

    with django_capture_on_commit_callbacks(execute=True):
        done = services.messages_moderate(
            messages=[message], action=services.REJECT, acting_user=moderator
        )

    assert done == 1
    assert not Message.objects.on_wall().exists()
    assert len(heard) == 1


def test_judging_a_message_again_the_same_way_changes_nothing(campaign, moderator):
    message = message_add(campaign, approve_by=moderator)

    assert (
        services.messages_moderate(
            messages=[message], action=services.APPROVE, acting_user=moderator
        )
        == 0
    )


def test_only_those_with_the_permission_judge_messages(campaign):
    reader = get_user_model().objects.create_user("reader", "reader@example.org", "pw")
    message = message_add(campaign)

    with pytest.raises(PermissionDenied):
        services.messages_moderate(messages=[message], action=services.APPROVE, acting_user=reader)
    assert Message.objects.get().status == Message.Status.PENDING


def test_an_unknown_action_is_refused(campaign, moderator):
    with pytest.raises(ValidationError):
        services.messages_moderate(
            messages=[message_add(campaign)], action="publish", acting_user=moderator
        )


def test_the_wall_of_an_unpublished_campaign_is_empty(campaign, moderator):
    message_add(campaign, approve_by=moderator)

    campaign.unpublish()

    assert not Message.objects.on_wall().exists()


def test_the_digital_team_and_moderators_may_judge_messages(db):
    from django.contrib.auth.models import Group

    from dragoman.authoring.roles import DIGITAL_TEAM, MODERATORS

    for name in (DIGITAL_TEAM, MODERATORS):
        user = get_user_model().objects.create_user(name.replace(" ", ""), "", "pw")
        user.groups.add(Group.objects.get(name=name))
        assert services.user_can_moderate(user), name
