"""Federation at scale: one entry delivered to 10,000 followers on 200 servers.

    .venv/bin/python -m bench.federation [--followers 10000] [--servers 200] [--publishes 20]

A fresh site (its own data folder and SQLite database, the database task queue as
`dragoman serve` runs it) with one blog followed by FOLLOWERS remote actors spread over
SERVERS servers, each server a loopback sink on its own address (127.0.1.1, 127.0.1.2, ...,
port 18340) that answers 202 to every signed POST.

1. The publishing action's own time (`entry_create` with publish, in one process), the
   median of PUBLISHES entries, with the federation's listener off and on in turns: the
   listener only queues a task, so the two should be within 10%.
2. One more entry: the time from its publication until every server's shared inbox has
   received its Create (each inbox once), running the queue with one worker as the
   scheduler does (tasks of `deliveries.BATCH` inboxes, `deliveries.POOL` posts at once).

Prints figures and the ratio; asserts no time.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SINK_PORT = 18340
BASE_PORT = 18350


def sink_addresses(servers: int) -> list[str]:
    return [f"127.0.1.{n}" for n in range(1, servers + 1)]


class Sink:
    """Every server's shared inbox: counts the POSTs each address receives."""

    def __init__(self, addresses: list[str]) -> None:
        self.addresses = addresses
        self.received: Counter[str] = Counter()
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()

    def run(self) -> None:
        from aiohttp import web

        async def inbox(request: web.Request) -> web.Response:
            await request.read()
            self.received[request.host] += 1
            return web.Response(status=202)

        asyncio.set_event_loop(self.loop)
        app = web.Application()
        app.router.add_post("/inbox", inbox)
        runner = web.AppRunner(app, access_log=None)
        self.loop.run_until_complete(runner.setup())
        for address in self.addresses:
            self.loop.run_until_complete(web.TCPSite(runner, address, SINK_PORT).start())
        self.ready.set()
        self.loop.run_forever()


def setup_site(folder: Path) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="dragoman.settings",
        DRAGOMAN_DATA_DIR=str(folder),
        DATABASE_URL=f"sqlite:///{folder / 'bench.sqlite3'}",
        CACHE_URL="locmemcache://",
        DRAGOMAN_BASE_URL=f"http://127.0.0.1:{BASE_PORT}",
        DRAGOMAN_FEDERATION_ALLOW_PRIVATE="true",
        DRAGOMAN_LOG_LEVEL="WARNING",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def followers_create(blog: object, followers: int, servers: list[str]) -> None:
    from dragoman.federation import services
    from dragoman.federation.models import Follow, RemoteActor

    actor = services.blog_actor(blog)  # type: ignore[arg-type]
    remotes = [
        RemoteActor(
            uri=f"http://{servers[n % len(servers)]}:{SINK_PORT}/users/{n}",
            domain=servers[n % len(servers)],
            inbox=f"http://{servers[n % len(servers)]}:{SINK_PORT}/users/{n}/inbox",
            shared_inbox=f"http://{servers[n % len(servers)]}:{SINK_PORT}/inbox",
        )
        for n in range(followers)
    ]
    RemoteActor.objects.bulk_create(remotes, batch_size=1000)
    Follow.objects.bulk_create(
        [
            Follow(
                local=actor,
                remote=remote,
                direction="in",
                status="accepted",
                activity_id=remote.uri,
            )
            for remote in RemoteActor.objects.all()
        ],
        batch_size=1000,
    )


def publish_times(blog: object, count: int, label: str) -> list[float]:
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import EntryFactory

    times = []
    for n in range(count):
        started = time.perf_counter()
        EntryFactory(blog=blog, title=f"{label} {n}", date=timezone.now() - timedelta(minutes=1))
        times.append(time.perf_counter() - started)
    return times


def queue_clear() -> None:
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--followers", type=int, default=10_000)
    parser.add_argument("--servers", type=int, default=200)
    parser.add_argument("--publishes", type=int, default=20)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="dragoman-bench-federation-"))
    setup_site(folder)
    from django.core.management import call_command

    from dragoman.blogs.announcements import EntryChanged
    from dragoman.core.changes import Moment, listen, unlisten
    from dragoman.federation.publication import entry_changed_federate
    from tests.factories import BlogFactory

    addresses = sink_addresses(args.servers)
    sink = Sink(addresses)
    threading.Thread(target=sink.run, daemon=True).start()
    if not sink.ready.wait(30):
        sys.exit("The loopback sink could not open its addresses.")

    blog = BlogFactory(slug="bench-blog")
    followers_create(blog, args.followers, addresses)
    print(f"{args.followers} followers on {args.servers} servers (loopback sinks)")

    # Off and on in turns, so that a slower moment of a shared machine (or the growing
    # database) weighs on both alike.
    without: list[float] = []
    with_federation: list[float] = []
    for n in range(args.publishes):
        unlisten(entry_changed_federate)
        without += publish_times(blog, 1, f"Without {n}")
        listen(EntryChanged, entry_changed_federate, moment=Moment.TASK)
        with_federation += publish_times(blog, 1, f"With {n}")
    queue_clear()
    median_without, median_with = statistics.median(without), statistics.median(with_federation)
    print(f"publish, federation off: median {median_without * 1000:.1f} ms")
    print(f"publish, federation on:  median {median_with * 1000:.1f} ms")
    print(f"ratio on/off: {median_with / median_without:.2f} (target: at most 1.10)")

    sink.received.clear()
    started = time.perf_counter()
    publish_times(blog, 1, "Delivered")
    deadline = started + 600
    while len(sink.received) < args.servers and time.perf_counter() < deadline:
        call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", verbosity=0)
    elapsed = time.perf_counter() - started
    print(
        f"one entry to {args.followers} followers: {len(sink.received)} of {args.servers} "
        f"inboxes in {elapsed:.1f} s ({sum(sink.received.values())} POSTs; "
        f"most to one inbox: {max(sink.received.values(), default=0)})"
    )


if __name__ == "__main__":
    main()
