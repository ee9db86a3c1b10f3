"""Every write of the evaluation: counts recorded, days closed, old figures rolled up, reports
sent. Keyword-only functions, one transaction each."""

from __future__ import annotations

import logging
import secrets
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import ClassVar

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone

from dragoman.blogs.models import BlogPage, EntryFootprint, EntryPage
from dragoman.questions.models import QuestionSessionPage

from .models import DailySalt, Dimension, Figure, Metric, MonthlyReport, Period, ReaderMark

logger = logging.getLogger(__name__)

Key = tuple[int, int, int]  # entry, blog, mission; 0 where none
# Figures older than this many days are rolled into months.
DAILY_DAYS = 2 * 365


@dataclass
class Batch:
    """What one flush writes: counts by (day, metric, key, dimension, value), the highest
    subscriber count each feed reader reported, and the day's reader marks."""

    counts: Counter[tuple[date, str, Key, str, str]] = field(default_factory=Counter)
    reported: dict[tuple[date, Key, str], int] = field(default_factory=dict)
    marks: set[tuple[date, str, str]] = field(default_factory=set)

    def add(
        self, day: date, metric: str, key: Key, dimension: str, value: str, times: int = 1
    ) -> None:
        self.counts[(day, metric, key, dimension, value)] += times

    def subscribers(self, day: date, key: Key, reader: str, count: int) -> None:
        wanted = (day, key, reader)
        self.reported[wanted] = max(count, self.reported.get(wanted, 0))


class Places:
    """Which entry, blog and mission a page shows, from its dependencies (``entry:42``,
    ``blog:<slug>``, ``session:7``); remembered per process, as entries seldom move."""

    entries: ClassVar[dict[int, tuple[int, int, str]]] = {}  # entry -> blog, mission, language
    blogs: ClassVar[dict[str, tuple[int, int]]] = {}  # slug -> blog, mission
    sessions: ClassVar[dict[int, tuple[int, int, int]]] = {}  # page -> original, blog, mission
    # An entry moved to another blog is counted under it within this many seconds.
    REMEMBERED_SECONDS = 600.0
    expires: ClassVar[list[float]] = [0.0]

    def __init__(self) -> None:
        now = time.monotonic()
        if now >= self.expires[0]:
            self.forget()
            self.expires[0] = now + self.REMEMBERED_SECONDS

    def of(self, shows: list[str]) -> tuple[int, int, int, str]:
        for dependency in shows:
            kind, _, key = dependency.partition(":")
            if kind == "entry" and key.isdecimal():
                entry_id = int(key)
                if entry_id not in self.entries:
                    self.load_entries([entry_id])
                blog_id, mission_id, language = self.entries.get(entry_id, (0, 0, ""))
                return entry_id, blog_id, mission_id, language
        for dependency in shows:
            kind, _, key = dependency.partition(":")
            if kind == "blog":
                if key not in self.blogs:
                    found = BlogPage.objects.filter(slug=key).values_list("pk", "mission_id")
                    row = found.first()
                    self.blogs[key] = (row[0], row[1] or 0) if row else (0, 0)
                blog_id, mission_id = self.blogs[key]
                return 0, blog_id, mission_id, ""
        return 0, 0, 0, ""

    def session_of(self, shows: list[str]) -> tuple[int, int, int]:
        """The question session a page shows (its original, for a translated transcript),
        and the session's blog and mission; zeros for any other page."""
        for dependency in shows:
            kind, _, key = dependency.partition(":")
            if kind == "session" and key.isdecimal():
                page_id = int(key)
                if page_id not in self.sessions:
                    self.load_sessions([page_id])
                return self.sessions[page_id]
        return 0, 0, 0

    def load_sessions(self, page_ids: list[int]) -> None:
        pages = list(
            QuestionSessionPage.objects.filter(pk__in=page_ids).values_list(
                "pk", "translation_of_id", "path"
            )
        )
        # A session stands under a blog or under the network's home page (no blog).
        parents = {path: path[: -QuestionSessionPage.steplen] for _pk, _o, path in pages}
        blogs = {
            path: (pk, mission_id or 0)
            for pk, mission_id, path in BlogPage.objects.filter(
                path__in=parents.values()
            ).values_list("pk", "mission_id", "path")
        }
        if len(self.sessions) > 10_000:
            self.sessions.clear()
        for page_id in page_ids:
            self.sessions[page_id] = (0, 0, 0)
        for pk, original_id, path in pages:
            blog_id, mission_id = blogs.get(parents[path], (0, 0))
            self.sessions[pk] = (original_id or pk, blog_id, mission_id)

    def load_entries(self, entry_ids: list[int]) -> None:
        languages = dict(EntryPage.objects.filter(pk__in=entry_ids).values_list("pk", "language"))
        blogs = dict(
            EntryFootprint.objects.filter(entry_id__in=entry_ids).values_list("entry_id", "blog_id")
        )
        missions = dict(
            BlogPage.objects.filter(pk__in=[b for b in blogs.values() if b]).values_list(
                "pk", "mission_id"
            )
        )
        if len(self.entries) > 100_000:
            self.entries.clear()
        for entry_id in entry_ids:
            blog_id = blogs.get(entry_id) or 0
            self.entries[entry_id] = (
                blog_id,
                missions.get(blog_id) or 0,
                languages.get(entry_id, ""),
            )

    @classmethod
    def forget(cls) -> None:
        cls.entries.clear()
        cls.blogs.clear()
        cls.sessions.clear()


