import csv
import io
import json

import pytest

from dragoman.channels.models import Channel
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
            status=Channel.Status.ARCHIVED,
            note="Replaced by @dgm_amman in 2024.",
        ),
        "fake": ChannelFactory(
            platform="x",
            handle="dgm_amman_",
            mission=amman,
            status=Channel.Status.IMPERSONATION,
            note="Asks for visa fees. Not ours.",
        ),
        "mastodon": ChannelFactory(
            platform="mastodon", handle="@tomas@social.example", blogger=ambassador
        ),
        "culture": ChannelFactory(
            platform="instagram",
            handle="dgm.paris",
            mission=paris,
            languages="fr",
            audience=Channel.Audience.CULTURE,
        ),
    }


# "Is this official?" ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "heading", "text"),
    [
        ("https://mobile.twitter.com/DGM_Amman?s=20", "Official", "Embassy in Amman"),
        ("x.com/dgmold_amman", "Archived", "Replaced by @dgm_amman in 2024."),
        ("@dgm_amman_", "Impersonation warning", "Asks for visa fees. Not ours."),
        ("https://x.com/dgm_amman_fan", "Not in the register", "be careful with it"),
        ("https://social.example/@Tomas", "Official", "Tomas Vellacott, Ambassador"),
    ],
)
def test_checker_form_answers_with_the_verdict_and_the_owner(
    client, register, query, heading, text
):
    response = client.get("/channels/check/", {"q": query})

    page = response.content.decode()
    assert response.status_code == 200
    assert f'class="check-answer__verdict">{heading}</h2>' in page
    assert text in page


@pytest.mark.parametrize(
    ("query", "result", "owner"),
    [
        ("https://twitter.com/dgm_amman/", "official", "Embassy in Amman"),
        ("https://x.com/DGMOLD_AMMAN", "archived", "Embassy in Amman"),
        ("https://x.com/dgm_amman_", "impersonation", "Embassy in Amman"),
        ("@tomas@social.example", "official", "Tomas Vellacott, Ambassador"),
    ],
)
def test_checker_answers_in_json_with_format_json(client, register, query, result, owner):
    response = client.get("/channels/check/", {"q": query, "format": "json"})

    answer = response.json()
    assert response.status_code == 200
    assert answer["result"] == result
    assert answer["channels"][0]["owner"]["name"] == owner
    assert answer["query"] == query


def test_checker_answers_in_json_when_asked_with_the_accept_header(client, register):
    response = client.get(
        "/channels/check/", {"q": "instagram.com/unknown.account"}, HTTP_ACCEPT="application/json"
    )

    assert response["Content-Type"].startswith("application/json")
    assert response.json()["result"] == "unknown"
    assert response.json()["normalised"] == {
        "platform": "instagram",
        "handle": "unknown.account",
        "kind": "handle",
        "url": "https://www.instagram.com/unknown.account",
    }
    assert response.json()["channels"] == []
    assert "Accept" in response["Vary"]


def test_a_bare_handle_matching_an_impersonation_anywhere_warns(client, register):
    response = client.get("/channels/check/", {"q": "@dgm_amman_", "format": "json"})

    assert response.json()["result"] == "impersonation"
    assert response.json()["normalised"]["platform"] is None


def test_checker_refuses_a_javascript_address_with_400_and_a_reason(client, register):
    html = client.get("/channels/check/", {"q": "javascript:alert(1)"})
    data = client.get("/channels/check/", {"q": "javascript:alert(1)", "format": "json"})

    assert html.status_code == 400
    assert "Only web addresses (http or https)" in html.content.decode()
    assert data.status_code == 400
    assert data.json()["result"] == "invalid"


def test_checker_without_a_query_shows_the_form_or_a_json_error(client):
    assert 'name="q"' in client.get("/channels/check/").content.decode()
    response = client.get("/channels/check/", {"format": "json"})
    assert response.status_code == 400
    assert "q" in response.json()["error"]
    assert client.get("/channels/check/", {"format": "xml"}).status_code == 400


# The register ------------------------------------------------------------------------------


def test_register_lists_every_channel_with_its_owner_and_status(client, register):
    page = client.get("/channels/").content.decode()

    assert "@dgm_amman</bdi>" in page
    assert "Impersonation warning" in page
    assert "Tomas Vellacott" in page
    assert "5 channels" in page


