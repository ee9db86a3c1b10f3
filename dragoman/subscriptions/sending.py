"""Sending: queued after the commit, batched, paced, retried, and never twice.

The road of an entry
--------------------
1. ``blogs.services.entry_changed`` announces ``EntryChanged`` after its commit; our TASK
   listener ``entry_changed_queue`` runs as a django-tasks task (the publish request only
   adds that task's row). On a first publication of an entry that the anonymous public may
   see, ``services.entry_deliveries_queue`` writes one ``Delivery`` per subscriber following
   it, in one transaction, under a unique (subscriber, entry) constraint.
2. ``deliveries_send`` sends the deliveries of subscribers who want each entry, in batches
   of ``DRAGOMAN_SUBSCRIPTIONS_BATCH``, at most ``DRAGOMAN_SUBSCRIPTIONS_RATE`` messages a
   second, over one connection; ``deliveries_send_task`` queues itself again while some
   remain. Daily and weekly subscribers get theirs from ``digests_send`` (an hourly job).
3. ``subscriptions-send`` (every minute) is the safety net: it recovers the claims of a
   worker that died and sends what is left.

Never twice, and the crash window
----------------------------------
SMTP has no way to ask a server whether it already took a message, so the one moment that
can never be made safe is between the server's "250 OK" after the message's last line and
our commit of that fact. Everything else is arranged so that this moment is the only doubt,
and it is decided in favour of never twice.

A batch is *claimed* in one UPDATE (status SENDING, a claim token, the time). Then, for each
row, in one commit: the message accepted just before is marked SENT, and this row, whose
message is already rendered, is marked IN_FLIGHT (only if it still belongs to our claim:
otherwise the worker stops). Then the message goes to the server. So at any moment a worker
has at most one row IN_FLIGHT: the message the server is taking, or has just taken.

When a worker dies (killed, power cut), its claim stops moving (each IN_FLIGHT mark renews
its time); once it is older than ``DRAGOMAN_SUBSCRIPTIONS_LEASE``, ``claims_recover`` marks
its IN_FLIGHT row UNCERTAIN (never sent again: the server may have taken it) and puts its
SENDING rows back in the queue (certainly never handed over). So a crash leaves at most one
row UNCERTAIN per worker, and that reader misses the entry only if the worker died after
handing over the row and before the server accepted its last line (a few milliseconds on a
local relay); nobody ever gets an entry twice. The price is a commit (an fsync) per
message: ``make bench-subscriptions`` times it alone, about a tenth of a message's time on
the shared development machine (docs/subscriptions.md).

A failure the server reports with a 4xx code (or a connection that cannot be opened) is
temporary: that row and the rest of the batch go back to the queue, and the task tries again
after ``DRAGOMAN_SUBSCRIPTIONS_RETRY_SECONDS``. A 5xx refusal of the recipient fails that
delivery and suspends the address, as a hard bounce. A connection lost in the middle of a
message is ambiguous (the server may have accepted it), so that row is UNCERTAIN too.

A digest is one message for many rows: its rows are claimed, marked IN_FLIGHT and marked
SENT together, and a dead worker's digest in flight becomes UNCERTAIN as a whole.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import smtplib
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django_tasks import default_task_backend, task

from dragoman.blogs.announcements import EntryChange, EntryChanged
from dragoman.blogs.models import EntryPage

from . import messages, services
from .models import BounceCount, Delivery, Frequency, Subscriber

logger = logging.getLogger(__name__)

DIGEST_CLAIM = "d-"
EACH_CLAIM = "e-"
DIGEST_PERIODS = {
    Frequency.DAILY: timedelta(days=1),
    Frequency.WEEKLY: timedelta(days=7),
}
# An hourly job would otherwise slip a day's digest by an hour each time.
DIGEST_SLACK = timedelta(minutes=30)


# Settings -------------------------------------------------------------------------------------
def rate() -> float:
    """Messages per second (0: as fast as the server takes them)."""
    return float(getattr(settings, "DRAGOMAN_SUBSCRIPTIONS_RATE", 10))


def batch_size() -> int:
    return int(getattr(settings, "DRAGOMAN_SUBSCRIPTIONS_BATCH", 200))


def lease() -> timedelta:
    """A claim that has not moved for this long belongs to a worker that died. Longer than
    one message (or one digest) can take."""
    return timedelta(seconds=int(getattr(settings, "DRAGOMAN_SUBSCRIPTIONS_LEASE", 15 * 60)))


def retry_delay() -> timedelta:
    return timedelta(seconds=int(getattr(settings, "DRAGOMAN_SUBSCRIPTIONS_RETRY_SECONDS", 300)))


class Pacer:
    """Keeps to ``rate()`` messages per second."""

    def __init__(self, per_second: float) -> None:
        self.interval = 1.0 / per_second if per_second > 0 else 0.0
        self.next_at = time.monotonic()

    def wait(self) -> None:
        if not self.interval:
            return
        now = time.monotonic()
        if self.next_at > now:
            time.sleep(self.next_at - now)
        self.next_at = max(now, self.next_at) + self.interval


# What a failure means -------------------------------------------------------------------------
TEMPORARY, REFUSED, UNCERTAIN = "temporary", "refused", "uncertain"


def failure_kind(error: Exception) -> str:
    """TEMPORARY: certainly not accepted, try later. REFUSED: the server will never take it
    for this recipient. UNCERTAIN: it may have been accepted; never send it again."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _text in error.recipients.values()]
        return REFUSED if codes and all(code >= 500 for code in codes) else TEMPORARY
    if isinstance(error, smtplib.SMTPResponseException):
        return REFUSED if error.smtp_code >= 500 else TEMPORARY
    try:
        from anymail.exceptions import AnymailAPIError, AnymailRecipientsRefused
    except ImportError:  # pragma: no cover - anymail is a dependency
        AnymailAPIError = AnymailRecipientsRefused = ()  # type: ignore[misc,assignment]
    if isinstance(error, AnymailRecipientsRefused):
        return REFUSED
    if isinstance(error, AnymailAPIError):
        status = getattr(error, "status_code", None)
        return TEMPORARY if status is None or status >= 500 or status == 429 else REFUSED
    if isinstance(error, smtplib.SMTPServerDisconnected | OSError):
        return UNCERTAIN
    return UNCERTAIN


