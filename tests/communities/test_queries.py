"""Reads: the export of everything held about a person, and the directory's opt-in."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from dragoman.communities import queries, services
from dragoman.communities.models import Membership

pytestmark = pytest.mark.django_db


def test_the_export_holds_what_a_member_wrote_and_what_is_held_about_them(two):
    membership = Membership.objects.get(user=two.member_a)
    services.profile_update(membership=membership, city="Accra", notify_replies=True)
    topic = services.topic_create(membership=membership, title="Hello all", body="First words")
    services.reply_create(membership=membership, topic=topic, body="Second words")
    other = Membership.objects.get(user=two.manager_a)
    services.reply_create(membership=other, topic=topic, body="Not theirs")

    data = queries.export(user=two.member_a)

    assert data["account"]["email"] == "member-a@example.org"
    assert data["memberships"][0]["city"] == "Accra"
    assert data["topics"][0]["title"] == "Hello all"
    assert [r["body"] for r in data["replies"]] == ["First words", "Second words"]
    json.dumps(data)  # plain values only


def test_the_export_downloads_as_json_for_the_signed_in_person_only(two):
    client = Client()
    assert client.get("/members/account/export.json").status_code == 302  # to sign in
    client.force_login(two.member_a)
    response = client.get("/members/account/export.json")
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    assert json.loads(response.content)["account"]["username"] == "member-a"


def test_the_directory_shows_only_those_who_opted_in_with_the_fields_they_chose(two):
    mine = Membership.objects.get(user=two.member_a)
    services.profile_update(
        membership=mine, in_directory=True, city="Lagos", bio="Engineer", shown_fields=["city"]
    )
    shown = list(queries.directory(membership=mine))
    assert shown == [mine]
    assert shown[0].shown_profile() == [("city", "Lagos")]


def test_members_of_b_never_see_a_through_the_queries(two):
    from django.http import Http404

    with pytest.raises(Http404):
        queries.membership_of(user=two.member_b, slug="alumni-a")
    with pytest.raises(Http404):
        queries.membership_of(user=two.staff, slug="alumni-a")
