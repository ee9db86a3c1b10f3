"""Finding a mission by the slug in its address."""

import pytest
from django.http import Http404

from dragoman.missions.queries import get_mission
from tests.factories import MissionFactory

pytestmark = pytest.mark.django_db


def test_a_mission_is_found_by_its_slug():
    MissionFactory(slug="paris")
    amman = MissionFactory(slug="amman")

    assert get_mission("amman") == amman


def test_an_unknown_slug_is_not_found_rather_than_an_error():
    MissionFactory(slug="amman")

    with pytest.raises(Http404):
        get_mission("nowhere")


def test_a_mission_is_found_in_one_query(django_assert_num_queries):
    MissionFactory(slug="amman")

    with django_assert_num_queries(1):
        get_mission("amman")
