import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from wagtail.models import ModelLogEntry

from dragoman.channels import services
from dragoman.channels.models import Channel
from tests.factories import BloggerFactory, ChannelFactory, MissionFactory

pytestmark = pytest.mark.django_db


def test_a_channel_is_stored_in_canonical_form_whatever_was_pasted():
    mission = MissionFactory()

    channel = services.channel_create(
        platform="x",
        handle="https://mobile.twitter.com/DGM_Amman?s=20",
        mission=mission,
        languages="AR, en",
    )

    channel.refresh_from_db()
    assert channel.handle == "dgm_amman"
    assert channel.url == "https://x.com/dgm_amman"
    assert channel.languages == ",ar,en,"
    assert channel.language_codes == ["ar", "en"]


def test_a_facebook_page_id_pasted_as_the_handle_becomes_the_platform_id():
    channel = services.channel_create(
        platform="facebook",
        handle="https://www.facebook.com/profile.php?id=100064590123456",
        mission=MissionFactory(),
    )

    assert channel.handle == ""
    assert channel.platform_id == "100064590123456"
    assert channel.url == "https://www.facebook.com/profile.php?id=100064590123456"


def test_the_same_account_twice_is_refused_whatever_its_spelling():
    ChannelFactory(platform="x", handle="dgm_amman")

    with pytest.raises(ValidationError, match="already in the register"):
        services.channel_create(
            platform="x", handle="https://twitter.com/DGM_Amman/", mission=MissionFactory()
        )
    assert Channel.objects.count() == 1


def test_an_account_known_by_its_page_id_is_a_duplicate_of_the_same_id():
    ChannelFactory(platform="youtube", handle="@dgmamman", platform_id="UC1yBKRuGpC1tSM73A0ZjYjQ")

    with pytest.raises(ValidationError, match="already in the register"):
        services.channel_create(
            platform="youtube",
            handle="https://www.youtube.com/channel/UC1yBKRuGpC1tSM73A0ZjYjQ",
            mission=MissionFactory(),
        )


@pytest.mark.parametrize(
    ("platform", "handle", "reason"),
    [
        ("x", "javascript:alert(1)", "Only web addresses"),
        ("x", "https://www.facebook.com/dgm", "not on X"),
        ("website", "https://x.com/dgm", "not on Website"),
        ("facebook", "https://x.com@evil.example/", "disguise"),
    ],
)
def test_bad_addresses_are_refused_with_a_reason(platform, handle, reason):
    with pytest.raises(ValidationError, match=reason):
        services.channel_create(platform=platform, handle=handle, mission=MissionFactory())


def test_a_channel_has_one_owner_not_two_and_not_none():
    with pytest.raises(ValidationError, match="one owner"):
        services.channel_create(platform="x", handle="dgm_a", languages="en")
    with pytest.raises(ValidationError, match="one owner"):
        services.channel_create(
            platform="x", handle="dgm_b", mission=MissionFactory(), blogger=BloggerFactory()
        )


def test_unknown_language_codes_are_refused():
    with pytest.raises(ValidationError, match="Unknown language code: xx"):
        services.channel_create(
            platform="x", handle="dgm_c", mission=MissionFactory(), languages="en xx"
        )


def test_each_change_leaves_a_revision_and_a_log_entry_with_who_did_it():
    editor = get_user_model().objects.create_user("editor", password="x")
    channel = services.channel_create(
        platform="x", handle="dgm_d", mission=MissionFactory(), acting_user=editor
    )

    services.channel_verify(channel=channel, acting_user=editor, on=datetime.date(2026, 3, 31))

    actions = list(
        ModelLogEntry.objects.filter(object_id=str(channel.pk))
        .order_by("timestamp")
        .values_list("action", "user__username")
    )
    assert actions == [("wagtail.create", "editor"), ("wagtail.edit", "editor")]
    assert channel.revisions.count() == 2
    channel.refresh_from_db()
    assert channel.verified_on == datetime.date(2026, 3, 31)
