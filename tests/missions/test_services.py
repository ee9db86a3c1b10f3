"""A change to a mission is announced once, for the whole site: its name and country show
beside its bloggers and blogs on every page."""

import pytest

from dragoman.core.changes import Moment, listen, unlisten
from dragoman.missions import services
from dragoman.missions.announcements import MissionChanged
from tests.factories import BlogFactory, BloggerFactory, MissionFactory

pytestmark = pytest.mark.django_db

heard: list[MissionChanged] = []


def hear(announcement: MissionChanged) -> None:
    heard.append(announcement)


@pytest.fixture
def listening():
    heard.clear()
    listen(MissionChanged, hear, moment=Moment.IN_TRANSACTION)
    yield heard
    unlisten(hear)


def test_a_mission_change_is_announced_for_every_page(listening):
    mission = MissionFactory()
    heard.clear()

    services.mission_changed(mission_id=mission.pk)

    assert heard == [MissionChanged(mission_id=mission.pk, shown_on=("site",))]


def test_editing_or_deleting_a_mission_in_the_admin_announces_it(listening):
    mission = MissionFactory()
    mission_id = mission.pk

    mission.name = "Embassy in Amman (closed)"
    mission.save()
    mission.delete()

    assert [announcement.mission_id for announcement in heard] == [mission_id] * 3


def test_a_renamed_mission_shows_at_once_on_cached_pages(
    client, django_capture_on_commit_callbacks
):
    mission = MissionFactory(slug="amman", name="Embassy in Amman")
    BlogFactory(mission=mission, bloggers=[BloggerFactory(mission=mission)])
    client.get("/missions/amman/")
    stored = client.get("/missions/amman/")
    assert stored.headers["X-Cache"] == "HIT"
    assert "Embassy in Amman" in stored.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        mission.name = "Embassy of the Republic in Amman"
        mission.save()

    fresh = client.get("/missions/amman/")
    assert "Embassy of the Republic in Amman" in fresh.content.decode()
