"""The readers' pages: the form on blog, blogger and tag pages, confirm, manage, unsubscribe,
and bad input: refused with a clear 4xx, never a 5xx, never more than one message."""

from __future__ import annotations

import time

import pytest
from django.core import mail, signing
from django.urls import reverse

from dragoman.subscriptions import defences, links
from dragoman.subscriptions.models import Follow, Subscriber

from .conftest import ORIGIN, confirmed, form_data, post_follow


def test_blog_blogger_and_tag_pages_carry_the_form_without_a_cookie(client, blog_entry):
    blog = blog_entry.blog
    for url in [blog.url, blog.bloggers.first().get_absolute_url()]:
        response = client.get(url)
        page = response.content.decode()
        assert 'action="/subscriptions/follow/"' in page, url
        assert 'name="stamp"' in page
        assert "csrfmiddlewaretoken" not in page
        assert not response.cookies


def test_the_form_page_alone_and_a_search(client, blog_entry):
    response = client.get(reverse("subscriptions:follow"), {"kind": "search", "value": "q=visa"})
    assert response.status_code == 200
    assert "Search: visa" in response.content.decode()
    assert (
        client.get(reverse("subscriptions:follow"), {"kind": "blog", "value": "99999"}).status_code
        == 404
    )


def test_following_asks_for_confirmation_once(
    client, blog_entry, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_follow(client, "blog", blog_entry.blog.pk, email=" Amina@Example.ORG ")

    assert response.status_code == 302
    assert "check your inbox" in client.get(response["Location"]).content.decode().lower()
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "amina@example.org"
    assert subscriber.status == Subscriber.Status.PENDING
    assert len(mail.outbox) == 1


def test_a_thousand_posts_for_one_address_send_one_message(
    client, settings, blog_entry, django_capture_on_commit_callbacks
):
    settings.DRAGOMAN_COMMENT_BENCHMARK = True  # loopback: the per-client rate limit is off
    with django_capture_on_commit_callbacks(execute=True):
        for _n in range(1000):
            response = client.post(
                reverse("subscriptions:follow"),
                form_data("blog", blog_entry.blog.pk),
                headers={"Origin": ORIGIN},
                REMOTE_ADDR="127.0.0.1",
            )
            assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert Subscriber.objects.count() == 1
    assert Follow.objects.count() == 1


def test_one_client_posting_many_addresses_is_slowed_down(client, blog_entry):
    statuses = [
        post_follow(client, "blog", blog_entry.blog.pk, email=f"r{n}@example.org").status_code
        for n in range(12)
    ]
    assert statuses[:10] == [302] * 10
    assert statuses[-1] == 429


@pytest.mark.parametrize(
    "address",
    [
        "not an address",
        "amina@example.org\r\nBcc: everyone@example.org",
        "amina@example.org\nSubject: spam",
        "amina@example.org%0ABcc:x@example.org",
        "<script>@example.org",
        "a" * 300 + "@example.org",
        "ünïcode@example.org",
        "amina@",
        "",
        "amina@example.org\x00",
    ],
)
def test_invalid_or_hostile_addresses_are_refused(client, blog_entry, address):
    response = post_follow(client, "blog", blog_entry.blog.pk, email=address)

    assert response.status_code == 400
    assert not Subscriber.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("kind", "value"),
    [("blog", "99999999999999999999999"), ("tag", "no-such-tag"), ("language", "xx"), ("x", "1")],
)
def test_following_nothing_is_refused(client, blog_entry, kind, value):
    response = post_follow(client, kind, value)
    assert response.status_code == 400
    assert not Subscriber.objects.exists()