@pytest.mark.parametrize(
    ("filters", "shown", "hidden"),
    [
        ({"country": "FR"}, ["@dgm.paris"], ["@dgm_amman"]),
        ({"mission": "amman"}, ["@dgm_amman", "@tomas@social.example"], ["@dgm.paris"]),
        ({"platform": "mastodon"}, ["@tomas@social.example"], ["@dgm_amman"]),
        ({"language": "ar"}, ["@dgm_amman</bdi>"], ["@dgm.paris", "@dgmold_amman"]),
        ({"audience": "culture"}, ["@dgm.paris"], ["@dgm_amman"]),
        ({"status": "impersonation"}, ["@dgm_amman_"], ["@dgm_amman</bdi>"]),
    ],
)
def test_register_filters(client, register, filters, shown, hidden):
    page = client.get("/channels/", filters).content.decode()

    for text in shown:
        assert text in page
    for text in hidden:
        assert text not in page


def test_an_unknown_filter_value_is_a_400_with_a_message(client, register):
    response = client.get("/channels/", {"platform": "myspace"})

    assert response.status_code == 400
    assert "does not know" in response.content.decode()
    assert client.get("/channels/register.json", {"country": "ZZ"}).status_code == 400


def test_register_with_all_filters_runs_a_fixed_number_of_queries(
    client, register, django_assert_max_num_queries
):
    for number in range(40):
        ChannelFactory(platform="telegram", handle=f"dgm_amman_{number}", mission=register["amman"])
        ChannelFactory(platform="x", handle=f"dgmamb_{number}", blogger=register["ambassador"])
    filters = {
        "country": "JO",
        "mission": "amman",
        "platform": "telegram",
        "language": "en",
        "audience": "general",
        "status": "active",
    }

    # Two more on the first page after a change: the frame reads the network's name, and
    # the host check the mirrors and onion address, both then held until the next change.
    with django_assert_max_num_queries(5):
        full = client.get("/channels/")
    with django_assert_max_num_queries(3):
        filtered = client.get("/channels/", filters)

    assert "85 channels" in full.content.decode()
    assert "40 channels" in filtered.content.decode()


def test_csv_export_of_a_filtered_view_has_only_those_channels(client, register):
    response = client.get("/channels/register.csv", {"mission": "amman", "status": "active"})

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert response["Content-Type"].startswith("text/csv")
    assert sorted(row["handle"] for row in rows) == ["dgm_amman", "tomas@social.example"]
    official = next(row for row in rows if row["handle"] == "dgm_amman")
    assert official["url"] == "https://x.com/dgm_amman"
    assert official["languages"] == "ar en"
    assert official["country_code"] == "JO"


def test_json_export_of_the_whole_register_states_its_schema(client, register):
    document = json.loads(client.get("/channels/register.json").content)

    assert document["schema"] == "dragoman.channels/1"
    assert document["count"] == 5
    assert {c["handle"] for c in document["channels"]} >= {"dgm_amman", "dgm.paris"}


# Pages that show channels -----------------------------------------------------------------


def test_mission_page_lists_its_channels_and_its_officials_channels(client, register):
    page = client.get("/missions/amman/").content.decode()

    assert 'href="https://x.com/dgm_amman" rel="me"' in page
    assert "https://social.example/@tomas" in page
    assert "@dgm_amman_" not in page  # warnings are in the register, not in the list of ours


def test_blog_page_links_its_missions_channels_with_rel_me(client, register):
    blog = BlogFactory(mission=register["amman"])

    page = client.get(blog.url).content.decode()

    assert '<a class="channel-link" href="https://x.com/dgm_amman" rel="me">' in page
    assert "https://x.com/dgmold_amman" not in page


def test_profile_page_links_the_officials_own_channels_with_rel_me(client, register):
    page = client.get("/bloggers/tomas/").content.decode()

    assert '<a class="channel-link" href="https://social.example/@tomas" rel="me">' in page


def test_a_long_register_is_paged_and_the_pages_keep_the_filters(client, register):
    from dragoman.channels.services import channels_bulk_create

    channels_bulk_create(
        rows=[
            dict(platform="telegram", handle=f"dgm_page_{n}", mission=register["amman"])
            for n in range(230)
        ]
    )

    first = client.get("/channels/", {"platform": "telegram"}).content.decode()
    second = client.get("/channels/", {"platform": "telegram", "page": "2"}).content.decode()

    assert "230 channels" in first
    assert "Page 1 of 2" in first
    assert 'href="?platform=telegram&amp;page=2"' in first
    assert "Page 2 of 2" in second
    assert client.get("/channels/", {"page": "9"}).status_code == 404


def test_a_new_channel_shows_at_once_on_pages_served_from_the_page_cache(client, register):
    client.get("/missions/amman/")  # now in the page cache

    ChannelFactory(platform="bluesky", handle="dgm-amman.bsky.social", mission=register["amman"])

    assert "@dgm-amman.bsky.social" in client.get("/missions/amman/").content.decode()
