"""Readers who follow blogs, bloggers, tags, languages or searches by email.

A ``Subscriber`` is one email address, with the language it subscribed in and how often it
wants mail; its ``Follow``s say what it follows. A ``Delivery`` is one entry owed to one
subscriber: its unique constraint and its status are what keep a crash or a retry from
sending anybody the same entry twice (see ``sending.py``). ``AnnouncedEntry`` remembers the
entries already queued, so that a new revision of an entry is not sent again.

Nothing here outlives the reader's wish: unsubscribing deletes the subscriber with its
follows and deliveries, and an address never confirmed is deleted after a week
(``subscriptions-purge``). The bounce and complaint counts keep no address.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_key() -> str:
    return secrets.token_urlsafe(18)


class Frequency(models.TextChoices):
    EACH = "each", _("Each entry as it is published")
    DAILY = "daily", _("A daily digest")
    WEEKLY = "weekly", _("A weekly digest")


class SubscriberQuerySet(models.QuerySet["Subscriber"]):
    def confirmed(self) -> SubscriberQuerySet:
        return self.filter(status=Subscriber.Status.CONFIRMED)


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        SUSPENDED = "suspended", _("Suspended (bounce or complaint)")

    # Kept in lower case: one row per address however it is typed.
    email = models.EmailField(_("email address"), max_length=254, unique=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.EACH
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    # A secret in every signed link: links of an erased subscriber never open another one's
    # page, even if the same address subscribes again and gets the same row number.
    key = models.CharField(max_length=32, default=new_key, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # When the last confirmation message went out: a form posted a thousand times for one
    # address sends one message per DRAGOMAN_SUBSCRIPTIONS_CONFIRM_INTERVAL.
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    last_digest_at = models.DateTimeField(null=True, blank=True)
    suspended_at = models.DateTimeField(null=True, blank=True)
    suspended_reason = models.CharField(max_length=200, blank=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        permissions = [
            ("manage_subscribers", _("Can see subscription counts, export and erase addresses"))
        ]
        indexes = [models.Index(fields=["status", "frequency"], name="subscriber_status_freq")]

    def __str__(self) -> str:
        return self.email


class Follow(models.Model):
    """One thing a subscriber follows. ``value`` is the blog's or blogger's id, the tag's
    slug, the language code, or a search's parameters as a query string."""

    class Kind(models.TextChoices):
        BLOG = "blog", _("Blog")
        BLOGGER = "blogger", _("Blogger")
        TAG = "tag", _("Tag")
        LANGUAGE = "language", _("Language")
        SEARCH = "search", _("Search")

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="follows")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    value = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    # A follow asked for by the form counts once the address's owner confirms it: nobody can
    # add follows to someone else's address.
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "kind", "value"], name="follow_once_per_subscriber"
            )
        ]
        indexes = [models.Index(fields=["kind", "value"], name="follow_kind_value")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


class Delivery(models.Model):
    """One entry owed to one subscriber, sent alone or in a digest."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Being sent")
        # Being handed to the mail server: at most one row per worker (see sending.py).
        IN_FLIGHT = "in_flight", _("Handed to the mail server")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Refused by the mail server")
        # A worker died while this one was in flight: it may or may not have gone out, and
        # it is not tried again (never twice; see sending.py).
        UNCERTAIN = "uncertain", _("Interrupted (not sent again)")
        SKIPPED = "skipped", _("Skipped (no longer public)")

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    entry = models.ForeignKey("blogs.EntryPage", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    queued_at = models.DateTimeField(default=timezone.now)
    # After a temporary failure: not before this time.
    not_before = models.DateTimeField(null=True, blank=True)
    # Who holds it while it is SENDING or IN_FLIGHT, and since when (a claim that has not
    # moved for longer than the lease belongs to a worker that died).
    claim = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "entry"], name="delivery_once_per_subscriber_entry"
            )
        ]
        indexes = [
            models.Index(fields=["status", "subscriber"], name="delivery_status_subscriber"),
            models.Index(fields=["claim"], name="delivery_claim"),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} to {self.subscriber_id}: {self.status}"


class AnnouncedEntry(models.Model):
    """An entry whose deliveries were queued: a later revision is not announced again."""

    entry_id = models.BigIntegerField(unique=True)
    queued_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("announced entry")
        verbose_name_plural = _("announced entries")

    def __str__(self) -> str:
        return str(self.entry_id)


class BounceCount(models.Model):
    """How many addresses bounced or complained, per day: counts for the digital team,
    without the addresses."""

    class Kind(models.TextChoices):
        BOUNCE = "bounce", _("Hard bounce")
        COMPLAINT = "complaint", _("Complaint")

    day = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("bounce count")
        verbose_name_plural = _("bounce counts")
        constraints = [models.UniqueConstraint(fields=["day", "kind"], name="bounce_count_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.kind}: {self.count}"