def test_forged_stamp_missing_origin_and_honeypot_are_refused(client, blog_entry):
    blog = blog_entry.blog
    assert post_follow(client, "blog", blog.pk, stamp="forged").status_code == 400
    fast = defences.form_stamp(now=time.time())
    assert post_follow(client, "blog", blog.pk, stamp=fast).status_code == 400
    assert post_follow(client, "blog", blog.pk, website="http://spam").status_code == 400
    no_origin = client.post(reverse("subscriptions:follow"), form_data("blog", blog.pk))
    assert no_origin.status_code == 403
    elsewhere = client.post(
        reverse("subscriptions:follow"),
        form_data("blog", blog.pk),
        headers={"Origin": "https://evil.example"},
    )
    assert elsewhere.status_code == 403
    assert not Subscriber.objects.exists()


def test_forged_and_expired_links(client, blog_entry, settings):
    subscriber = confirmed("a@example.org", kind="blog", value=blog_entry.blog.pk)
    token = links.manage_token(subscriber)
    for url in [
        reverse("subscriptions:manage", args=[token + "x"]),
        reverse("subscriptions:manage", args=["nonsense"]),
        reverse("subscriptions:confirm", args=[token]),  # a manage token is no confirm token
        reverse("subscriptions:unsubscribe", args=["a" * 2000]),
    ]:
        assert client.get(url).status_code == 404, url
    # A confirmation link eight days old.
    expired = signing.dumps([subscriber.pk, subscriber.key], salt=links.CONFIRM_SALT)
    original = time.time
    try:
        time.time = lambda: original() + 8 * 24 * 3600  # type: ignore[assignment]
        response = client.get(reverse("subscriptions:confirm", args=[expired]))
    finally:
        time.time = original  # type: ignore[assignment]
    assert response.status_code == 410
    # A key of another subscriber (the row erased, the number used again) opens nothing.
    forged = signing.dumps([subscriber.pk, "another-key"], salt=links.MANAGE_SALT)
    assert client.get(reverse("subscriptions:manage", args=[forged])).status_code == 404


def test_manage_page_changes_frequency_adds_and_removes_follows(client, blog_entry):
    blog = blog_entry.blog
    subscriber = confirmed("a@example.org", kind="blog", value=blog.pk)
    url = links.manage_url(subscriber).removeprefix("http://testserver")

    page = client.get(url)
    assert page.status_code == 200
    assert f"Blog: {blog.title}" in page.content.decode()
    assert page["Referrer-Policy"] == "same-origin"

    client.post(url, {"action": "frequency", "frequency": "weekly"}, headers={"Origin": ORIGIN})
    client.post(url, {"action": "add", "language": "fr"}, headers={"Origin": ORIGIN})
    subscriber.refresh_from_db()
    assert subscriber.frequency == "weekly"
    assert set(subscriber.follows.values_list("kind", "value")) == {
        ("blog", str(blog.pk)),
        ("language", "fr"),
    }
    assert (
        client.post(url, {"action": "frequency", "frequency": "hourly"}, headers={"Origin": ORIGIN})
    ).status_code == 400
    assert client.post(url, {"action": "nonsense"}, headers={"Origin": ORIGIN}).status_code == 400
    assert client.post(url, {"action": "add", "language": "fr"}).status_code == 403  # no Origin

    every = list(subscriber.follows.values_list("pk", flat=True))
    response = client.post(
        url, {"action": "remove", "follow": [str(pk) for pk in every]}, headers={"Origin": ORIGIN}
    )
    assert response["Location"] == reverse("subscriptions:unsubscribed")
    assert not Subscriber.objects.exists()


def test_unsubscribe_get_shows_a_button_and_post_acts(client, blog_entry):
    subscriber = confirmed("a@example.org", kind="blog", value=blog_entry.blog.pk)
    url = links.unsubscribe_url(subscriber).removeprefix("http://testserver")

    page = client.get(url)
    assert page.status_code == 200
    assert "Unsubscribe from everything" in page.content.decode()
    assert Subscriber.objects.exists()  # a link scanner's GET changes nothing

    response = client.post(url, {"action": "unsubscribe"})
    assert response.status_code == 302
    assert not Subscriber.objects.exists()
    # A second click is no error.
    assert client.post(url, {"action": "unsubscribe"}).status_code == 302
