"""A channel as the register, the checker and the owners' pages rely on it."""

import pytest
from django.core.exceptions import ValidationError

from dragoman.channels.models import Channel
from tests.factories import BloggerFactory, ChannelFactory, MissionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def amman():
    return MissionFactory(slug="amman", name="Embassy in Amman", country_code="JO")


def test_active_leaves_out_archived_channels_and_impersonations(amman):
    official = ChannelFactory(handle="dgm_amman", mission=amman)
    ChannelFactory(handle="dgmold_amman", mission=amman, status=Channel.Status.ARCHIVED)
    ChannelFactory(handle="dgm_amman_", mission=amman, status=Channel.Status.IMPERSONATION)

    assert list(Channel.objects.active()) == [official]


def test_a_missions_channels_include_those_of_the_officials_posted_there(amman):
    ambassador = BloggerFactory(mission=amman)
    own = ChannelFactory(handle="dgm_amman", mission=amman)
    officials = ChannelFactory(handle="amb_amman", blogger=ambassador)
    ChannelFactory(handle="dgm_paris")

    found = set(Channel.objects.of_mission(amman.pk))

    assert found == {own, officials}


def test_channels_in_a_country_include_those_of_officials_posted_there(amman):
    paris = MissionFactory(country_code="FR")
    own = ChannelFactory(handle="dgm_amman", mission=amman)
    officials = ChannelFactory(handle="amb_amman", blogger=BloggerFactory(mission=amman))
    ChannelFactory(handle="dgm_paris", mission=paris)

    assert set(Channel.objects.in_country("JO")) == {own, officials}


def test_a_language_filter_matches_whole_codes_only(amman):
    both = ChannelFactory(handle="dgm_amman", mission=amman, languages="ar en")
    ChannelFactory(handle="dgm_amman_fr", mission=amman, languages="fr")

    assert list(Channel.objects.in_language("ar")) == [both]
    # "e" and "n" are parts of "en", never codes of their own.
    assert list(Channel.objects.in_language("e")) == []


def test_a_channel_is_shown_by_its_handle_and_platform(amman):
    channel = ChannelFactory(platform="x", handle="dgm_amman", mission=amman)

    assert str(channel) == "@dgm_amman (X (Twitter))"
    assert channel.display_handle == "@dgm_amman"
    assert channel.platform_label == "X (Twitter)"


def test_a_channel_known_only_by_its_platform_id_is_shown_by_it(amman):
    channel = ChannelFactory(
        platform="facebook", handle="", platform_id="1234567890", mission=amman
    )

    assert channel.address.kind == "id"
    assert channel.display_handle == "1234567890"


def test_a_missions_channel_names_and_links_the_mission(amman):
    channel = ChannelFactory(handle="dgm_amman", mission=amman)

    assert channel.owner_name == "Embassy in Amman"
    assert channel.owner_url == "/missions/amman/"
    assert channel.owning_mission == amman


def test_an_officials_channel_names_the_person_with_their_title_and_their_mission(amman):
    ambassador = BloggerFactory(
        display_name="Tomas Vellacott", slug="tomas", job_title="Ambassador", mission=amman
    )
    channel = ChannelFactory(handle="tomas_v", blogger=ambassador)

    assert channel.owner_name == "Tomas Vellacott, Ambassador"
    assert channel.owner_url == "/bloggers/tomas/"
    assert channel.owning_mission == amman


def test_languages_are_listed_as_codes_and_names(amman):
    channel = ChannelFactory(handle="dgm_amman", mission=amman, languages="ar en")

    assert channel.language_codes == ["ar", "en"]
    assert channel.language_names == ["Arabic", "English"]


@pytest.mark.parametrize(
    ("owners", "message"),
    [
        ({}, "A channel has one owner: a mission or an official."),
        ({"mission": True, "blogger": True}, "A channel has one owner: a mission or an official."),
    ],
)
def test_a_channel_has_exactly_one_owner(amman, owners, message):
    channel = Channel(
        platform="x",
        handle="dgm_amman",
        mission=amman if owners.get("mission") else None,
        blogger=BloggerFactory() if owners.get("blogger") else None,
    )

    with pytest.raises(ValidationError) as refused:
        channel.full_clean()

    assert message in refused.value.messages


def test_a_channel_needs_a_handle_or_a_platform_id(amman):
    channel = Channel(platform="x", mission=amman)

    with pytest.raises(ValidationError) as refused:
        channel.full_clean()

    assert "Give the account's handle or its platform id." in refused.value.messages


def test_the_same_account_cannot_be_registered_twice(amman):
    ChannelFactory(platform="x", handle="dgm_amman", mission=amman)
    again = Channel(platform="x", handle="dgm_amman", mission=MissionFactory())

    with pytest.raises(ValidationError) as refused:
        again.full_clean()

    assert "This account is already in the register." in refused.value.messages


def test_the_same_handle_on_two_platforms_is_two_accounts(amman):
    ChannelFactory(platform="x", handle="dgm_amman", mission=amman)

    ChannelFactory(platform="instagram", handle="dgm_amman", mission=amman)

    assert Channel.objects.filter(handle="dgm_amman").count() == 2
