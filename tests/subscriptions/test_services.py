"""Subscribing, confirming, suspending, and privacy: purge, export, erase."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from dragoman.subscriptions import services
from dragoman.subscriptions.models import BounceCount, Delivery, Follow, Subscriber

from .conftest import confirmed, publish_entry


def test_a_request_for_someone_else_adds_follows_only_once_confirmed(
    blog_entry, django_capture_on_commit_callbacks
):
    blog = blog_entry.blog
    subscriber = confirmed("a@example.org", kind="blog", value=blog.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.subscription_request(
            email="a@example.org", kind="language", value="fr", frequency="weekly", language="ar"
        )
    subscriber.refresh_from_db()
    # A stranger cannot change a confirmed subscriber's choices nor add a follow that counts.
    assert (subscriber.frequency, subscriber.language) == ("each", "en")
    assert Follow.objects.get(kind="language").confirmed_at is None
    assert len(mail.outbox) == 1  # the owner is asked


def test_suspended_addresses_are_not_written_to(blog_entry, django_capture_on_commit_callbacks):
    confirmed("a@example.org", kind="blog", value=blog_entry.blog.pk)
    assert services.address_suspend(email="A@example.org", kind="bounce", reason="test")
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            services.subscription_request(
                email="a@example.org", kind="language", value="en", frequency="each", language="en"
            )
            is None
        )
    assert mail.outbox == []
    assert BounceCount.objects.get().count == 1


def test_too_many_follows_are_refused(blog_entry, monkeypatch):
    monkeypatch.setattr(services, "MAX_FOLLOWS", 2)
    services.subscription_request(
        email="a@example.org", kind="language", value="en", frequency="each", language="en"
    )
    services.subscription_request(
        email="a@example.org", kind="language", value="fr", frequency="each", language="en"
    )
    with pytest.raises(ValidationError):
        services.subscription_request(
            email="a@example.org", kind="language", value="ar", frequency="each", language="en"
        )


def test_header_injection_never_reaches_a_message():
    for hostile in ["a@example.org\r\nBcc: b@example.org", "a@example.org\nX: y"]:
        with pytest.raises(ValidationError):
            services.email_normalize(hostile)


def test_purge_forgets_unconfirmed_addresses_after_a_week(blog_entry):
    blog = blog_entry.blog
    services.subscription_request(
        email="never@example.org", kind="blog", value=str(blog.pk), frequency="each", language="en"
    )
    keeper = confirmed("kept@example.org", kind="blog", value=blog.pk)
    services.subscription_request(
        email="kept@example.org", kind="language", value="fr", frequency="each", language="en"
    )

    assert services.subscriptions_purge(now=timezone.now() + timedelta(days=6))["subscribers"] == 0
    call_command("subscriptions-purge", verbosity=0)  # the scheduler's job, today: nothing
    counts = services.subscriptions_purge(now=timezone.now() + timedelta(days=8))

    assert counts["subscribers"] == 1
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["kept@example.org"]
    # Its follow never confirmed is gone too; the confirmed one stays.
    assert list(keeper.follows.values_list("kind", flat=True)) == ["blog"]


def test_unsubscribing_keeps_nothing_of_the_address(
    smtp, blog_entry, django_capture_on_commit_callbacks
):
    subscriber = confirmed("a@example.org", kind="blog", value=blog_entry.blog.pk)
    publish_entry(blog_entry.blog, django_capture_on_commit_callbacks)
    assert Delivery.objects.count() == 1

    services.subscriber_unsubscribe(subscriber=subscriber)

    assert not Subscriber.objects.exists()
    assert not Follow.objects.exists()
    assert not Delivery.objects.exists()


def test_export_and_erase_one_person(smtp, blog_entry, django_capture_on_commit_callbacks, capsys):
    confirmed("a@example.org", kind="blog", value=blog_entry.blog.pk)
    confirmed("b@example.org", kind="blog", value=blog_entry.blog.pk)
    publish_entry(blog_entry.blog, django_capture_on_commit_callbacks)

    data = services.subscriber_export(email="A@Example.org")
    assert data is not None
    assert data["email"] == "a@example.org"
    assert data["follows"][0]["kind"] == "blog"
    assert data["deliveries"][0]["status"] == "sent"
    call_command("subscriptions-person", "a@example.org")
    assert '"email": "a@example.org"' in capsys.readouterr().out

    assert services.subscriber_erase(email="a@example.org")
    assert services.subscriber_export(email="a@example.org") is None
    assert not services.subscriber_erase(email="a@example.org")
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["b@example.org"]


def test_queueing_twice_queues_once(smtp, blog_entry, django_capture_on_commit_callbacks):
    confirmed("a@example.org", kind="blog", value=blog_entry.blog.pk)
    entry = publish_entry(blog_entry.blog, django_capture_on_commit_callbacks)
    assert services.entry_deliveries_queue(entry_id=entry.pk) == 0
    assert Delivery.objects.count() == 1


def test_old_entries_published_again_are_not_sent(blog_entry):
    confirmed("a@example.org", kind="blog", value=blog_entry.blog.pk)
    assert services.entry_deliveries_queue(entry_id=blog_entry.pk) == 0  # dated 30 days ago