def reader_scopes(entry_id: int, blog_id: int, mission_id: int, session_id: int = 0) -> list[str]:
    scopes = ["network"]
    if mission_id:
        scopes.append(f"mission:{mission_id}")
    if blog_id:
        scopes.append(f"blog:{blog_id}")
    if entry_id:
        scopes.append(f"entry:{entry_id}")
    if session_id:
        scopes.append(f"session:{session_id}")
    return scopes


def scope_key(scope: str, places: dict[int, tuple[int, int]] | None = None) -> Key:
    """The key a day's readers of a scope are stored under: only that scope's own column set,
    so that readers of a blog are never added to readers of its entries."""
    kind, _, key = scope.partition(":")
    number = int(key) if key.isdecimal() else 0
    if kind == "entry":
        blog_id, mission_id = (places or {}).get(number, (0, 0))
        return (number, blog_id, mission_id)
    if kind == "blog":
        mission_id = (places or {}).get(-number, (0, 0))[1]
        return (0, number, mission_id)
    if kind == "mission":
        return (0, 0, number)
    if kind == "session":
        return (0, *(places or {}).get(-number, (0, 0)))
    return (0, 0, 0)


_salts: dict[date, str | None] = {}


def salt_of(day: date, *, today: date | None = None) -> str | None:
    """The secret of a day's reader hashes, made on first use; None once the day is over
    (its salt destroyed when it is closed, so that its readers are never recognised again)."""
    today = today or timezone.localdate()
    if day < today - timedelta(days=1) or day > today + timedelta(days=1):
        return None
    found = _salts.get(day)
    if found is not None and day >= today:
        return found
    # A past day is asked of the database each time: another process may have closed it
    # and destroyed its salt, and no mark may be made for a day already counted.
    row = DailySalt.objects.filter(day=day).values_list("salt", flat=True).first()
    if row is None:
        if day < today:
            return None  # closed: never make a new salt for a past day
        try:
            with transaction.atomic():
                DailySalt.objects.create(day=day, salt=secrets.token_hex(32))
        except IntegrityError:
            pass  # another process made it first
        row = DailySalt.objects.filter(day=day).values_list("salt", flat=True).first()
    if len(_salts) > 4:
        _salts.clear()
    _salts[day] = row
    return row


def salts_forget() -> None:
    _salts.clear()


@transaction.atomic
def figures_record(*, batch: Batch) -> None:
    """Write one flush's counts (append-only) and reader marks (one per reader and scope)."""
    rows = [
        Figure(
            day=day,
            metric=metric,
            entry_id=key[0],
            blog_id=key[1],
            mission_id=key[2],
            dimension=dimension,
            value=value,
            count=count,
        )
        for (day, metric, key, dimension, value), count in batch.counts.items()
    ]
    rows += [
        Figure(
            day=day,
            metric=Metric.SUBSCRIBERS,
            entry_id=key[0],
            blog_id=key[1],
            mission_id=key[2],
            dimension="reader",
            value=reader,
            count=count,
        )
        for (day, key, reader), count in batch.reported.items()
    ]
    Figure.objects.bulk_create(rows, batch_size=500)
    ReaderMark.objects.bulk_create(
        [ReaderMark(day=day, scope=scope, digest=digest) for day, scope, digest in batch.marks],
        batch_size=500,
        ignore_conflicts=True,
    )


KEY_FIELDS = ("metric", "entry_id", "blog_id", "mission_id", "dimension", "value")


