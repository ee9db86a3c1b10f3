"""Shared helpers for campaign tests: an open campaign, and a reader sending a message."""

import time
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from dragoman.blogs import services as blog_services
from dragoman.campaigns import services
from dragoman.campaigns.models import CampaignPage, Message
from dragoman.conversations import defences

ORIGIN = "http://testserver"


@pytest.fixture(autouse=True)
def _campaign_settings(settings: Any) -> None:
    settings.DRAGOMAN_COMMENT_BENCHMARK = False
    settings.DRAGOMAN_PAGE_CACHE = False
    cache.clear()


def campaign_create(*, live: bool = True, **fields: Any) -> CampaignPage:
    home, _index = blog_services.network_ensure()
    values = {
        "title": "Birthday wishes for Leyla",
        "slug": "birthday-wishes",
        "introduction": "Send Leyla your wishes; we deliver them.",
        "closes_at": timezone.now() + timedelta(days=7),
        **fields,
    }
    campaign = CampaignPage(**values)
    home.add_child(instance=campaign)
    revision = campaign.save_revision()
    if live:
        revision.publish()
    else:
        campaign.live = False
        campaign.save(update_fields=["live"])
    return CampaignPage.objects.get(pk=campaign.pk)


@pytest.fixture
def campaign(db: Any) -> CampaignPage:
    return campaign_create()


@pytest.fixture
def moderator(db: Any) -> Any:
    user = get_user_model().objects.create_user("moderator", "moderator@example.org", "pw")
    user.user_permissions.add(
        Permission.objects.get(codename="moderate_message"),
        Permission.objects.get(codename="access_admin"),
    )
    return user


def message_add(campaign: CampaignPage, *, approve_by: Any = None, **fields: Any) -> Message:
    values = {"name": "Amina", "country": "JO", "body": "Happy birthday, Leyla.", **fields}
    message = services.message_submit(campaign=campaign, **values)
    if approve_by is not None:
        services.messages_moderate(messages=[message], action="approve", acting_user=approve_by)
        message.refresh_from_db()
    return message


def message_data(campaign: CampaignPage, **overrides: Any) -> dict[str, Any]:
    """What a person's browser sends: the form as shown, filled in, ten seconds later."""
    data = {
        "name": "Amina",
        "country": "JO",
        "language": "en",
        "body": "Happy birthday, Leyla. We are waiting for you.",
        "website": "",
        "stamp": defences.form_stamp(entry_id=campaign.pk, now=time.time() - 10),
    }
    data.update(overrides)
    return data


def post_message(
    client: Any, campaign: CampaignPage, *, headers: dict[str, str] | None = None, **overrides: Any
) -> Any:
    return client.post(
        reverse("campaigns:message_create", args=[campaign.pk]),
        message_data(campaign, **overrides),
        headers={"Origin": ORIGIN} if headers is None else headers,
    )
