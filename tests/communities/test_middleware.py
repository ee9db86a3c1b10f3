"""A page rendered for a member is never served from the shared page cache to anyone else,
and members' pages say so to every other cache (`Cache-Control: private, no-store`)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from dragoman.communities import services
from dragoman.communities.models import Membership
from tests.factories import BloggerFactory, EntryFactory

pytestmark = pytest.mark.django_db

MARKER = "Qwertzalumni"


@pytest.fixture
def member_pages(two, settings) -> list[str]:
    settings.DRAGOMAN_PAGE_CACHE = True
    entry = EntryFactory(
        blog=two.a.blog,
        authors=[BloggerFactory()],
        title=f"{MARKER} entry",
        date=timezone.now() - timezone.timedelta(hours=1),
    )
    membership = Membership.objects.get(user=two.member_a)
    topic = services.topic_create(membership=membership, title=f"{MARKER} topic", body="Hello")
    return [
        "/",
        entry.url,
        two.a.blog.url,
        "/members/alumni-a/",
        f"/members/alumni-a/threads/{topic.pk}/",
        "/members/alumni-a/directory/",
        "/fr/members/alumni-a/",
    ]


def test_a_page_rendered_for_a_member_is_never_served_to_anyone_else(two, member_pages):
    member = Client()
    member.force_login(two.member_a)
    for address in member_pages:
        response = member.get(address)
        assert response.status_code == 200, address
        assert response.headers.get("X-Cache") != "HIT", address
        if address != "/":
            assert "private" in response["Cache-Control"], address
            assert "no-store" in response["Cache-Control"], address
    others = {"anonymous": Client()}
    for name, user in (("member of B", two.member_b), ("staff", two.staff)):
        others[name] = Client()
        others[name].force_login(user)
    for name, client in others.items():
        for address in member_pages:
            # Twice: the second would be a hit if anything had been stored.
            for _ in range(2):
                response = client.get(address)
                assert MARKER not in response.content.decode(), (name, address)
                if address != "/":
                    assert response.status_code == 404, (name, address)


def test_the_private_feed_is_never_stored(two, member_pages):
    token = services.feed_token_renew(membership=Membership.objects.get(user=two.member_a))
    client = Client()
    address = f"/members/alumni-a/feed/{token}/"
    first = client.get(address)
    assert first.status_code == 200 and MARKER in first.content.decode()
    assert client.get(address).headers.get("X-Cache") != "HIT"
    services.feed_token_revoke(membership=Membership.objects.get(user=two.member_a))
    assert client.get(address).status_code == 404


def test_public_community_pages_set_no_cookie_and_may_be_cached(client, two):
    for address in ("/communities/", "/communities/alumni-a/"):
        response = client.get(address)
        assert response.status_code == 200
        assert not response.cookies, address
        assert "private" not in response.headers.get("Cache-Control", ""), address
    # An unlisted community has no public page at all.
    assert client.get("/communities/alumni-b/").status_code == 404


def test_the_digital_team_must_use_a_second_factor(two, settings):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal import auth as totp
    from django.contrib.auth.models import Group

    settings.DRAGOMAN_MFA_REQUIRED_GROUPS = ["Digital team"]
    digital = two.staff
    digital.set_password("a long enough password 1")
    digital.save()
    digital.groups.add(Group.objects.get_or_create(name="Digital team")[0])
    client = Client()
    client.force_login(digital)
    # No authenticator yet: sent to set one up.
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/")

    secret = totp.generate_totp_secret()
    totp.TOTP.activate(digital, secret)
    assert Authenticator.objects.filter(user=digital).exists()
    # A session opened with a password alone is closed and sent to the sign-in.
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get("/admin/").status_code == 302  # signed out

    # Password, then the code of the authenticator: the admin opens.
    response = client.post(
        "/accounts/login/", {"login": digital.email, "password": "a long enough password 1"}
    )
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    counter = next(totp.yield_hotp_counters_from_time())
    code = totp.format_hotp_value(totp.hotp_value(secret, counter))
    response = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_manager_may_but_need_not_use_a_second_factor(two, settings):
    settings.DRAGOMAN_MFA_REQUIRED_GROUPS = ["Digital team"]
    client = Client()
    client.force_login(two.manager_a)
    assert client.get("/members/alumni-a/manage/").status_code == 200
    assert client.get("/accounts/2fa/").status_code == 200
