"""Every change of a subscription: ask, confirm, change, unsubscribe, suspend, purge, erase.

Keyword-only functions, one transaction each. The messages they cause (a confirmation) are
sent by a task after the commit, never inside the request.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AnnouncedEntry, BounceCount, Delivery, Follow, Frequency, Subscriber

# How many things one address may follow: the form cannot be used to fill the table.
MAX_FOLLOWS = 50
UNCONFIRMED_DAYS = 7


def confirm_interval() -> timedelta:
    """At most one confirmation message per address in this time, however often it is asked."""
    return timedelta(
        seconds=int(getattr(settings, "DRAGOMAN_SUBSCRIPTIONS_CONFIRM_INTERVAL", 24 * 60 * 60))
    )


# Addresses ----------------------------------------------------------------------------------
def email_normalize(raw: str) -> str:
    """The address as we keep it, or a ValidationError a person understands.

    Refuses line breaks and other control characters (header injection), addresses longer
    than SMTP allows, and local parts outside ASCII (which need SMTPUTF8, that many servers
    refuse: the message would bounce)."""
    text = (raw or "").strip()
    if not text:
        raise ValidationError(_("Please give your email address."), code="required")
    if any(ord(c) < 32 or ord(c) == 127 for c in text) or len(text) > 254:
        raise ValidationError(_("This is not an email address we can write to."), code="invalid")
    local, _at, domain = text.rpartition("@")
    if not local.isascii():
        raise ValidationError(
            _("Please give an address whose part before the @ uses only Latin letters."),
            code="invalid",
        )
    try:
        validate_email(text)
    except ValidationError as error:
        raise ValidationError(
            _("This is not an email address we can write to."), code="invalid"
        ) from error
    return f"{local.lower()}@{domain.lower()}"


# What can be followed ------------------------------------------------------------------------
def follow_value_clean(*, kind: str, value: str) -> str:
    """The canonical value of a follow, or a ValidationError (a blog that does not exist...)."""
    from . import queries

    value = (value or "").strip()
    if kind not in Follow.Kind.values:
        raise ValidationError(_("This cannot be followed by email."), code="kind")
    canonical = queries.follow_value_canonical(kind=kind, value=value)
    if canonical is None:
        raise ValidationError(_("What you asked to follow no longer exists."), code="value")
    return canonical


# Subscribing ---------------------------------------------------------------------------------
def subscription_request(
    *, email: str, kind: str, value: str, frequency: str, language: str
) -> Subscriber | None:
    """A reader asks, from a form, to follow something by email.

    The follow waits for confirmation; a confirmation message goes out after the commit,
    unless one went out to this address within ``confirm_interval`` (a form posted a
    thousand times sends one message). A suspended address is told nothing more (the form's
    answer is the same, so the form does not say which addresses we know). Returns the
    subscriber, or None for a suspended address.
    """
    email = email_normalize(email)
    value = follow_value_clean(kind=kind, value=value)
    if frequency not in Frequency.values:
        frequency = Frequency.EACH
    now = timezone.now()
    try:
        with transaction.atomic():
            subscriber, created = Subscriber.objects.get_or_create(
                email=email, defaults={"language": language, "frequency": frequency}
            )
    except IntegrityError:  # the same address posted twice at once: the other one created it
        subscriber, created = Subscriber.objects.get(email=email), False
    if subscriber.status == Subscriber.Status.SUSPENDED:
        return None
    with transaction.atomic():
        if not created and subscriber.status == Subscriber.Status.PENDING:
            # The newest form wins while nothing is confirmed yet.
            Subscriber.objects.filter(pk=subscriber.pk).update(
                language=language, frequency=frequency
            )
            subscriber.language, subscriber.frequency = language, frequency
        follow = Follow.objects.filter(subscriber=subscriber, kind=kind, value=value).first()
        if follow is None:
            if subscriber.follows.count() >= MAX_FOLLOWS:
                raise ValidationError(
                    _("This address already follows %(count)d things, the most we allow.")
                    % {"count": MAX_FOLLOWS},
                    code="too_many",
                )
            try:
                with transaction.atomic():
                    follow = Follow.objects.create(subscriber=subscriber, kind=kind, value=value)
            except IntegrityError:
                follow = Follow.objects.get(subscriber=subscriber, kind=kind, value=value)
        if follow.confirmed_at is None:
            _confirmation_queue(subscriber, now=now)
    return subscriber


def _confirmation_queue(subscriber: Subscriber, *, now: Any) -> bool:
    # The conditional update decides, even for concurrent posts, which one sends the message.
    won = (
        Subscriber.objects.filter(pk=subscriber.pk)
        .filter(
            Q(confirmation_sent_at__isnull=True)
            | Q(confirmation_sent_at__lt=now - confirm_interval())
        )
        .update(confirmation_sent_at=now)
    )
    if won:
        from .sending import confirmation_send

        subscriber_id = subscriber.pk
        transaction.on_commit(lambda: confirmation_send.enqueue(subscriber_id=subscriber_id))
    return bool(won)


@transaction.atomic
def subscriber_confirm(*, subscriber: Subscriber) -> int:
    """The owner of the address followed the confirmation link: the address and every follow
    waiting for it count from now. Returns how many follows were confirmed."""
    now = timezone.now()
    # The owner answered: a follow they ask for later today gets its own message.
    updates: dict[str, Any] = {"confirmation_sent_at": None}
    if subscriber.status == Subscriber.Status.PENDING:
        updates.update(status=Subscriber.Status.CONFIRMED, confirmed_at=now)
    Subscriber.objects.filter(pk=subscriber.pk).update(**updates)
    for name, value in updates.items():
        setattr(subscriber, name, value)
    return subscriber.follows.filter(confirmed_at__isnull=True).update(confirmed_at=now)


# Managing ------------------------------------------------------------------------------------
@transaction.atomic
def subscriber_frequency_change(*, subscriber: Subscriber, frequency: str) -> None:
    if frequency not in Frequency.values:
        raise ValidationError(_("Please choose how often you want messages."), code="frequency")
    updates: dict[str, Any] = {"frequency": frequency}
    if frequency != subscriber.frequency and frequency != Frequency.EACH:
        # A digest counts its period from now, not from the last one of another frequency.
        updates["last_digest_at"] = timezone.now()
    Subscriber.objects.filter(pk=subscriber.pk).update(**updates)
    for name, value in updates.items():
        setattr(subscriber, name, value)


@transaction.atomic
def follow_add(*, subscriber: Subscriber, kind: str, value: str) -> Follow:
    """Add a follow from the manage page: the signed link proved the address, so it counts
    at once."""
    value = follow_value_clean(kind=kind, value=value)
    follow = Follow.objects.filter(subscriber=subscriber, kind=kind, value=value).first()
    if follow is None:
        if subscriber.follows.count() >= MAX_FOLLOWS:
            raise ValidationError(
                _("This address already follows %(count)d things, the most we allow.")
                % {"count": MAX_FOLLOWS},
                code="too_many",
            )
        follow = Follow.objects.create(
            subscriber=subscriber, kind=kind, value=value, confirmed_at=timezone.now()
        )
    elif follow.confirmed_at is None:
        Follow.objects.filter(pk=follow.pk).update(confirmed_at=timezone.now())
    return follow


@transaction.atomic
def follow_remove(*, subscriber: Subscriber, follow_ids: list[int]) -> int:
    """Stop following these; with nothing left to follow, the address is deleted."""
    removed, _kinds = Follow.objects.filter(subscriber=subscriber, pk__in=follow_ids).delete()
    if not subscriber.follows.exists():
        subscriber_unsubscribe(subscriber=subscriber)
    return removed


@transaction.atomic
def subscriber_unsubscribe(*, subscriber: Subscriber) -> None:
    """Unsubscribe from everything: the address, its follows and deliveries are deleted at
    once (nothing is kept of an address that unsubscribed)."""
    Subscriber.objects.filter(pk=subscriber.pk).delete()


# Bounces and complaints ----------------------------------------------------------------------
@transaction.atomic
def address_suspend(*, email: str, kind: str, reason: str = "") -> bool:
    """A hard bounce or a complaint: stop writing to the address. Counted (without the
    address) for the digital team. Returns whether a subscriber was suspended."""
    try:
        email = email_normalize(email)
    except ValidationError:
        return False
    today = timezone.localdate()
    BounceCount.objects.get_or_create(day=today, kind=kind)
    BounceCount.objects.filter(day=today, kind=kind).update(count=F("count") + 1)
    subscriber = Subscriber.objects.select_for_update().filter(email=email).first()
    if subscriber is None or subscriber.status == Subscriber.Status.SUSPENDED:
        return False
    Subscriber.objects.filter(pk=subscriber.pk).update(
        status=Subscriber.Status.SUSPENDED,
        suspended_at=timezone.now(),
        suspended_reason=reason[:200],
    )
    subscriber.deliveries.filter(status=Delivery.Status.QUEUED).update(
        status=Delivery.Status.SKIPPED
    )
    return True


# Queueing an entry ---------------------------------------------------------------------------
def max_entry_age() -> timedelta:
    """An entry dated longer ago than this is not sent (an old entry published again, or
    entries from before subscriptions existed)."""
    return timedelta(
        seconds=int(getattr(settings, "DRAGOMAN_SUBSCRIPTIONS_MAX_ENTRY_AGE", 3 * 24 * 60 * 60))
    )


@transaction.atomic
def entry_deliveries_queue(*, entry_id: int) -> int:
    """Owe a newly published entry to every confirmed subscriber following it, once.

    Only an entry visible to the anonymous public, on its first publication (a later
    revision, an entry moved or published again, finds its ``AnnouncedEntry``). One
    transaction: a crash halfway leaves nothing, and the task's retry queues it all.
    Returns the number of deliveries queued.
    """
    from dragoman.blogs.models import EntryPage

    from . import queries

    entry = EntryPage.objects.visible(None).filter(pk=entry_id).first()
    if entry is None or entry.date < timezone.now() - max_entry_age():
        return 0
    announced, created = AnnouncedEntry.objects.get_or_create(entry_id=entry_id)
    if not created:
        return 0
    subscriber_ids = queries.subscribers_following(entry)
    now = timezone.now()
    queued = 0
    batch: list[Delivery] = []
    for subscriber_id in subscriber_ids:
        batch.append(Delivery(subscriber_id=subscriber_id, entry_id=entry_id, queued_at=now))
        if len(batch) >= 5000:
            Delivery.objects.bulk_create(batch, ignore_conflicts=True)
            queued += len(batch)
            batch = []
    if batch:
        Delivery.objects.bulk_create(batch, ignore_conflicts=True)
        queued += len(batch)
    AnnouncedEntry.objects.filter(pk=announced.pk).update(recipients=queued)
    return queued


# Privacy -------------------------------------------------------------------------------------
@transaction.atomic
def subscriptions_purge(*, now: Any = None) -> dict[str, int]:
    """Delete what we must not keep: addresses unconfirmed for a week, follows never
    confirmed for a week, and the record of deliveries sent more than 30 days ago."""
    now = now or timezone.now()
    week_ago = now - timedelta(days=UNCONFIRMED_DAYS)
    _total, by_model = Subscriber.objects.filter(
        status=Subscriber.Status.PENDING, created_at__lt=week_ago
    ).delete()
    subscribers = by_model.get(Subscriber._meta.label, 0)
    follows, _ = Follow.objects.filter(confirmed_at__isnull=True, created_at__lt=week_ago).delete()
    # Deliveries of an entry are only needed while it is being sent; the AnnouncedEntry
    # (no address) keeps the entry from being queued again.
    deliveries, _ = Delivery.objects.filter(
        queued_at__lt=now - timedelta(days=30),
        status__in=[
            Delivery.Status.SENT,
            Delivery.Status.FAILED,
            Delivery.Status.UNCERTAIN,
            Delivery.Status.SKIPPED,
        ],
    ).delete()
    BounceCount.objects.filter(day__lt=(now - timedelta(days=400)).date()).delete()
    return {"subscribers": subscribers, "follows": follows, "deliveries": deliveries}


def subscriber_export(*, email: str) -> dict[str, Any] | None:
    """Everything we hold about one address (a data subject's request), or None."""
    try:
        email = email_normalize(email)
    except ValidationError:
        return None
    subscriber = Subscriber.objects.filter(email=email).first()
    if subscriber is None:
        return None

    def when(value: Any) -> str | None:
        return value.isoformat() if value else None

    return {
        "email": subscriber.email,
        "language": subscriber.language,
        "frequency": subscriber.frequency,
        "status": subscriber.status,
        "created_at": when(subscriber.created_at),
        "confirmed_at": when(subscriber.confirmed_at),
        "confirmation_sent_at": when(subscriber.confirmation_sent_at),
        "last_digest_at": when(subscriber.last_digest_at),
        "suspended_at": when(subscriber.suspended_at),
        "suspended_reason": subscriber.suspended_reason,
        "follows": [
            {
                "kind": follow.kind,
                "value": follow.value,
                "created_at": when(follow.created_at),
                "confirmed_at": when(follow.confirmed_at),
            }
            for follow in subscriber.follows.order_by("pk")
        ],
        "deliveries": [
            {
                "entry_id": delivery.entry_id,
                "status": delivery.status,
                "queued_at": when(delivery.queued_at),
                "sent_at": when(delivery.sent_at),
            }
            for delivery in subscriber.deliveries.order_by("pk")
        ],
    }


@transaction.atomic
def subscriber_erase(*, email: str) -> bool:
    """Erase one person's data (the digital team, on request): returns whether any was held."""
    try:
        email = email_normalize(email)
    except ValidationError:
        return False
    deleted, _ = Subscriber.objects.filter(email=email).delete()
    return bool(deleted)
