"""The demo campaign: a hundred messages from many countries, most on the wall."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from dragoman.blogs import services as blog_services
from dragoman.campaigns.demo import MESSAGE_COUNT, PENDING_COUNT, demo_campaign_build
from dragoman.campaigns.models import Message

pytestmark = pytest.mark.django_db


def test_the_demo_campaign_has_a_hundred_messages_from_many_countries(client, settings):
    settings.DRAGOMAN_PAGE_CACHE = False
    blog_services.network_ensure()
    get_user_model().objects.create_superuser("admin", "admin@example.org", "pw")

    campaign = demo_campaign_build(now=timezone.now(), report=lambda _line: None)
    page = client.get(campaign.url).content.decode()

    messages = Message.objects.filter(campaign=campaign)
    assert messages.count() == MESSAGE_COUNT == 100
    assert messages.filter(status="pending").count() == PENDING_COUNT
    assert messages.values("country").distinct().count() >= 20
    assert messages.values("language").distinct().count() == 6
    assert f"{MESSAGE_COUNT - PENDING_COUNT} messages" in page
    assert campaign.is_open()
