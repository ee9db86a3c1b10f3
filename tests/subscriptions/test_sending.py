"""Sending through a real SMTP server on loopback (aiosmtpd), reading what it received."""

from __future__ import annotations

import smtplib
import time
from datetime import timedelta
from typing import Any

import pytest
from django.core.mail.backends.smtp import EmailBackend
from django.test import override_settings
from django.utils import timezone

from dragoman.subscriptions import sending, services
from dragoman.subscriptions.models import AnnouncedEntry, Delivery, Subscriber
from tests.factories import EntryFactory

from .conftest import confirmed, link_in, post_follow, publish_entry


def test_confirmation_entry_message_and_rfc_8058_headers(
    client, smtp, blog_entry, django_capture_on_commit_callbacks
):
    blog = blog_entry.blog
    with django_capture_on_commit_callbacks(execute=True):
        response = post_follow(client, "blog", blog.pk)
    assert response.status_code == 302

    [confirmation] = smtp.to("amina@example.org")
    assert confirmation["Subject"] == "Please confirm your subscription"
    assert "List-Unsubscribe" not in confirmation
    assert smtp.received[0].mail_from == "bounces@dragoman.test"
    text = confirmation.get_body(("plain",)).get_content()
    html = confirmation.get_body(("html",)).get_content()
    assert blog.title in text
    assert '<html lang="en" dir="ltr">' in html
    confirm_url = link_in(text, "/subscriptions/confirm/")

    # A GET (a link scanner) confirms nothing; the button does.
    client.get(confirm_url)
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING
    client.post(confirm_url)
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED

    entry = publish_entry(blog, django_capture_on_commit_callbacks)

    [message] = smtp.to("amina@example.org")[1:]
    assert message["Subject"] == entry.title
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = str(message["List-Unsubscribe"]).strip()
    assert unsubscribe.startswith("<http://testserver/subscriptions/unsubscribe/")
    assert "/subscriptions/manage/" in message.get_body(("plain",)).get_content()
    assert entry.summary in message.get_body(("html",)).get_content()
    assert Delivery.objects.get().status == Delivery.Status.SENT

    # The mail program's one-click unsubscribe: a POST with the RFC 8058 body.
    response = client.post(
        unsubscribe.strip("<>"),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not Subscriber.objects.exists()


def test_messages_are_in_the_language_subscribed_in_right_to_left(
    client, smtp, blog_entry, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_follow(client, "blog", blog_entry.blog.pk, language="ar", email="rtl@example.org")

    [confirmation] = smtp.to("rtl@example.org")
    html = confirmation.get_body(("html",)).get_content()
    assert '<html lang="ar" dir="rtl">' in html
    assert confirmation["Content-Language"] == "ar"
    assert "/ar/subscriptions/confirm/" in confirmation.get_body(("plain",)).get_content()
    assert Subscriber.objects.get().language == "ar"


def test_only_first_publication_of_a_public_entry_is_sent(
    smtp, blog_entry, django_capture_on_commit_callbacks
):
    blog = blog_entry.blog
    confirmed("a@example.org", kind="blog", value=blog.pk)
    entry = publish_entry(blog, django_capture_on_commit_callbacks)
    assert len(smtp.to("a@example.org")) == 1

    # A new revision announces the entry again: nobody gets it twice.
    with django_capture_on_commit_callbacks(execute=True):
        entry.title = "A new consulate opens (updated)"
        entry.save_revision().publish()
    assert len(smtp.to("a@example.org")) == 1

    # A draft or an entry dated in the future is not sent.
    publish_entry(blog, django_capture_on_commit_callbacks, live=False, title="Draft")
    publish_entry(blog, django_capture_on_commit_callbacks, date=timezone.now() + timedelta(days=2))
    assert len(smtp.to("a@example.org")) == 1
    assert AnnouncedEntry.objects.count() == 1


def test_follows_of_blogger_tag_language_each_match(
    smtp, blog_entry, django_capture_on_commit_callbacks
):
    blog = blog_entry.blog
    blogger = blog.bloggers.first()
    publish_entry(blog, django_capture_on_commit_callbacks, tags=["consular"], title="Tagged")
    confirmed("blogger@example.org", kind="blogger", value=blogger.pk)
    confirmed("tag@example.org", kind="tag", value="consular")
    confirmed("fr@example.org", kind="language", value="fr")
    confirmed("en@example.org", kind="language", value="en")

    publish_entry(blog, django_capture_on_commit_callbacks, tags=["consular"], title="Visas")

    assert len(smtp.to("blogger@example.org")) == 1
    assert len(smtp.to("tag@example.org")) == 1
    assert len(smtp.to("en@example.org")) == 1
    assert smtp.to("fr@example.org") == []


def test_a_saved_search_follows_matching_entries(
    smtp, blog_entry, django_capture_on_commit_callbacks
):
    confirmed("search@example.org", kind="search", value="q=visa")

    publish_entry(blog_entry.blog, django_capture_on_commit_callbacks, title="Visa waiver news")
    publish_entry(blog_entry.blog, django_capture_on_commit_callbacks, title="A concert")

    [message] = smtp.to("search@example.org")
    assert message["Subject"] == "Visa waiver news"


def test_daily_digest_gathers_the_entries(smtp, blog_entry, django_capture_on_commit_callbacks):
    blog = blog_entry.blog
    subscriber = confirmed("daily@example.org", kind="blog", value=blog.pk, frequency="daily")
    publish_entry(blog, django_capture_on_commit_callbacks, title="First news")
    publish_entry(blog, django_capture_on_commit_callbacks, title="Second news")
    assert smtp.to("daily@example.org") == [] or len(smtp.to("daily@example.org")) == 0

    assert sending.digests_send() == 0  # not a day yet
    Subscriber.objects.filter(pk=subscriber.pk).update(
        confirmed_at=timezone.now() - timedelta(days=1)
    )
    assert sending.digests_send() == 1

    [digest] = smtp.to("daily@example.org")
    assert digest["Subject"] == "2 new entries from Global conversations"
    text = digest.get_body(("plain",)).get_content()
    assert "First news" in text and "Second news" in text
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.SENT}
    assert sending.digests_send(now=timezone.now() + timedelta(days=2)) == 0  # nothing new


class CrashAfter(EmailBackend):
    """The SMTP backend, whose worker dies (a BaseException, as a kill) after the server
    accepted `limit` messages, before the site could note it."""

    limit = 3

    def send_messages(self, email_messages: Any) -> int:
        sent = super().send_messages(email_messages)
        CrashAfter.accepted = getattr(CrashAfter, "accepted", 0) + sent
        if CrashAfter.accepted >= CrashAfter.limit:
            raise KeyboardInterrupt("worker killed")
        return sent


def test_a_crash_mid_batch_then_a_rerun_sends_nobody_twice(
    smtp, settings, blog_entry, django_capture_on_commit_callbacks
):
    blog = blog_entry.blog
    addresses = [f"reader{n}@example.org" for n in range(8)]
    for address in addresses:
        confirmed(address, kind="blog", value=blog.pk)
    settings.EMAIL_BACKEND = "tests.subscriptions.test_sending.CrashAfter"
    CrashAfter.accepted = 0
    with pytest.raises(KeyboardInterrupt):
        publish_entry(blog, django_capture_on_commit_callbacks)
    assert len(smtp.received) == 3
    # The first two were marked as the next one was handed over; the third was accepted,
    # then the worker died before noting it.
    statuses = list(Delivery.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == ["sent", "sent", "in_flight"] + ["sending"] * 5

    # While the claim is fresh, it belongs to a live worker: nothing is touched.
    assert sending.claims_recover() == (0, 0)
    # The worker is gone; later, the minutely job finds its claim expired and goes on.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    later = timezone.now() + sending.lease() + timedelta(seconds=1)
    assert sending.claims_recover(now=later) == (1, 5)
    assert sending.deliveries_send().sent == 5

    received = [r.rcpt_tos[0] for r in smtp.received]
    assert sorted(received) == sorted(addresses)  # everyone once: the uncertain one had gone
    assert Delivery.objects.filter(status=Delivery.Status.UNCERTAIN).count() == 1


def test_a_worker_whose_claim_was_recovered_stops_before_sending(smtp, settings, blog_entry):
    """A worker stalled past the lease (not dead after all) must not send what another
    worker now holds."""
    blog = blog_entry.blog
    for n in range(4):
        confirmed(f"slow{n}@example.org", kind="blog", value=blog.pk)
    entry = EntryFactory(blog=blog, date=timezone.now() - timedelta(minutes=1))
    assert services.entry_deliveries_queue(entry_id=entry.pk) == 4

    class Stalls(EmailBackend):
        def send_messages(self, email_messages: Any) -> int:
            sent = super().send_messages(email_messages)
            # The worker stalls past its lease; the minutely job recovers the claim.
            sending.claims_recover(now=timezone.now() + sending.lease() * 2)
            return sent

    report = sending.deliveries_send(connection=Stalls())

    assert report.sent == 1
    assert [r.rcpt_tos for r in smtp.received] == [["slow0@example.org"]]
    # The first was accepted, and noted as such; the others are back in the queue.
    assert list(Delivery.objects.order_by("pk").values_list("status", flat=True)) == [
        "sent",
        "queued",
        "queued",
        "queued",
    ]


def test_temporary_failure_is_retried_later_and_a_refusal_suspends(
    smtp, settings, blog_entry, django_capture_on_commit_callbacks
):
    blog = blog_entry.blog
    confirmed("ok@example.org", kind="blog", value=blog.pk)
    confirmed("gone@example.org", kind="blog", value=blog.pk)
    smtp.busy = True
    publish_entry(blog, django_capture_on_commit_callbacks)
    assert smtp.received == []
    assert set(Delivery.objects.values_list("status", flat=True)) == {"queued"}
    assert sending.deliveries_send().sent == 0  # not before the retry time

    smtp.busy = False
    smtp.refuse = {"gone@example.org"}
    Delivery.objects.update(not_before=None)
    report = sending.deliveries_send()

    assert (report.sent, report.refused) == (1, 1)
    assert [r.rcpt_tos for r in smtp.received] == [["ok@example.org"]]
    assert Subscriber.objects.get(email="gone@example.org").status == "suspended"


def test_an_unpublished_entry_is_not_sent(smtp, blog_entry, django_capture_on_commit_callbacks):
    blog = blog_entry.blog
    subscriber = confirmed("late@example.org", kind="blog", value=blog.pk)
    services.subscriber_frequency_change(subscriber=subscriber, frequency="weekly")
    entry = publish_entry(blog, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        entry.unpublish()
    Subscriber.objects.filter(pk=subscriber.pk).update(
        last_digest_at=timezone.now() - timedelta(days=8)
    )

    assert sending.digests_send() == 0
    assert smtp.received == []
    assert Delivery.objects.get().status == Delivery.Status.SKIPPED


def test_failure_kinds():
    refused = smtplib.SMTPRecipientsRefused({"a@b.c": (550, b"no")})
    busy = smtplib.SMTPRecipientsRefused({"a@b.c": (451, b"later")})
    assert sending.failure_kind(refused) == sending.REFUSED
    assert sending.failure_kind(busy) == sending.TEMPORARY
    assert sending.failure_kind(smtplib.SMTPDataError(451, b"later")) == sending.TEMPORARY
    assert sending.failure_kind(smtplib.SMTPServerDisconnected()) == sending.UNCERTAIN


@override_settings(DRAGOMAN_SUBSCRIPTIONS_RATE=50)
def test_pacer_keeps_to_the_rate():
    pacer = sending.Pacer(50)
    assert pacer.interval == pytest.approx(0.02)


def test_sending_keeps_to_the_rate_setting(smtp, settings, blog_entry):
    """Five messages at 10 a second cannot go out in less than four intervals (a lower
    bound: a slow machine only makes it longer)."""
    for n in range(5):
        confirmed(f"paced{n}@example.org", kind="blog", value=blog_entry.blog.pk)
    entry = EntryFactory(blog=blog_entry.blog, date=timezone.now() - timedelta(minutes=1))
    assert services.entry_deliveries_queue(entry_id=entry.pk) == 5
    settings.DRAGOMAN_SUBSCRIPTIONS_RATE = 10

    started = time.monotonic()
    assert sending.deliveries_send().sent == 5
    assert time.monotonic() - started >= 0.4
    assert len(smtp.received) == 5


def test_an_entry_in_a_private_section_is_not_sent(
    smtp, blog_entry, django_capture_on_commit_callbacks
):
    from wagtail.models import PageViewRestriction

    blog = blog_entry.blog
    confirmed("a@example.org", kind="blog", value=blog.pk)
    PageViewRestriction.objects.create(page=blog, restriction_type=PageViewRestriction.LOGIN)

    publish_entry(blog, django_capture_on_commit_callbacks, title="Members only")

    assert smtp.received == []
    assert not Delivery.objects.exists()