# Claims ---------------------------------------------------------------------------------------
def claims_recover(*, now: Any = None) -> tuple[int, int]:
    """Release the claims of workers that died; returns (uncertain, requeued)."""
    now = now or timezone.now()
    # A live worker renews its claim's time with each message it hands over.
    stale = (
        Delivery.objects.filter(status__in=[Delivery.Status.SENDING, Delivery.Status.IN_FLIGHT])
        .order_by()
        .values("claim")
        .annotate(last=Max("claimed_at"))
        .filter(last__lt=now - lease())
        .values_list("claim", flat=True)
    )
    uncertain = requeued = 0
    for claim in list(stale):
        with transaction.atomic():
            rows = Delivery.objects.filter(claim=claim)
            # The server may have taken the message in flight: never again.
            uncertain += rows.filter(status=Delivery.Status.IN_FLIGHT).update(
                status=Delivery.Status.UNCERTAIN, claim=""
            )
            # These were never handed over.
            requeued += rows.filter(status=Delivery.Status.SENDING).update(
                status=Delivery.Status.QUEUED, claim="", claimed_at=None
            )
    if uncertain:
        logger.warning(
            "Subscriptions: %d deliveries interrupted by a crash are not sent again.", uncertain
        )
    return uncertain, requeued


def _eligible_each(now: Any) -> Any:
    return Delivery.objects.filter(
        Q(not_before__isnull=True) | Q(not_before__lte=now),
        status=Delivery.Status.QUEUED,
        subscriber__status=Subscriber.Status.CONFIRMED,
        subscriber__frequency=Frequency.EACH,
    )


def _claim(queryset: Any, *, prefix: str, limit: int) -> str:
    claim = prefix + secrets.token_hex(8)
    ids = list(queryset.order_by("pk").values_list("pk", flat=True)[:limit])
    if ids:
        # Only rows still queued: another worker may have claimed some since the read.
        Delivery.objects.filter(pk__in=ids, status=Delivery.Status.QUEUED).update(
            status=Delivery.Status.SENDING,
            claim=claim,
            claimed_at=timezone.now(),
            attempts=F("attempts") + 1,
        )
    return claim


def _release(claim: str, *, not_before: Any = None) -> int:
    """Put back in the queue what the server certainly did not take (a row IN_FLIGHT too:
    call this only when the server refused it for now)."""
    return Delivery.objects.filter(
        claim=claim, status__in=[Delivery.Status.SENDING, Delivery.Status.IN_FLIGHT]
    ).update(status=Delivery.Status.QUEUED, claim="", claimed_at=None, not_before=not_before)


def _sent(rows: Q) -> None:
    Delivery.objects.filter(rows).update(
        status=Delivery.Status.SENT, sent_at=timezone.now(), claim=""
    )


