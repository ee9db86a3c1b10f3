"""The digital team's campaign screens: the queue, the CSV and the printable page."""

import csv
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from dragoman.campaigns.models import Message
from tests.campaigns.conftest import message_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


def test_the_menu_says_how_many_messages_wait(moderator_client, campaign):
    message_add(campaign, body="One.")
    message_add(campaign, body="Two.")

    page = moderator_client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Campaign messages (2 waiting)" in page


def test_the_list_counts_each_campaigns_messages(moderator_client, campaign, moderator):
    message_add(campaign, body="Waiting.")
    message_add(campaign, body="On the wall.", approve_by=moderator)

    response = moderator_client.get(reverse("campaigns_admin:campaign_list"))

    assert response.status_code == 200
    cells = re.sub(r">\s+<", "><", response.content.decode())
    assert campaign.title in cells
    assert "<td>1</td><td>1</td><td>0</td>" in cells


def test_a_moderator_approves_one_message_with_its_own_button(moderator_client, campaign):
    first = message_add(campaign, body="First wish.")
    second = message_add(campaign, body="Second wish.")
    queue = reverse("campaigns_admin:queue", args=[campaign.pk])

    page = moderator_client.get(queue).content.decode()
    response = moderator_client.post(queue, {"act_on": f"approve:{first.pk}"})

    assert "First wish." in page and "Second wish." in page
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("approved", "pending")


def test_a_moderator_rejects_ticked_messages_in_bulk(moderator_client, campaign):
    messages = [message_add(campaign, body=f"Wish {n}.") for n in range(3)]
    queue = reverse("campaigns_admin:queue", args=[campaign.pk])

    moderator_client.post(queue, {"action": "reject", "messages": [messages[0].pk, messages[2].pk]})

    assert list(Message.objects.order_by("pk").values_list("status", flat=True)) == [
        "rejected",
        "pending",
        "rejected",
    ]


def test_a_message_of_another_campaign_cannot_be_judged_from_this_queue(moderator_client, campaign):
    from tests.campaigns.conftest import campaign_create

    other = campaign_create(title="Other", slug="other")
    foreign = message_add(other, body="Elsewhere.")

    response = moderator_client.post(
        reverse("campaigns_admin:queue", args=[campaign.pk]), {"act_on": f"approve:{foreign.pk}"}
    )

    assert response.status_code == 302
    assert Message.objects.get().status == "pending"


def test_people_without_the_permission_are_refused(client, campaign):
    user = get_user_model().objects.create_user("blogger", "", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)

    message_add(campaign, body="Private until judged.")
    addresses = [
        reverse("campaigns_admin:campaign_list"),
        *(
            reverse(f"campaigns_admin:{name}", args=[campaign.pk])
            for name in ("queue", "export_csv", "printable")
        ),
    ]

    # Wagtail answers a refusal by sending the person back to the dashboard, with a message.
    responses = [client.get(address) for address in addresses]
    assert [(r.status_code, r.headers.get("Location")) for r in responses] == [
        (302, "/admin/")
    ] * len(addresses)
    assert all(b"Private until judged." not in r.content for r in responses)


def test_the_csv_holds_the_approved_messages_safe_for_spreadsheets(
    moderator_client, campaign, moderator
):
    message_add(campaign, approve_by=moderator, name="Amina", country="JO", body="Happy birthday.")
    message_add(campaign, approve_by=moderator, name="=cmd()", country="", body='=HYPERLINK("x")')
    message_add(campaign, body="Still waiting.")

    response = moderator_client.get(reverse("campaigns_admin:export_csv", args=[campaign.pk]))
    text = response.content.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))

    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="birthday-wishes-'
    )
    assert text.startswith("\ufeff")
    assert rows[0] == ["Written", "Name", "Country", "Language", "Message"]
    assert [row[1:3] + row[4:] for row in rows[1:]] == [
        ["Amina", "Jordan", "Happy birthday."],
        ["'=cmd()", "", '\'=HYPERLINK("x")'],
    ]


def test_the_printable_page_lists_the_approved_messages_by_country(
    moderator_client, campaign, moderator
):
    message_add(campaign, approve_by=moderator, country="JO", body="From Amman.")
    message_add(campaign, approve_by=moderator, country="FR", body="De Paris.")
    message_add(campaign, country="FR", body="Waiting.")
    printable = reverse("campaigns_admin:printable", args=[campaign.pk])

    everything = moderator_client.get(printable)
    france = moderator_client.get(printable + "?country=FR").content.decode()

    assert {"private", "no-store"} <= set(everything.headers["Cache-Control"].split(", "))
    assert "From Amman." in everything.content.decode()
    assert "Waiting." not in everything.content.decode()
    assert "Messages from France" in france
    assert "De Paris." in france and "From Amman." not in france
