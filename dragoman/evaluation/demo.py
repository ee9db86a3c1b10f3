"""Figures for the demo network: sixty days of counts, so that the dashboard has something
to show (`make demo`). Made up, with a fixed seed; no reader marks, no salt."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta

from django.db.models import F

from dragoman.blogs.models import EntryPage

from .models import Figure

DAYS = 60
REFERRERS = ["", "self", "x.com", "facebook.com", "news.google.com", "linkedin.com", "t.me"]
DEVICES = [("mobile", 0.6), ("desktop", 0.32), ("tablet", 0.08)]
SEARCHES = ["climate", "visa", "scholarship", "election", "embassy concert", "trade"]
NOTHING_FOUND = ["passport renewal", "wifi password"]


def demo_figures_build(*, now: datetime, report: Callable[[str], None] = print) -> None:
    rng = random.Random(20)  # noqa: S311 (made-up figures, the same at every build)
    entries = list(
        EntryPage.objects.visible().values(
            "pk", "language", "blog_id", mission_id=F("blog__mission")
        )
    )
    rows: list[Figure] = []

    def add(day: object, metric: str, count: int, **fields: object) -> None:
        if count > 0:
            rows.append(Figure(day=day, metric=metric, count=count, **fields))  # type: ignore[misc]

    today = now.date()
    for back in range(1, DAYS + 1):
        day = today - timedelta(days=back)
        network_readers = 0
        for entry in entries:
            key = {
                "entry_id": entry["pk"],
                "blog_id": entry["blog_id"] or 0,
                "mission_id": entry["mission_id"] or 0,
            }
            views = int(rng.expovariate(1 / 12))
            add(day, "view", views, **key)
            add(day, "view", views, dimension="language", value=entry["language"], **key)
            for device, share in DEVICES:
                add(day, "view", round(views * share), dimension="device", value=device, **key)
            add(day, "view", views, dimension="referrer", value=rng.choice(REFERRERS), **key)
            readers = round(views * 0.7)
            add(day, "readers", readers, **key)
            network_readers += readers
            add(day, "excluded", rng.randint(0, 6), dimension="reason", value="robot", **key)
            if rng.random() < 0.1:
                add(day, "share", 1, **key)
                add(
                    day,
                    "share",
                    1,
                    dimension="network",
                    value=rng.choice(["x", "facebook", "whatsapp"]),
                    **key,
                )
        add(day, "readers", network_readers)
        add(day, "excluded", rng.randint(0, 20), dimension="reason", value="head")
        add(day, "feed", 140, dimension="")
        add(day, "feed", 96, dimension="reader", value="Feedly")
        add(day, "feed", 44, dimension="reader", value="robot")
        add(day, "subscribers", 310 + (DAYS - back), dimension="reader", value="Feedly")
        for words in SEARCHES:
            add(day, "search", rng.randint(0, 4), dimension="query", value=words)
        for words in NOTHING_FOUND:
            found = rng.randint(0, 2)
            add(day, "search", found, dimension="query", value=words)
            add(day, "search_empty", found, dimension="query", value=words)
    Figure.objects.bulk_create(rows, batch_size=1000)
    report(f"{len(rows)} figures over {DAYS} days (evaluation).")
