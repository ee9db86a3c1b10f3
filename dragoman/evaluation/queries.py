"""The figures the digital team reads: one dashboard per network, mission, blog or entry over
a period, the same as CSV, and a mission's monthly report. A fixed number of queries each."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from dragoman.blogs.models import Blogger, BlogPage, EntryPage
from dragoman.conversations.queries import ReplyFigures, reply_figures
from dragoman.missions.models import Mission
from dragoman.questions.models import QuestionSessionPage
from dragoman.questions.queries import question_figures, session_report

from .charts import Chart, bar_chart
from .models import Dimension, Figure, Metric, Period, ReaderMark

TOP = 20


def language_name(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code or _("unknown")


@dataclass(frozen=True)
class Scope:
    """What a dashboard is about: the network, or one mission, blog or entry."""

    kind: str  # "network", "mission", "blog", "entry"
    pk: int = 0
    name: str = ""

    def figures(self) -> Q:
        """Rows of any metric but readers that belong to this scope."""
        if self.kind == "network":
            return Q()
        return Q(**{f"{self.kind}_id": self.pk})

    def readers(self) -> Q:
        """The readers rows of exactly this scope (readers of parts never add up; a question
        session's readers have a dimension of their own)."""
        if self.kind == "network":
            return Q(entry_id=0, blog_id=0, mission_id=0, dimension="")
        if self.kind == "mission":
            return Q(mission_id=self.pk, blog_id=0, entry_id=0, dimension="")
        if self.kind == "blog":
            return Q(blog_id=self.pk, entry_id=0, dimension="")
        return Q(entry_id=self.pk, dimension="")

    def sessions(self) -> QuerySet[QuestionSessionPage] | None:
        """The question sessions of this scope (those under its blogs); None for an entry."""
        originals = QuestionSessionPage.objects.filter(translation_of__isnull=True)
        if self.kind == "network":
            return originals
        if self.kind == "entry":
            return None
        blogs = BlogPage.objects.filter(
            **({"pk": self.pk} if self.kind == "blog" else {"mission_id": self.pk})
        )
        under = Q(pk__in=[])
        for path in blogs.values_list("path", flat=True):
            under |= Q(path__startswith=path)
        return originals.filter(under)

    @property
    def mark(self) -> str:
        return "network" if self.kind == "network" else f"{self.kind}:{self.pk}"


def scope_find(
    *, mission: int | None = None, blog: int | None = None, entry: int | None = None
) -> Scope | None:
    """The scope the dashboard's parameters name; None if what they name does not exist."""
    if entry:
        found = EntryPage.objects.filter(pk=entry).values_list("title", flat=True).first()
        return Scope("entry", entry, found) if found is not None else None
    if blog:
        found = BlogPage.objects.filter(pk=blog).values_list("title", flat=True).first()
        return Scope("blog", blog, found) if found is not None else None
    if mission:
        found = Mission.objects.filter(pk=mission).values_list("name", flat=True).first()
        return Scope("mission", mission, found) if found is not None else None
    return Scope("network", 0, _("the whole network"))


@dataclass
class Section:
    """One figure: a chart and its table (label, then one column per heading)."""

    slug: str
    title: str
    headings: list[str]
    rows: list[list[Any]]
    chart: Chart | None = None
    links: dict[str, str] = field(default_factory=dict)  # label -> address


@dataclass
class Dashboard:
    scope: Scope
    start: date
    end: date  # inclusive
    sections: list[Section]
    views: int
    excluded: int

    @property
    def excluded_share(self) -> float:
        total = self.views + self.excluded
        return self.excluded / total if total else 0.0


def _day_label(day: date, period: str) -> str:
    return f"{day:%Y-%m}" if period == Period.MONTH else day.isoformat()


def _counts(rows: QuerySet[Figure], metric: str, dimension: str) -> list[tuple[str, int]]:
    found = (
        rows.filter(metric=metric, dimension=dimension)
        .values("value")
        .annotate(total=Sum("count"))
        .order_by("-total", "value")
    )
    return [(row["value"], int(row["total"])) for row in found]


def _section(
    slug: str, title: str, heading: str, pairs: list[tuple[str, int]], *, top: int = TOP
) -> Section:
    pairs = pairs[:top]
    return Section(
        slug=slug,
        title=title,
        headings=[heading, _("count")],
        rows=[[label, count] for label, count in pairs],
        chart=bar_chart(title, [(label, count, f"{count:,}") for label, count in pairs]),
    )


def _referrer_label(value: str) -> str:
    if value == "":
        return _("none (typed, bookmarked or hidden)")
    if value == "self":
        return _("this network's own pages")
    return value


def dashboard(*, scope: Scope, start: date, end: date) -> Dashboard:
    """Every figure of a scope from ``start`` to ``end`` (both included)."""
    month_start = start.replace(day=1)
    # Rolled-up months that overlap the period count whole (daily detail is gone for them).
    rows = Figure.objects.filter(
        Q(period=Period.DAY, day__gte=start, day__lte=end)
        | Q(period=Period.MONTH, day__gte=month_start, day__lte=end)
    ).filter(scope.figures())
    readers_rows = Figure.objects.filter(
        Q(period=Period.DAY, day__gte=start, day__lte=end)
        | Q(period=Period.MONTH, day__gte=month_start, day__lte=end),
        metric=Metric.READERS,
    ).filter(scope.readers())

    by_day: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in (
        rows.filter(metric=Metric.VIEW, dimension="")
        .values("day", "period")
        .annotate(total=Sum("count"))
    ):
        by_day[_day_label(row["day"], row["period"])][0] += int(row["total"])
    for row in readers_rows.values("day", "period").annotate(total=Sum("count")):
        by_day[_day_label(row["day"], row["period"])][1] += int(row["total"])
    today = timezone.localdate()
    if start <= today <= end:
        # Today's readers are not counted yet: the marks of the day say how many so far.
        live = ReaderMark.objects.filter(day=today, scope=scope.mark).count()
        by_day[today.isoformat()][1] += live
    days = sorted(by_day.items())
    views_total = sum(views for _day, (views, _readers) in days)
    daily = Section(
        slug="views",
        title=_("Page views and daily readers"),
        headings=[_("day"), _("page views"), _("daily readers")],
        rows=[[day, views, readers] for day, (views, readers) in days],
        chart=bar_chart(
            _("Page views by day"), [(day, views, f"{views:,}") for day, (views, _r) in days]
        ),
    )
    sections = [daily]

    if scope.kind in ("network", "mission", "blog"):
        per_entry = (
            rows.filter(metric=Metric.VIEW, dimension="")
            .exclude(entry_id=0)
            .values("entry_id")
            .annotate(total=Sum("count"))
            .order_by("-total")[:TOP]
        )
        titles = dict(
            EntryPage.objects.filter(pk__in=[r["entry_id"] for r in per_entry]).values_list(
                "pk", "title"
            )
        )
        pairs = [
            (
                titles.get(r["entry_id"], _("deleted entry %(id)s") % {"id": r["entry_id"]}),
                int(r["total"]),
            )
            for r in per_entry
        ]
        section = _section("entries", _("Most read entries"), _("entry"), pairs)
        section.links = {
            titles[r["entry_id"]]: f"?entry={r['entry_id']}&start={start}&end={end}"
            for r in per_entry
            if r["entry_id"] in titles
        }
        sections.append(section)

    languages = [(language_name(code), n) for code, n in _counts(rows, Metric.VIEW, "language")]
    sections.append(_section("languages", _("Page views by language"), _("language"), languages))
    referrers = [(_referrer_label(v), n) for v, n in _counts(rows, Metric.VIEW, "referrer")]
    sections.append(_section("referrers", _("Referring sites"), _("site"), referrers))
    devices = {"mobile": _("phone"), "tablet": _("tablet"), "desktop": _("computer")}
    sections.append(
        _section(
            "devices",
            _("Page views by device"),
            _("device"),
            [(devices.get(v, v), n) for v, n in _counts(rows, Metric.VIEW, "device")],
        )
    )
    sections.append(
        _section(
            "feeds", _("Feed fetches by reader"), _("reader"), _counts(rows, Metric.FEED, "reader")
        )
    )
    subscribers = (
        rows.filter(metric=Metric.SUBSCRIBERS)
        .values("value")
        .annotate(highest=Max("count"))
        .order_by("-highest", "value")
    )
    sections.append(
        _section(
            "subscribers",
            _("Feed subscribers reported by feed readers (highest in the period)"),
            _("reader"),
            [(row["value"], int(row["highest"])) for row in subscribers],
        )
    )
    sections.append(
        _section(
            "shares", _("Share-link clicks"), _("network"), _counts(rows, Metric.SHARE, "network")
        )
    )
    if scope.kind == "network":
        sections.append(
            _section(
                "searches", _("Top searches"), _("words"), _counts(rows, Metric.SEARCH, "query")
            )
        )
        sections.append(
            _section(
                "searches-empty",
                _("Searches that found nothing"),
                _("words"),
                _counts(rows, Metric.SEARCH_EMPTY, "query"),
            )
        )
    reasons = {
        "robot": _("robots, crawlers and previews"),
        "head": _("HEAD requests"),
        "prefetch": _("prefetches"),
    }
    excluded_pairs = [(reasons.get(v, v), n) for v, n in _counts(rows, Metric.EXCLUDED, "reason")]
    excluded_total = sum(n for _label, n in excluded_pairs)
    sections.append(
        _section("excluded", _("Requests not counted as readers"), _("reason"), excluded_pairs)
    )
    sections.extend(engagement_sections(scope=scope, start=start, end=end))
    sessions = session_section(scope=scope, start=start, end=end, rows=rows)
    if sessions is not None:
        sections.append(sessions)
    return Dashboard(scope, start, end, sections, views_total, excluded_total)


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def engagement_sections(*, scope: Scope, start: date, end: date) -> list[Section]:
    """Comments and questions received and answered, and the median time to the first
    official answer: in total, and by mission, blog and language."""
    kwargs: dict[str, int] = {}
    if scope.kind != "network":
        kwargs[f"{scope.kind}_id"] = scope.pk
    comments = reply_figures(start=_moment(start), end=_moment(end + timedelta(days=1)), **kwargs)
    sections = _answering_sections(
        comments,
        slug="conversation",
        titles={
            "total": _("Conversation: comments answered"),
            "mission": _("Conversation by mission"),
            "blog": _("Conversation by blog"),
            "language": _("Conversation by language"),
        },
        headings=[_("comments received"), _("answered"), _("median hours to first reply")],
        median=lambda figure: _decimal(figure.median_hours, 1),
    )
    sessions = scope.sessions()
    if sessions is None:
        return sections  # an entry takes no questions
    questions = question_figures(
        asked_from=_moment(start), asked_before=_moment(end + timedelta(days=1)), sessions=sessions
    )
    # In minutes, as the sessions' own table: a live session's answers come within the hour.
    sections += _answering_sections(
        questions,
        slug="questions",
        titles={
            "total": _("Question sessions: questions answered"),
            "mission": _("Questions by mission"),
            "blog": _("Questions by blog"),
            "language": _("Questions by language"),
        },
        headings=[_("questions asked"), _("answered"), _("median minutes to an answer")],
        median=lambda figure: _decimal(figure.median_minutes, 0),
    )
    return sections


def _decimal(value: float | None, places: int) -> str:
    return "–" if value is None else f"{value:.{places}f}"


def _answering_sections(
    report: dict[str, list[ReplyFigures]],
    *,
    slug: str,
    titles: dict[str, str],
    headings: list[str],
    median: Callable[[ReplyFigures], str],
) -> list[Section]:
    """One section for the total, then one for each of mission, blog and language that has
    more than one group (a mission's one blog says nothing more than the total)."""
    sections = []
    for name in ("total", "mission", "blog", "language"):
        figures = report[name]
        if name != "total" and len(figures) < 2:
            continue
        rows: list[list[Any]] = []
        bars: list[tuple[str, float, str]] = []
        for figure in figures:
            label = language_name(figure.label) if name == "language" else figure.label
            rows.append([label, figure.questions, figure.answered, median(figure)])
            bars.append((label, figure.questions, f"{figure.questions:,}"))
        chart = bar_chart(titles[name], bars)
        sections.append(
            Section(f"{slug}-{name}", titles[name], [_("group"), *headings], rows, chart)
        )
    return sections


def session_section(
    *, scope: Scope, start: date, end: date, rows: QuerySet[Figure]
) -> Section | None:
    """Per question session of the scope: questions asked in the period, answered, the
    median minutes to an answer (``questions.queries.session_report``), page views and daily
    readers of the session's pages. None for an entry's dashboard."""
    sessions = scope.sessions()
    if sessions is None:
        return None
    asked = {
        figure.session_id: figure
        for figure in session_report(
            asked_from=_moment(start),
            asked_before=_moment(end + timedelta(days=1)),
            sessions=sessions,
        )
    }
    views = dict(
        rows.filter(metric=Metric.VIEW, dimension=Dimension.SESSION)
        .values_list("value")
        .annotate(total=Sum("count"))
    )
    readers: dict[str, int] = defaultdict(int)
    read = Figure.objects.filter(
        Q(period=Period.DAY, day__gte=start, day__lte=end)
        | Q(period=Period.MONTH, day__gte=start.replace(day=1), day__lte=end),
        metric=Metric.READERS,
        dimension=Dimension.SESSION,
    ).filter(scope.figures())
    for value, total in read.values_list("value").annotate(total=Sum("count")):
        readers[value] += int(total)
    today = timezone.localdate()
    if start <= today <= end:
        # Today's readers are not counted yet: the marks of the day say how many so far.
        today_marks = (
            ReaderMark.objects.filter(day=today, scope__startswith="session:")
            .values_list("scope")
            .annotate(total=Count("digest"))
        )
        for mark, total in today_marks:
            readers[mark[8:]] += int(total)
    shown = {str(pk) for pk in asked} | set(views) | set(readers)
    titles = dict(
        sessions.filter(pk__in=[int(pk) for pk in shown if pk.isdecimal()]).values_list(
            "pk", "title"
        )
    )
    table: list[list[Any]] = []
    for pk, title in sorted(
        titles.items(), key=lambda item: (-views.get(str(item[0]), 0), item[1])
    ):
        figure = asked.get(pk)
        median = figure.median_minutes if figure else None
        table.append(
            [
                title,
                figure.received if figure else 0,
                figure.answered if figure else 0,
                f"{median:.0f}" if median is not None else "–",
                int(views.get(str(pk), 0)),
                readers.get(str(pk), 0),
            ]
        )
    title = _("Question sessions")
    return Section(
        slug="question-sessions",
        title=title,
        headings=[
            _("question session"),
            _("questions asked"),
            _("answered"),
            _("median minutes to an answer"),
            _("page views"),
            _("daily readers"),
        ],
        rows=table,
        chart=bar_chart(title, [(row[0], row[1], f"{row[1]:,}") for row in table]),
    )


def dashboard_csv(board: Dashboard) -> str:
    """Every table of a dashboard, one row per figure: section, label, then its values."""
    out = io.StringIO()
    writer = csv.writer(out)
    widest = max([4, *(len(row) for section in board.sections for row in section.rows)])
    values = ["value", *[f"value {n}" for n in range(2, widest)]]
    writer.writerow(["section", "label", *values])
    for section in board.sections:
        for row in section.rows:
            writer.writerow([section.slug, *[_csv_safe(cell) for cell in row]])
    return out.getvalue()


def _csv_safe(cell: Any) -> Any:
    # A spreadsheet runs a cell that starts with = + - @ as a formula: words searched are
    # readers' words, so they are quoted as text.
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + cell
    return cell


def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    after = (first + timedelta(days=32)).replace(day=1)
    return first, after - timedelta(days=1)


def mission_report(*, mission: Mission, month: date) -> Dashboard:
    start, end = month_bounds(month)
    return dashboard(scope=Scope("mission", mission.pk, mission.name), start=start, end=end)


def report_recipients(*, mission: Mission) -> list[str]:
    """The mission's editors: the active users, with an email address, of the bloggers of the
    mission or of its blogs."""
    bloggers = Blogger.objects.filter(Q(mission=mission) | Q(blogs__mission=mission))
    emails = bloggers.filter(user__is_active=True).values_list("user__email", flat=True)
    return sorted({email for email in emails if email})
