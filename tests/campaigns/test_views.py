"""A reader sends a message to a campaign, as a browser would; the wall, by country."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dragoman.campaigns import services
from dragoman.campaigns.models import Message
from tests.campaigns.conftest import campaign_create, message_add, post_message

pytestmark = pytest.mark.django_db


def test_a_message_is_stored_before_the_reader_is_thanked(client, campaign):
    response = post_message(client, campaign)

    assert response.status_code == 302
    message = Message.objects.get()
    assert (message.name, message.country, message.status) == ("Amina", "JO", "pending")
    thanks = client.get(response.headers["Location"])
    assert "waits for a moderator" in thanks.content.decode()
    assert thanks.headers["Referrer-Policy"] == "same-origin"
    assert "Set-Cookie" not in thanks.headers


def test_a_writer_may_stay_anonymous(client, campaign, moderator):
    post_message(client, campaign, name="")
    message = Message.objects.get()
    message_add(campaign, approve_by=moderator, body="Another wish.")
    services.messages_moderate(messages=[message], action="approve", acting_user=moderator)

    page = client.get(campaign.url).content.decode()
    assert message.name == ""
    assert "Anonymous" in page


@pytest.mark.parametrize(
    ("overrides", "status", "says"),
    [
        ({"body": ""}, 400, "Please write a message."),
        ({"body": "   "}, 400, "Please write a message."),
        ({"body": "x" * 501}, 400, "at most 500 characters"),
        ({"body": "Happy\x07 birthday"}, 400, "invisible control characters"),
        ({"name": "Am\x00ina"}, 400, "invisible control characters"),
        ({"country": "XX"}, 400, "Select a valid choice"),
        ({"language": "klingon"}, 400, "Select a valid choice"),
        ({"website": "http://spam.example"}, 400, "could not be accepted"),
        ({"stamp": "damaged"}, 400, "damaged on its way"),
        (
            {"body": "see http://a.example http://b.example http://c.example"},
            400,
            "at most 2 links",
        ),
    ],
)
def test_bad_input_gets_a_clear_refusal_and_stores_nothing(
    client, campaign, overrides, status, says
):
    response = post_message(client, campaign, **overrides)

    assert response.status_code == status
    assert says in response.content.decode()
    assert not Message.objects.exists()


def test_another_site_cannot_post_through_a_visitor(client, campaign):
    response = post_message(client, campaign, headers={"Origin": "https://evil.example"})

    assert response.status_code == 403
    assert not Message.objects.exists()


def test_markup_is_kept_as_inert_text(client, campaign, moderator):
    post_message(client, campaign, body='<script>alert("x")</script><b>Happy</b>')
    services.messages_moderate(
        messages=Message.objects.all(), action="approve", acting_user=moderator
    )

    page = client.get(campaign.url).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;Happy&lt;/b&gt;" in page


def test_the_same_words_twice_are_stored_once(client, campaign):
    first = post_message(client, campaign)
    second = post_message(client, campaign)

    assert first.status_code == 302
    assert second.status_code == 400
    assert "already been sent" in second.content.decode()
    assert Message.objects.count() == 1


def test_a_client_sending_many_messages_is_slowed_down(client, campaign, settings):
    settings.DRAGOMAN_COMMENT_RATE_COUNT = 2
    statuses = [post_message(client, campaign, body=f"Wish {n}").status_code for n in range(4)]

    assert statuses == [302, 302, 429, 429]
    assert Message.objects.count() == 2


def test_a_closed_campaign_takes_no_message_and_says_so(client, db):
    closed = campaign_create(closes_at=timezone.now() - timedelta(minutes=1))

    response = post_message(client, closed)
    page = client.get(closed.url).content.decode()

    assert response.status_code == 403
    assert "closed" in response.content.decode()
    assert not Message.objects.exists()
    assert "This campaign is closed" in page
    assert 'action="/campaigns/' not in page


def test_a_draft_campaign_takes_no_message(client, db):
    draft = campaign_create(live=False)

    assert post_message(client, draft).status_code == 404
    assert client.get(reverse("campaigns:country_wall", args=[draft.pk, "JO"])).status_code == 404


def test_a_message_cannot_be_sent_by_get(client, campaign):
    assert client.get(reverse("campaigns:message_create", args=[campaign.pk])).status_code == 405


def test_a_forged_thanks_address_is_not_found(client, campaign):
    assert client.get(reverse("campaigns:thanks", args=["forged"])).status_code == 404


def test_the_wall_shows_approved_messages_only_with_counts_by_country(client, campaign, moderator):
    message_add(campaign, approve_by=moderator, country="JO", body="From Amman.")
    message_add(campaign, approve_by=moderator, country="JO", body="Also from Amman.")
    message_add(campaign, approve_by=moderator, country="FR", body="De Paris.")
    message_add(campaign, country="FR", body="Waiting in Lyon.")

    page = client.get(campaign.url).content.decode()

    assert "3 messages" in page
    assert "From Amman." in page and "De Paris." in page
    assert "Waiting in Lyon." not in page
    jordan = reverse("campaigns:country_wall", args=[campaign.pk, "JO"])
    assert f'<a href="{jordan}">Jordan</a>' in page
    assert '<span class="campaign-wall__count">(2)</span>' in page


def test_the_country_wall_shows_that_country_only(client, campaign, moderator):
    message_add(campaign, approve_by=moderator, country="JO", body="From Amman.")
    message_add(campaign, approve_by=moderator, country="FR", body="De Paris.")

    response = client.get(reverse("campaigns:country_wall", args=[campaign.pk, "FR"]))
    page = response.content.decode()

    assert response.status_code == 200
    assert "Messages from France" in page
    assert "De Paris." in page
    assert "From Amman." not in page


@pytest.mark.parametrize("country", ["XX", "fr", "FRA", "../JO"])
def test_an_unknown_country_is_not_found(client, campaign, country):
    response = client.get(f"/campaigns/{campaign.pk}/from/{country}/")

    assert response.status_code == 404


def test_the_wall_is_paginated_and_a_page_past_the_end_is_not_found(
    client, campaign, moderator, settings
):
    settings.DRAGOMAN_PAGE_SIZE = 2
    for number in range(3):
        message_add(campaign, approve_by=moderator, body=f"Wish number {number}.")

    first = client.get(campaign.url).content.decode()
    second = client.get(campaign.url + "?page=2").content.decode()

    assert "Wish number 2." in first and "Wish number 0." not in first
    assert "Wish number 0." in second
    assert client.get(campaign.url + "?page=3").status_code == 404
    assert client.get(campaign.url + "?page=x").status_code == 404


def test_the_campaign_page_is_cached_and_an_approval_refreshes_it(
    client, campaign, moderator, settings
):
    settings.DRAGOMAN_PAGE_CACHE = True
    message = message_add(campaign, body="Soon on the wall.")
    jordan = reverse("campaigns:country_wall", args=[campaign.pk, "JO"])

    before = client.get(campaign.url)
    assert client.get(campaign.url).headers["X-Cache"] == "HIT"
    client.get(jordan)
    assert client.get(jordan).headers["X-Cache"] == "HIT"
    services.messages_moderate(messages=[message], action="approve", acting_user=moderator)
    after = client.get(campaign.url)
    after_jordan = client.get(jordan)

    assert "Soon on the wall." not in before.content.decode()
    assert "Set-Cookie" not in before.headers
    assert after.headers["X-Cache"] == "MISS"
    assert "Soon on the wall." in after.content.decode()
    assert "Soon on the wall." in after_jordan.content.decode()


def test_the_page_in_arabic_is_right_to_left(client, campaign):
    page = client.get("/ar" + campaign.url).content.decode()

    assert 'dir="rtl"' in page


def test_the_home_page_links_the_published_campaigns_only(client, campaign):
    campaign_create(title="Draft wishes", slug="draft-wishes", live=False)

    page = client.get("/").content.decode()

    assert f'<a href="{campaign.url}" dir="auto">{campaign.title}</a>' in page
    assert "Draft wishes" not in page
