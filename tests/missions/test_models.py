"""A mission as readers and other apps rely on it: its name, its address, its order."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from dragoman.missions.models import Continent, Mission
from tests.factories import MissionFactory

pytestmark = pytest.mark.django_db


def test_a_mission_is_named_by_its_name():
    mission = MissionFactory(name="Embassy in Amman")

    assert str(mission) == "Embassy in Amman"


def test_a_missions_address_is_its_page_under_missions():
    mission = MissionFactory(slug="amman")

    assert mission.get_absolute_url() == "/missions/amman/"


def test_missions_are_listed_by_country_then_name():
    MissionFactory(name="Consulate in Irbid", country="Jordan")
    MissionFactory(name="Embassy in Amman", country="Jordan")
    MissionFactory(name="Embassy in Paris", country="France")

    names = list(Mission.objects.values_list("name", flat=True))

    assert names == ["Embassy in Paris", "Consulate in Irbid", "Embassy in Amman"]


def test_two_missions_cannot_share_a_slug():
    Mission.objects.create(
        name="Embassy in Amman",
        slug="amman",
        city="Amman",
        country="Jordan",
        country_code="JO",
        continent=Continent.MIDDLE_EAST,
    )

    with pytest.raises(IntegrityError):
        Mission.objects.create(
            name="Consulate in Amman",
            slug="amman",
            city="Amman",
            country="Jordan",
            country_code="JO",
            continent=Continent.MIDDLE_EAST,
        )


def test_a_mission_must_be_of_a_known_kind_and_on_a_known_continent():
    mission = MissionFactory.build(kind="palace", continent="atlantis")

    with pytest.raises(ValidationError) as refused:
        mission.full_clean()

    assert set(refused.value.message_dict) == {"kind", "continent"}


def test_a_new_mission_is_an_embassy_unless_told_otherwise():
    mission = Mission(name="Embassy in Lima")

    assert mission.kind == Mission.Kind.EMBASSY
    assert mission.get_kind_display() == "Embassy"
