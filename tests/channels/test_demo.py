import pytest

from dragoman.blogs import services as blog_services
from dragoman.channels.demo import demo_channels_build
from dragoman.channels.models import Channel
from dragoman.channels.normalise import normalise
from dragoman.demo import content
from tests.factories import MissionFactory

pytestmark = pytest.mark.django_db


def test_demo_register_has_over_300_channels_for_the_demo_missions_and_officials(client):
    missions = {
        slug: MissionFactory(slug=slug, name=name, city=city, country=country, country_code=code)
        for slug, name, _kind, city, country, code, _continent in content.MISSIONS
    }
    for slug, name, job, mission_slug, bio in content.BLOGGERS:
        blog_services.blogger_create(
            display_name=name, slug=slug, job_title=job, mission=missions[mission_slug], bio=bio
        )

    channels = demo_channels_build(report=lambda _line: None)

    assert len(channels) >= 300
    assert Channel.objects.count() == len(channels)
    assert {c.mission_id for c in channels if c.mission_id} == {m.pk for m in missions.values()}
    assert Channel.objects.filter(status="impersonation").exists()
    assert Channel.objects.filter(status="archived").exists()
    assert len({c.platform for c in channels}) == 16
    for channel in channels:
        assert normalise(channel.address.canonical, channel.platform).value == channel.address.value
    page = client.get("/channels/", {"country": "JO"}).content.decode()
    assert "Embassy in Amman" in page
