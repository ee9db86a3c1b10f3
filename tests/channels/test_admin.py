import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from dragoman.channels.models import Channel
from tests.factories import ChannelFactory, MissionFactory

pytestmark = pytest.mark.django_db

CSV = (
    "platform,handle,owner_type,owner,languages,audience,status,verified_on,note\n"
    "x,https://twitter.com/DGM_Amman,mission,amman,en ar,press,active,2026-04-01,\n"
    "telegram,@dgm_amman_news,mission,amman,ar,general,active,,\n"
)


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_superuser("digital", "d@example.org", "pw")
    client.force_login(user)
    return user


def upload(client, text, name="channels.csv"):
    return client.post(
        "/admin/channels/import/",
        {"file": SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")},
    )


def test_import_shows_a_preview_then_applies_it(client, editor):
    ChannelFactory(platform="x", handle="dgm_amman", mission=MissionFactory(slug="amman"))

    preview = upload(client, CSV)

    page = preview.content.decode()
    assert "Preview: 1 to create, 1 to update, 0 unchanged." in page
    assert "audience: “general” → “press”" in page
    assert Channel.objects.count() == 1
    payload = re.search(r'name="payload" value="([^"]+)"', page).group(1)

    applied = client.post("/admin/channels/import/", {"payload": payload})

    assert "Imported: 1 created, 1 updated, 0 unchanged." in applied.content.decode()
    assert Channel.objects.get(handle="dgm_amman").audience == "press"
    assert Channel.objects.get(platform="telegram").handle == "dgm_amman_news"


def test_import_with_errors_lists_them_by_line_and_offers_no_apply(client, editor):
    MissionFactory(slug="amman")
    text = CSV + "x,javascript:alert(1),mission,amman,en,general,active,,\n"

    response = upload(client, text)

    page = response.content.decode()
    assert response.status_code == 400
    assert "1 row has errors; nothing was saved." in page
    assert "<td>4</td>" in page
    assert "Only web addresses (http or https)" in page
    assert 'name="payload"' not in page
    assert Channel.objects.count() == 0


def test_an_altered_preview_is_refused(client, editor):
    response = client.post("/admin/channels/import/", {"payload": "forged"})

    assert response.status_code == 400
    assert "upload the file again" in response.content.decode()


def test_people_without_permission_to_change_channels_cannot_import(client):
    user = get_user_model().objects.create_user("moderator", password="pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)

    response = client.get("/admin/channels/import/")

    # Wagtail turns a refusal in the admin into a redirect to the dashboard, with a message.
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_editing_in_the_admin_stores_the_canonical_handle_and_records_history(client, editor):
    mission = MissionFactory(slug="amman")

    response = client.post(
        "/admin/snippets/channels/channel/add/",
        {
            "platform": "youtube",
            "handle": "https://m.youtube.com/c/DGM_Amman/videos",
            "platform_id": "",
            "mission": mission.pk,
            "blogger": "",
            "languages": "ar, en",
            "audience": "general",
            "status": "active",
            "verified_on": "",
            "note": "",
        },
    )

    assert response.status_code == 302
    channel = Channel.objects.get()
    assert channel.handle == "dgm_amman"
    assert channel.url == "https://www.youtube.com/@dgm_amman"
    assert channel.languages == ",ar,en,"
    history = client.get(f"/admin/snippets/channels/channel/history/{channel.pk}/")
    assert "digital" in history.content.decode()


def test_the_admin_refuses_a_host_that_does_not_match_the_platform(client, editor):
    mission = MissionFactory(slug="amman")

    response = client.post(
        "/admin/snippets/channels/channel/add/",
        {
            "platform": "x",
            "handle": "https://www.facebook.com/dgm.amman",
            "mission": mission.pk,
            "languages": "en",
            "audience": "general",
            "status": "active",
        },
    )

    assert response.status_code == 200
    assert "not on X (Twitter)" in response.content.decode()
    assert Channel.objects.count() == 0


def test_the_admin_lists_channels_with_their_owners(client, editor):
    ChannelFactory(
        platform="x", handle="dgm_listed", mission=MissionFactory(name="Embassy in Lomé")
    )

    page = client.get("/admin/snippets/channels/channel/").content.decode()

    assert "@dgm_listed" in page
    assert "Embassy in Lomé" in page


def test_the_admin_refuses_an_account_already_in_the_register(client, editor):
    mission = MissionFactory(slug="amman")
    ChannelFactory(platform="x", handle="dgm_amman", mission=mission)

    response = client.post(
        "/admin/snippets/channels/channel/add/",
        {
            "platform": "x",
            "handle": "https://mobile.twitter.com/DGM_Amman?s=20",
            "mission": mission.pk,
            "languages": "en",
            "audience": "general",
            "status": "active",
        },
    )

    assert response.status_code == 200
    assert "This account is already in the register." in response.content.decode()
    assert Channel.objects.count() == 1


def test_editing_a_channel_in_the_admin_shows_its_languages_as_typed(client, editor):
    channel = ChannelFactory(platform="x", handle="dgm_amman", languages="ar en")

    page = client.get(f"/admin/snippets/channels/channel/edit/{channel.pk}/").content.decode()

    assert 'value="ar en"' in page