def _compact(day: date, period: str) -> None:
    """Sum the rows of one day (or month) into one per key (subscribers: the highest)."""
    kept = Figure.objects.filter(day=day, period=period)
    summed = (
        kept.exclude(metric=Metric.SUBSCRIBERS).values(*KEY_FIELDS).annotate(total=Sum("count"))
    )
    highest = (
        kept.filter(metric=Metric.SUBSCRIBERS).values(*KEY_FIELDS).annotate(total=Max("count"))
    )
    new = [
        Figure(day=day, period=period, count=row.pop("total"), **row) for row in [*summed, *highest]
    ]
    kept.delete()
    Figure.objects.bulk_create(new, batch_size=500)


@transaction.atomic
def day_close(*, day: date) -> int:
    """Count the day's readers per scope, then destroy its marks and its salt; sum its rows
    into one per key. Returns the number of reader scopes counted."""
    marks = ReaderMark.objects.filter(day=day)
    per_scope = list(marks.values("scope").annotate(readers=Count("digest")))
    entry_ids = [int(r["scope"][6:]) for r in per_scope if r["scope"].startswith("entry:")]
    blog_ids = [int(r["scope"][5:]) for r in per_scope if r["scope"].startswith("blog:")]
    places = Places()
    places.load_entries(entry_ids)
    where: dict[int, tuple[int, int]] = {
        entry_id: places.entries[entry_id][:2] for entry_id in entry_ids
    }
    for pk, mission_id in BlogPage.objects.filter(pk__in=blog_ids).values_list("pk", "mission_id"):
        where[-pk] = (pk, mission_id or 0)
    session_ids = [int(r["scope"][8:]) for r in per_scope if r["scope"].startswith("session:")]
    places.load_sessions(session_ids)
    for session_id in session_ids:
        where[-session_id] = places.sessions[session_id][1:]
    Figure.objects.bulk_create(
        [
            Figure(
                day=day,
                metric=Metric.READERS,
                entry_id=key[0],
                blog_id=key[1],
                mission_id=key[2],
                # A session's readers are kept apart from its blog's: a dimension of their own.
                dimension=Dimension.SESSION if row["scope"].startswith("session:") else "",
                value=row["scope"][8:] if row["scope"].startswith("session:") else "",
                count=row["readers"],
            )
            for row in per_scope
            for key in [scope_key(row["scope"], where)]
        ]
    )
    marks.delete()
    DailySalt.objects.filter(day__lte=day).delete()
    _salts.pop(day, None)
    _compact(day, Period.DAY)
    return len(per_scope)


def days_close(*, today: date | None = None) -> list[date]:
    """Close every day before today that still has marks, a salt or uncompacted rows."""
    today = today or timezone.localdate()
    days = set(ReaderMark.objects.filter(day__lt=today).values_list("day", flat=True))
    days |= set(DailySalt.objects.filter(day__lt=today).values_list("day", flat=True))
    # Late rows (a process flushing after the close) are summed on the next pass.
    doubled = (
        Figure.objects.filter(day__lt=today, day__gte=today - timedelta(days=7), period="day")
        .values("day", *KEY_FIELDS)
        .annotate(rows=Count("id"))
        .filter(rows__gt=1)
        .values_list("day", flat=True)
    )
    days |= set(doubled)
    for day in sorted(days):
        day_close(day=day)
    return sorted(days)


@transaction.atomic
def figures_roll_up(*, today: date | None = None) -> list[date]:
    """Daily figures older than two years become monthly ones (the retention rule)."""
    today = today or timezone.localdate()
    limit = today - timedelta(days=DAILY_DAYS)
    old = Figure.objects.filter(period=Period.DAY, day__lt=limit)
    months = sorted({day.replace(day=1) for day in old.values_list("day", flat=True).distinct()})
    for month in months:
        Figure.objects.filter(
            period=Period.DAY, day__lt=limit, day__year=month.year, day__month=month.month
        ).update(day=month, period=Period.MONTH)
        _compact(month, Period.MONTH)
    return months


@transaction.atomic
def report_send(
    *, mission_id: int, month: date, recipients: list[str], send: Callable[[], None]
) -> bool:
    """Send a mission's report for a month once: False if it was already sent. The record is
    written in the transaction that sends, so a failed sending is tried again next time."""
    if MonthlyReport.objects.filter(mission_id=mission_id, month=month).exists():
        return False
    try:
        with transaction.atomic():
            MonthlyReport.objects.create(
                mission_id=mission_id, month=month, recipients=len(recipients)
            )
    except IntegrityError:
        return False  # another scheduler sent it
    send()
    return True