def _hand_over(claim: str, rows: Q, *, accepted: int | None = None) -> bool:
    """One commit: mark SENT the row the server accepted just before (if any), and IN_FLIGHT
    the rows about to be handed over, if they still belong to this claim (False: they were
    recovered meanwhile; this worker must stop)."""
    with transaction.atomic():
        if accepted is not None:
            _sent(Q(pk=accepted))
        return bool(
            Delivery.objects.filter(rows, claim=claim, status=Delivery.Status.SENDING).update(
                status=Delivery.Status.IN_FLIGHT, claimed_at=timezone.now()
            )
        )


def _visible_entries(entry_ids: set[int]) -> dict[int, EntryPage]:
    # Asked again at sending time: an entry unpublished or made private since it was queued
    # is not sent.
    return {entry.pk: entry for entry in EntryPage.objects.visible(None).filter(pk__in=entry_ids)}


def _refused(subscriber: Subscriber, error: Exception) -> None:
    services.address_suspend(
        email=subscriber.email,
        kind=BounceCount.Kind.BOUNCE,
        reason=f"refused when sending: {str(error)[:150]}",
    )


# Each entry ----------------------------------------------------------------------------------
@dataclass
class SendReport:
    sent: int = 0
    refused: int = 0
    skipped: int = 0
    uncertain: int = 0
    temporary_failure: bool = False
    remaining: bool = False


def deliveries_send(*, limit: int | None = None, connection: Any = None) -> SendReport:
    """Send one batch of single-entry messages; see the module's docstring for the rules."""
    report = SendReport()
    now = timezone.now()
    claim = _claim(_eligible_each(now), prefix=EACH_CLAIM, limit=limit or batch_size())
    rows = list(
        Delivery.objects.filter(claim=claim, status=Delivery.Status.SENDING)
        .select_related("subscriber")
        .order_by("pk")
    )
    if rows:
        entries = _visible_entries({row.entry_id for row in rows})
        connection = connection or get_connection(fail_silently=False)
        pacer = Pacer(rate())
        try:
            connection.open()
        except Exception as error:
            logger.warning("Subscriptions: the mail server is away (%s); trying later.", error)
            _release(claim, not_before=now + retry_delay())
            report.temporary_failure = True
            return report
        accepted: int | None = None  # accepted by the server, not yet marked SENT
        try:
            for row in rows:
                entry = entries.get(row.entry_id)
                if entry is None:
                    Delivery.objects.filter(pk=row.pk).update(
                        status=Delivery.Status.SKIPPED, claim=""
                    )
                    report.skipped += 1
                    continue
                message = messages.entry_message(row.subscriber, entry)
                pacer.wait()
                if not _hand_over(claim, Q(pk=row.pk), accepted=accepted):
                    accepted = None
                    logger.warning("Subscriptions: claim %s was taken over; stopping.", claim)
                    break
                accepted = None
                try:
                    taken = connection.send_messages([message])
                except Exception as error:
                    kind = failure_kind(error)
                    if kind == REFUSED:
                        Delivery.objects.filter(pk=row.pk).update(
                            status=Delivery.Status.FAILED, claim=""
                        )
                        _refused(row.subscriber, error)
                        report.refused += 1
                        continue
                    if kind == UNCERTAIN:
                        Delivery.objects.filter(pk=row.pk).update(
                            status=Delivery.Status.UNCERTAIN, claim=""
                        )
                        report.uncertain += 1
                    logger.warning("Subscriptions: sending stopped (%s); trying later.", error)
                    _release(claim, not_before=timezone.now() + retry_delay())
                    report.temporary_failure = True
                    return report
                if not taken:  # a backend that fails silently: nothing was sent
                    _release(claim, not_before=timezone.now() + retry_delay())
                    report.temporary_failure = True
                    return report
                accepted = row.pk
                report.sent += 1
        finally:
            if accepted is not None:
                _sent(Q(pk=accepted))
            with contextlib.suppress(Exception):  # gone is closed enough
                connection.close()
    report.remaining = _eligible_each(timezone.now()).exists()
    return report


# Digests -------------------------------------------------------------------------------------
def _due_digest_subscribers(now: Any) -> Any:
    due = Q()
    for frequency, period in DIGEST_PERIODS.items():
        cutoff = now - period + DIGEST_SLACK
        due |= Q(frequency=frequency) & (
            Q(last_digest_at__lte=cutoff) | Q(last_digest_at__isnull=True, confirmed_at__lte=cutoff)
        )
    return (
        Subscriber.objects.confirmed()
        .filter(due)
        .filter(deliveries__status=Delivery.Status.QUEUED)
        .distinct()
        .order_by("pk")
    )


