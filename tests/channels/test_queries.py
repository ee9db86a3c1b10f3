"""The reads of the register: its filters, its owners' channels and the "is this official?"
answer. How the pages show them is in test_views.py."""

import pytest

from dragoman.channels.models import Channel
from dragoman.channels.queries import (
    RegisterFilters,
    Verdict,
    blog_channels,
    blogger_channels,
    channel_check,
    filter_choices,
    mission_channels,
    register_channels,
)
from tests.factories import BlogFactory, BloggerFactory, ChannelFactory, MissionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def register():
    amman = MissionFactory(
        slug="amman", name="Embassy in Amman", country="Jordan", country_code="JO"
    )
    paris = MissionFactory(
        slug="paris", name="Embassy in Paris", country="France", country_code="FR"
    )
    ambassador = BloggerFactory(
        slug="tomas", display_name="Tomas Vellacott", job_title="Ambassador", mission=amman
    )
    return {
        "amman": amman,
        "paris": paris,
        "ambassador": ambassador,
        "official": ChannelFactory(
            platform="x", handle="dgm_amman", mission=amman, languages="ar en"
        ),
        "archived": ChannelFactory(
            platform="x",
            handle="dgmold_amman",
            mission=amman,
            languages="ar",
            status=Channel.Status.ARCHIVED,
        ),
        "fake": ChannelFactory(
            platform="x",
            handle="dgm_amman_",
            mission=amman,
            languages="ar",
            status=Channel.Status.IMPERSONATION,
        ),
        "personal": ChannelFactory(
            platform="x", handle="tomas_v", blogger=ambassador, languages="en"
        ),
        "culture": ChannelFactory(
            platform="instagram",
            handle="dgm.paris",
            mission=paris,
            languages="fr",
            audience=Channel.Audience.CULTURE,
        ),
    }


def test_the_unfiltered_register_lists_every_channel_missions_by_country(register):
    channels = list(register_channels(RegisterFilters()))

    missions_channels = [channel for channel in channels if channel.mission_id]
    assert missions_channels[0] == register["culture"]  # France before Jordan
    assert set(channels) == {
        register[name] for name in ("official", "archived", "fake", "personal", "culture")
    }


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"country": "JO"}, {"official", "archived", "fake", "personal"}),
        ({"mission": "amman"}, {"official", "archived", "fake", "personal"}),
        ({"mission": "paris"}, {"culture"}),
        ({"platform": "instagram"}, {"culture"}),
        ({"language": "en"}, {"official", "personal"}),
        ({"audience": "culture"}, {"culture"}),
        ({"status": "impersonation"}, {"fake"}),
        ({"country": "JO", "language": "ar", "status": "active"}, {"official"}),
    ],
)
def test_register_filters_combine(register, filters, expected):
    found = set(register_channels(RegisterFilters(**filters)))

    assert found == {register[name] for name in expected}


def test_the_filtered_register_and_its_owners_take_one_query(register, django_assert_num_queries):
    filters = RegisterFilters(country="JO", platform="x", language="en", status="active")

    with django_assert_num_queries(1):
        owners = [channel.owner_name for channel in register_channels(filters)]

    assert sorted(owners) == ["Embassy in Amman", "Tomas Vellacott, Ambassador"]


def test_filters_as_a_dict_hold_only_the_chosen_ones():
    assert RegisterFilters(country="JO", status="active").as_dict() == {
        "country": "JO",
        "status": "active",
    }


def test_filter_choices_offer_each_country_once_and_every_mission_in_one_query(
    register, django_assert_num_queries
):
    MissionFactory(slug="irbid", name="Consulate in Irbid", country="Jordan", country_code="JO")

    with django_assert_num_queries(1):
        choices = filter_choices()

    assert choices["country"] == [("FR", "France"), ("JO", "Jordan")]
    assert [slug for slug, _name in choices["mission"]] == ["paris", "irbid", "amman"]
    assert ("impersonation", "Impersonation warning") in choices["status"]
    assert ("x", "X (Twitter)") in choices["platform"]


def test_a_missions_page_lists_its_active_channels_and_its_officials(
    register, django_assert_num_queries
):
    with django_assert_num_queries(1):
        channels = mission_channels(register["amman"])
        owners = [channel.owner_name for channel in channels]

    assert set(channels) == {register["official"], register["personal"]}
    assert len(owners) == 2


def test_a_blog_links_its_missions_active_channels_only(register):
    blog = BlogFactory(mission=register["amman"], bloggers=[register["ambassador"]])

    assert blog_channels(blog) == [register["official"]]


def test_a_blog_without_a_mission_links_no_channel(register):
    blog = BlogFactory(mission=None)

    assert blog_channels(blog) == []


def test_a_profile_links_the_officials_own_active_channels(register):
    ChannelFactory(
        platform="mastodon",
        handle="@tomas@old.example",
        blogger=register["ambassador"],
        status=Channel.Status.ARCHIVED,
    )

    assert blogger_channels(register["ambassador"]) == [register["personal"]]


@pytest.mark.parametrize(
    ("query", "verdict", "first"),
    [
        ("https://x.com/DGM_Amman", Verdict.OFFICIAL, "official"),
        ("https://twitter.com/dgmold_amman", Verdict.ARCHIVED, "archived"),
        ("x.com/dgm_amman_", Verdict.IMPERSONATION, "fake"),
        ("https://www.instagram.com/dgm.paris/", Verdict.OFFICIAL, "culture"),
    ],
)
def test_the_checker_recognises_an_account_by_its_address(register, query, verdict, first):
    answer = channel_check(query)

    assert answer.verdict == verdict
    assert answer.channels[0] == register[first]


def test_an_account_not_in_the_register_is_unknown_and_says_to_be_careful(register):
    answer = channel_check("https://x.com/someone_else")

    assert answer.verdict == Verdict.UNKNOWN
    assert answer.channels == []
    assert "be careful" in answer.message


def test_impersonation_wins_over_official_for_a_bare_handle_matching_both(register):
    ChannelFactory(
        platform="instagram",
        handle="dgm_amman",
        mission=register["amman"],
        status=Channel.Status.IMPERSONATION,
    )

    answer = channel_check("@dgm_amman")

    assert answer.verdict == Verdict.IMPERSONATION
    assert answer.channels[0].status == Channel.Status.IMPERSONATION
    assert register["official"] in answer.channels


def test_something_that_is_no_address_is_invalid_with_the_reason(register):
    answer = channel_check("javascript:alert(1)")

    assert answer.verdict == Verdict.INVALID
    assert answer.message
    assert answer.channels == []
