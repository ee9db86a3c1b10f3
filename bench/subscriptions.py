"""Email subscriptions: `python -m bench.subscriptions --subscribers 100000`.

In a throwaway SQLite database (WAL, synchronous=FULL, as deployed on one machine), with an
SMTP sink on loopback (aiosmtpd's Sink handler, in its own process: it accepts and discards):

1. the publish action's own time (``blogs.services.entry_create(publish=True)``, the one path
   a publish request takes, with its after-commit work: the page cache and the enqueuing of
   task listeners), median of several publishes, on a network with no subscribers and then
   with N confirmed subscribers following the blog. Subscriptions are a TASK listener, so the
   request only adds a task row: the ratio should stay within 10%;
2. time to queue one entry to the N subscribers (``entry_deliveries_queue``: N delivery rows);
3. sending them all through the sink (``deliveries_send`` batch after batch, no rate limit):
   messages per second, and the time of the one commit made per message, alone (the price
   of leaving at most one message in doubt after a crash);
4. peak memory (maximum resident set of this process, before and after 2-3).

Figures only: nothing is asserted. The sink listens on --port (18450 by default, inside the
ports of the subscriptions' work; any free loopback port will do).
"""

from __future__ import annotations

import argparse
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from typing import Any


def setup(port: int, batch: int) -> None:
    data_dir = tempfile.mkdtemp(prefix="dragoman-bench-subscriptions-")
    os.environ["DRAGOMAN_DATA_DIR"] = data_dir
    os.environ.setdefault("CACHE_URL", "locmemcache://")
    os.environ["DATABASE_URL"] = f"sqlite:///{data_dir}/db.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dragoman.settings")
    os.environ["EMAIL_URL"] = f"smtp://127.0.0.1:{port}"
    os.environ["DRAGOMAN_SUBSCRIPTIONS_RATE"] = "0"
    os.environ["DRAGOMAN_SUBSCRIPTIONS_BATCH"] = str(batch)
    os.environ["DRAGOMAN_LOG_LEVEL"] = "WARNING"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def sink(port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aiosmtpd",
            "-n",
            "-c",
            "aiosmtpd.handlers.Sink",
            "-l",
            f"127.0.0.1:{port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"The SMTP sink did not start on port {port}")


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def publish_times(blog: Any, count: int) -> list[float]:
    """Milliseconds of each publish, committed, with its after-commit work."""
    from django.utils import timezone

    from dragoman.blogs import services

    authors = list(blog.bloggers.all())
    times = []
    for n in range(count):
        started = time.perf_counter()
        services.entry_create(
            blog=blog,
            title=f"Bench entry {time.time_ns()}-{n}",
            summary="A short summary.",
            body=[("paragraph", "<p>The body.</p>")],
            authors=authors,
            date=timezone.now() - timedelta(minutes=1),
            publish=True,
        )
        times.append((time.perf_counter() - started) * 1000)
    return times


def subscribers_create(blog_id: int, count: int) -> None:
    """N confirmed subscribers following the blog (written directly: this is the setup)."""
    from django.db import transaction
    from django.utils import timezone

    from dragoman.subscriptions.models import Follow, Subscriber

    now = timezone.now()
    step = 5000
    for start in range(0, count, step):
        with transaction.atomic():
            subscribers = Subscriber.objects.bulk_create(
                [
                    Subscriber(
                        email=f"reader{n}@bench.example",
                        status=Subscriber.Status.CONFIRMED,
                        confirmed_at=now,
                        language=("en", "fr", "ar", "fa", "ru", "es")[n % 6],
                    )
                    for n in range(start, min(count, start + step))
                ]
            )
            Follow.objects.bulk_create(
                [
                    Follow(subscriber=s, kind="blog", value=str(blog_id), confirmed_at=now)
                    for s in subscribers
                ]
            )


def hand_over_times(count: int) -> list[float]:
    """Milliseconds of the one commit ``deliveries_send`` makes per message, alone: the price
    of never having more than one message in flight (see ``subscriptions/sending.py``)."""
    from django.db.models import Q

    from dragoman.subscriptions import sending
    from dragoman.subscriptions.models import Delivery

    ids = list(Delivery.objects.order_by("pk").values_list("pk", flat=True)[:count])
    Delivery.objects.filter(pk__in=ids).update(status=Delivery.Status.SENDING, claim="bench")
    times = []
    previous = None
    for pk in ids:
        started = time.perf_counter()
        sending._hand_over("bench", Q(pk=pk), accepted=previous)
        times.append((time.perf_counter() - started) * 1000)
        previous = pk
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--publishes", type=int, default=7, help="publishes timed per phase")
    parser.add_argument("--port", type=int, default=18450)
    parser.add_argument("--batch", type=int, default=1000)
    options = parser.parse_args()

    setup(options.port, options.batch)
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from dragoman.subscriptions import sending, services
    from dragoman.subscriptions.models import Delivery
    from tests.factories import BlogFactory, EntryFactory

    blog = BlogFactory()
    EntryFactory(blog=blog)  # the blog's first entry: its pages and counts exist
    publish_times(blog, 2)  # warm up: templates, compiled queries, caches
    without = publish_times(blog, options.publishes)

    started = time.perf_counter()
    subscribers_create(blog.pk, options.subscribers)
    setup_seconds = time.perf_counter() - started
    # The setup's bulk writes leave a large WAL: fold it into the database now, or the first
    # publishes pay for that checkpoint (at 100,000 subscribers: a ratio of 3.18, against
    # 0.95 after the checkpoint, in bench/results/2026-12-06-subscriptions-100000.md).
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with_subscribers = publish_times(blog, options.publishes)
    # At once, not only at the end: sending 100,000 messages takes the better part of an hour.
    print(
        f"publish action, median of {options.publishes}: {statistics.median(without):.1f} ms "
        f"without subscribers, {statistics.median(with_subscribers):.1f} ms with "
        f"{options.subscribers}",
        flush=True,
    )
    # The publishes above queued their task rows; the bench sends one entry by hand instead.
    queued_tasks = DBTaskResult.objects.count()
    DBTaskResult.objects.all().delete()

    entry = EntryFactory(
        blog=blog, title="The entry sent to everyone", date=timezone.now() - timedelta(minutes=1)
    )
    DBTaskResult.objects.all().delete()
    Delivery.objects.all().delete()
    rss_before = max_rss_mb()
    started = time.perf_counter()
    queued = services.entry_deliveries_queue(entry_id=entry.pk)
    queue_seconds = time.perf_counter() - started
    print(f"time to queue one entry: {queue_seconds:.2f} s for {queued} deliveries", flush=True)

    process = sink(options.port)
    try:
        started = time.perf_counter()
        sent = 0
        while True:
            report = sending.deliveries_send()
            sent += report.sent
            if report.temporary_failure:
                raise RuntimeError("The sink refused messages")
            if sent % 10_000 < options.batch:  # progress: a long run shows where it is
                elapsed = time.perf_counter() - started
                print(f"  sent {sent} in {elapsed:.0f} s ({sent / elapsed:.0f}/s)", flush=True)
            if not report.remaining:
                break
        send_seconds = time.perf_counter() - started
    finally:
        process.terminate()
        process.wait(timeout=10)
    rss_after = max_rss_mb()
    commit_ms = hand_over_times(min(sent, 500))

    median_without = statistics.median(without)
    median_with = statistics.median(with_subscribers)
    print(f"subscribers: {options.subscribers} (created in {setup_seconds:.1f} s)")
    print(
        f"publish action, median of {options.publishes}: {median_without:.1f} ms without "
        f"subscribers, {median_with:.1f} ms with; ratio {median_with / median_without:.2f} "
        f"(task rows queued by those publishes: {queued_tasks})"
    )
    print(f"time to queue one entry: {queue_seconds:.2f} s for {queued} deliveries")
    print(
        f"sending: {sent} messages in {send_seconds:.1f} s = {sent / send_seconds:.0f} "
        f"messages/s through the SMTP sink (batches of {options.batch}, no rate limit)"
    )
    per_message_ms = send_seconds * 1000 / max(sent, 1)
    print(
        f"of which the commit per message (the previous one SENT, this one IN_FLIGHT), median "
        f"of {len(commit_ms)}: {statistics.median(commit_ms):.1f} ms of {per_message_ms:.1f} ms "
        f"a message ({statistics.median(commit_ms) / per_message_ms:.0%})"
    )
    print(f"peak memory (max RSS): {rss_before:.0f} MB before queueing, {rss_after:.0f} MB after")


if __name__ == "__main__":
    main()