def digests_send(*, now: Any = None, limit: int | None = None, connection: Any = None) -> int:
    """Send the daily and weekly digests that are due; returns how many were sent."""
    now = now or timezone.now()
    subscribers = list(_due_digest_subscribers(now)[: limit or batch_size()])
    if not subscribers:
        return 0
    connection = connection or get_connection(fail_silently=False)
    connection.open()
    pacer = Pacer(rate())
    sent = 0
    try:
        for subscriber in subscribers:
            claim = _claim(
                Delivery.objects.filter(subscriber=subscriber, status=Delivery.Status.QUEUED),
                prefix=DIGEST_CLAIM,
                limit=500,
            )
            rows = list(Delivery.objects.filter(claim=claim, status=Delivery.Status.SENDING))
            entries = _visible_entries({row.entry_id for row in rows})
            invisible = [row.pk for row in rows if row.entry_id not in entries]
            if invisible:
                Delivery.objects.filter(pk__in=invisible).update(
                    status=Delivery.Status.SKIPPED, claim=""
                )
            if not entries:
                continue
            ordered = sorted(entries.values(), key=lambda entry: (entry.date, entry.pk))
            message = messages.digest_message(subscriber, ordered)
            pacer.wait()
            if not _hand_over(claim, Q(claim=claim)):
                continue
            try:
                connection.send_messages([message])
            except Exception as error:
                kind = failure_kind(error)
                if kind == REFUSED:
                    Delivery.objects.filter(claim=claim).update(
                        status=Delivery.Status.FAILED, claim=""
                    )
                    _refused(subscriber, error)
                    continue
                if kind == UNCERTAIN:
                    Delivery.objects.filter(claim=claim).update(
                        status=Delivery.Status.UNCERTAIN, claim=""
                    )
                else:
                    _release(claim)
                logger.warning("Subscriptions: digests stopped (%s); trying later.", error)
                break
            with transaction.atomic():
                _sent(Q(claim=claim, status=Delivery.Status.IN_FLIGHT))
                Subscriber.objects.filter(pk=subscriber.pk).update(last_digest_at=now)
            sent += 1
    finally:
        with contextlib.suppress(Exception):  # gone is closed enough
            connection.close()
    return sent


# Tasks ---------------------------------------------------------------------------------------
def entry_changed_queue(announcement: EntryChanged) -> int:
    """The TASK listener of entry announcements: queue a first publication, start sending."""
    if announcement.change not in {EntryChange.PUBLISHED, EntryChange.CAME_DUE}:
        return 0
    queued = services.entry_deliveries_queue(entry_id=announcement.entry_id)
    if queued:
        deliveries_send_task.enqueue()
    return queued


def _enqueue_later(delay: timedelta) -> None:
    if default_task_backend.supports_defer:
        deliveries_send_task.using(run_after=timezone.now() + delay).enqueue()
    # Without a deferring queue, the minutely subscriptions-send job takes over.


@task()
def deliveries_send_task() -> None:
    """Send one batch; queue the next batch, or a retry after a temporary failure."""
    claims_recover()
    report = deliveries_send()
    if report.temporary_failure:
        _enqueue_later(retry_delay())
    elif report.remaining and default_task_backend.supports_defer:
        deliveries_send_task.enqueue()


CONFIRMATION_ATTEMPTS = 6


@task()
def confirmation_send(*, subscriber_id: int, attempt: int = 1) -> bool:
    """Send the confirmation message (a task: the form's answer never waits for the mail
    server, and a server that is away is tried again, with a growing delay)."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or subscriber.status == Subscriber.Status.SUSPENDED:
        return False
    if not subscriber.follows.filter(confirmed_at__isnull=True).exists():
        return False
    try:
        get_connection(fail_silently=False).send_messages(
            [messages.confirmation_message(subscriber)]
        )
    except Exception as error:
        if failure_kind(error) == REFUSED:
            _refused(subscriber, error)
            return False
        if attempt >= CONFIRMATION_ATTEMPTS or not default_task_backend.supports_defer:
            logger.exception("Subscriptions: could not send a confirmation; giving up.")
            return False
        logger.warning("Subscriptions: confirmation not sent (%s); trying later.", error)
        confirmation_send.using(
            run_after=timezone.now() + retry_delay() * 2 ** (attempt - 1)
        ).enqueue(subscriber_id=subscriber_id, attempt=attempt + 1)
        return False
    return True
