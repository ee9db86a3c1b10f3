"""The register of official channels: `python -m bench.channels --sizes 371 3000 10000`.

For each size, in a throwaway SQLite database: register that many channels over missions of
30 channels each, then time (in-process, Django's test client, no page cache) the checker (HTML
and JSON), the whole register page and a filtered one, the CSV and JSON exports, and an import
preview of the exported file; count the queries of each. Also times `normalise` alone.
Figures only: nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any


def setup() -> None:
    os.environ["DRAGOMAN_DATA_DIR"] = tempfile.mkdtemp(prefix="dragoman-bench-channels-")
    os.environ.setdefault("CACHE_URL", "locmemcache://")
    os.environ["DATABASE_URL"] = f"sqlite:///{os.environ['DRAGOMAN_DATA_DIR']}/db.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dragoman.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def timed(action: Callable[[], Any], repeat: int) -> tuple[float, int, Any]:
    """Median milliseconds over `repeat` runs, queries of one run, and its result."""
    from django.db import connection

    count = 0

    def counter(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    # Counted at the cursor: the test client resets Django's own query log per request.
    with connection.execute_wrapper(counter):
        result = action()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), count, result


def populate(size: int) -> None:
    from dragoman.channels.models import Channel
    from dragoman.channels.services import channels_bulk_create
    from dragoman.missions.models import Mission

    Channel.objects.all().delete()
    Mission.objects.all().delete()
    missions = Mission.objects.bulk_create(
        Mission(
            name=f"Embassy {n}",
            slug=f"bench-{n}",
            city=f"City {n}",
            country=f"Country {n % 150}",
            country_code=f"{chr(65 + n % 26)}{chr(65 + n // 26 % 26)}",
            continent="europe",
        )
        for n in range(max(1, size // 30))
    )
    platforms = ["x", "facebook", "instagram", "telegram", "tiktok", "threads"]
    statuses = ["active"] * 8 + ["archived", "impersonation"]
    channels_bulk_create(
        rows=[
            dict(
                platform=platforms[n % len(platforms)],
                handle=f"dgm-b{n}" if n % len(platforms) == 1 else f"dgm_b{n}",
                mission=missions[n % len(missions)],
                languages=["en", "ar en", "fr", "ru en"][n % 4],
                status=statuses[n % len(statuses)],
            )
            for n in range(size)
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[371, 3000, 10000])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    setup()
    from django.test import Client

    from dragoman.channels.normalise import normalise
    from dragoman.channels.services import register_import_plan

    samples = [
        "https://mobile.twitter.com/UKinJordan?s=20",
        "@user@mastodon.social",
        "https://www.youtube.com/c/Name/videos",
        "https://www.facebook.com/profile.php?id=100064590123456",
        "@handle",
    ]
    started = time.perf_counter()
    rounds = 20000
    for n in range(rounds):
        normalise(samples[n % len(samples)])
    per_second = rounds / (time.perf_counter() - started)
    print(f"normalise: {per_second:,.0f} addresses per second (one core)\n")

    client = Client(HTTP_HOST="127.0.0.1")
    print("| channels | measure | median ms | queries | bytes |")
    print("| ---: | --- | ---: | ---: | ---: |")
    for size in args.sizes:
        populate(size)
        cases: list[tuple[str, Callable[[], Any], int]] = [
            ("check, HTML", lambda: client.get("/channels/check/?q=x.com/dgm_b6"), args.repeat),
            (
                "check, JSON",
                lambda: client.get("/channels/check/?q=@dgm_b7&format=json"),
                args.repeat,
            ),
            ("register, all", lambda: client.get("/channels/"), 3),
            (
                "register, filtered",
                lambda: client.get("/channels/?platform=x&language=en&status=active"),
                args.repeat,
            ),
            ("export CSV, all", lambda: client.get("/channels/register.csv"), 3),
            ("export JSON, all", lambda: client.get("/channels/register.json"), 3),
        ]
        exported = b""
        for name, action, repeat in cases:
            median, queries, response = timed(action, repeat)
            if name == "export CSV, all":
                exported = response.content
            print(f"| {size} | {name} | {median:.1f} | {queries} | {len(response.content):,} |")
        median, queries, plan = timed(lambda: register_import_plan(data=exported), 3)  # noqa: B023
        print(
            f"| {size} | import preview of the export ({plan.unchanged} unchanged, "
            f"{len(plan.file_errors)} file errors) "
            f"| {median:.1f} | {queries} | {len(exported):,} |"
        )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
