"""Reads of question sessions: the session page, the live screen, transcripts, the report."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dragoman.blogs.models import BlogPage, Reader
from dragoman.conversations.queries import AnsweringRow, ReplyFigures, answering_figures
from dragoman.core.prepared import Contains, PreparedQuery

from .models import LiveEvent, Question, QuestionSessionPage, SessionOfficial, TranslatedQuestion

Status = Question.Status


@dataclass
class ShownQuestion:
    """A question as a page shows it, in the page's language when translated."""

    question: Question
    body: str
    answer: str

    @property
    def pk(self) -> int:
        return int(self.question.pk)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.question, name)


def visible_sessions(reader: Reader = None) -> QuerySet[QuestionSessionPage]:
    return QuestionSessionPage.objects.visible(reader)


def transcripts(
    reader: Reader = None, *, now: datetime | None = None
) -> QuerySet[QuestionSessionPage]:
    """Sessions that have ended, as this reader may see them, newest first."""
    now = now or timezone.now()
    return (
        QuestionSessionPage.objects.visible(reader, now=now)
        .ended(now=now)
        # Read from the sessions' own ids: the rule's date is the page's first publication,
        # and SQLite walked Wagtail's index on it through every page of the network (every
        # entry: 0.9 s at 100,000) looking for the few that are sessions.
        .filter(pk__in=QuestionSessionPage.objects.order_by().values("pk"))
        .order_by("-ends_at", "-pk")
    )


def last_event_id(session_id: int) -> int:
    return (
        LiveEvent.objects.filter(session_id=session_id)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
        or 0
    )


def _shown(
    questions: list[Question], translated: dict[int, TranslatedQuestion]
) -> list[ShownQuestion]:
    shown = []
    for question in questions:
        version = translated.get(question.pk)
        shown.append(
            ShownQuestion(
                question,
                version.body if version else question.body,
                (version.answer or question.answer) if version else question.answer,
            )
        )
    return shown


def live_url(page_id: int, language: str = "") -> str:
    """Where the page opens its stream: the site's own /live/ (a front server routes it),
    or the live server's origin when it has one of its own (``dragoman serve``). The stream
    is the page's own (a translation's shows its wording) in the interface language the page
    is shown in, so what arrives reads as the page does."""
    origin = getattr(settings, "DRAGOMAN_LIVE_URL", "").rstrip("/")
    query = f"?lang={language}" if language else ""
    return f"{origin}/live/questions/{page_id}/events{query}"


def live_version(page_id: int) -> tuple[int, dict[int, tuple[str, str]]] | None:
    """For the live streams of a session page the public may see: the session whose events it
    shows (its original when a translation) and its translated questions (id: wording,
    answer); None when the public may not see it."""
    page = (
        QuestionSessionPage.objects.visible(None)
        .filter(pk=page_id)
        .values_list("pk", "translation_of_id")
        .first()
    )
    if page is None:
        return None
    if page[1] is None:
        return page[0], {}
    translated = TranslatedQuestion.objects.filter(page_id=page_id).values_list(
        "question_id", "body", "answer"
    )
    return page[1], {question: (body, answer) for question, body, answer in translated}


def live_port() -> int:
    """The live server's own port on this host, when pages reach it directly (``dragoman
    serve`` without a front server); 0 when the site's own /live/ leads there."""
    if getattr(settings, "DRAGOMAN_LIVE_URL", ""):
        return 0
    return int(getattr(settings, "DRAGOMAN_LIVE_PORT", 0) or 0)


def session_page_context(*, session: QuestionSessionPage) -> dict[str, Any]:
    """Everything the session page shows, in a fixed number of queries."""
    from .forms import QuestionForm

    original = session.original
    public = list(
        Question.objects.filter(
            session=original, status__in=[Status.APPROVED, Status.ANSWERED]
        ).order_by("-votes", "created_at", "pk")
    )
    translated: dict[int, TranslatedQuestion] = {}
    if session.translation_of_id:
        translated = {t.question_id: t for t in session.translated_questions.all()}
    answered = sorted(
        (q for q in public if q.status == Status.ANSWERED),
        key=lambda q: (q.answered_at or q.created_at, q.pk),
    )
    waiting = [q for q in public if q.status == Status.APPROVED]
    answering = next((q for q in waiting if q.pinned), None)
    officials = [
        official.blogger
        for official in SessionOfficial.objects.filter(session=original)
        .select_related("blogger")
        .order_by("sort_order", "pk")
    ]
    zone = original.zone
    now = timezone.now()
    return {
        "session": original,
        "officials": officials,
        "answered": _shown(answered, translated),
        "waiting": _shown(waiting, translated),
        "waiting_count": len(waiting),
        "answering": answering,
        "starts_at": timezone.localtime(session.starts_at, zone),
        "ends_at": timezone.localtime(session.ends_at, zone),
        "time_zone_name": original.time_zone,
        "has_started": session.has_started(now),
        "has_ended": session.has_ended(now),
        "accepts_questions": session.accepts_questions(now),
        "question_form": QuestionForm(session_id=session.pk)
        if session.accepts_questions(now)
        else None,
        "last_event_id": last_event_id(original.pk),
        "live_url": live_url(session.pk, translation.get_language() or ""),
        "live_port": live_port(),
        "language_versions": language_versions(session),
    }


def language_versions(session: QuestionSessionPage) -> list[QuestionSessionPage]:
    """The session and its live translations (the original first)."""
    original_id = session.translation_of_id or session.pk
    pages = QuestionSessionPage.objects.live().filter(
        pk=original_id
    ) | QuestionSessionPage.objects.live().filter(translation_of_id=original_id)
    return sorted(pages, key=lambda page: (page.translation_of_id is not None, page.language))


# The live screen ---------------------------------------------------------------------------
def moderation_queue(*, session: QuestionSessionPage) -> dict[str, list[Question]]:
    questions = list(Question.objects.filter(session=session).order_by("created_at", "pk"))
    by_status: dict[str, list[Question]] = {status: [] for status in Status.values}
    for question in questions:
        by_status[question.status].append(question)
    by_status[Status.APPROVED].sort(key=lambda q: (not q.pinned, -q.votes, q.created_at))
    return by_status


def moderatable_sessions() -> QuerySet[QuestionSessionPage]:
    return QuestionSessionPage.objects.filter(translation_of__isnull=True).order_by("-starts_at")


# The answering report ----------------------------------------------------------------------
@dataclass(frozen=True)
class SessionFigures:
    label: str
    received: int
    answered: int
    median_wait: timedelta | None
    session_id: int = 0

    @property
    def median_minutes(self) -> float | None:
        if self.median_wait is None:
            return None
        return self.median_wait.total_seconds() / 60


def _asked(
    *,
    asked_from: datetime | None,
    asked_before: datetime | None,
    sessions: QuerySet[QuestionSessionPage] | None,
) -> QuerySet[Question]:
    """The questions the figures count: every one asked, but a duplicate merged into another
    (that one is counted), in a period and to the sessions given, when given."""
    questions = Question.objects.filter(merged_into__isnull=True)
    if asked_from is not None:
        questions = questions.filter(created_at__gte=asked_from)
    if asked_before is not None:
        questions = questions.filter(created_at__lt=asked_before)
    if sessions is not None:
        questions = questions.filter(session__in=sessions)
    return questions


def _wait(created_at: datetime, answered_at: datetime | None, status: str) -> timedelta | None:
    """How long a question waited for its answer; None while unanswered."""
    return answered_at - created_at if status == Status.ANSWERED and answered_at else None


def session_report(
    *,
    asked_from: datetime | None = None,
    asked_before: datetime | None = None,
    sessions: QuerySet[QuestionSessionPage] | None = None,
) -> list[SessionFigures]:
    """Per session: questions received, answered, and the median wait from question to
    answer; only the questions asked in a period and the sessions given, when given (the
    evaluation's figures). One query."""
    questions = _asked(asked_from=asked_from, asked_before=asked_before, sessions=sessions)
    rows = questions.values_list(
        "session__title", "session_id", "created_at", "answered_at", "status"
    ).order_by("session_id")
    grouped: dict[tuple[str, int], list[timedelta | None]] = {}
    for title, session_id, created_at, answered_at, status in rows:
        grouped.setdefault((title, session_id), []).append(_wait(created_at, answered_at, status))
    figures = []
    for (title, session_id), waits in grouped.items():
        done = [wait.total_seconds() for wait in waits if wait is not None]
        median = timedelta(seconds=statistics.median(done)) if done else None
        figures.append(SessionFigures(title, len(waits), len(done), median, session_id))
    return figures


def question_figures(
    *,
    asked_from: datetime,
    asked_before: datetime,
    sessions: QuerySet[QuestionSessionPage] | None = None,
) -> dict[str, list[ReplyFigures]]:
    """The answering report of the questions asked in a period (to the sessions given, when
    given), grouped as the comments' are (``conversations.queries.reply_figures``): by blog,
    mission and language, plus the whole as "total". Two queries.

    A question is in its session's language (the public asks in the session's language; a
    question has none of its own, and a translated transcript takes no questions). It belongs
    to the blog its session stands under, and to that blog's mission; a session under the
    network's home page belongs to no blog and no mission."""
    rows = list(
        _asked(asked_from=asked_from, asked_before=asked_before, sessions=sessions).values_list(
            "created_at", "answered_at", "status", "session__path", "session__language"
        )
    )
    steplen = QuestionSessionPage.steplen
    blogs = {
        path: (title, mission or "")
        for path, title, mission in BlogPage.objects.filter(
            path__in={row[3][:-steplen] for row in rows}
        ).values_list("path", "title", "mission__name")
    }
    return answering_figures(
        AnsweringRow(
            blog=blogs.get(path[:-steplen], ("", ""))[0],
            mission=blogs.get(path[:-steplen], ("", ""))[1],
            language=language,
            wait=_wait(created_at, answered_at, status),
        )
        for created_at, answered_at, status, path, language in rows
    )


def report_context() -> dict[str, Any]:
    return {"sessions": session_report()}


def _naming_every_word(count: int) -> PreparedQuery[QuestionSessionPage]:
    """The sessions, in any state, holding each of `count` words in the title, the summary,
    or a question answered or translated (`matching_transcripts` applies the rule after)."""

    def build(**words: str) -> QuerySet[QuestionSessionPage]:
        found = QuestionSessionPage.objects.only("pk").order_by()
        for word in words.values():
            # Each word's questions in a subquery of their own: joined, two words made four
            # joins and a DISTINCT, whose planning alone cost milliseconds on every search.
            in_question = Q(body__icontains=word) | Q(answer__icontains=word)
            found = found.filter(
                Q(title__icontains=word)
                | Q(summary__icontains=word)
                | Exists(
                    Question.objects.filter(
                        in_question, session=OuterRef("pk"), status=Status.ANSWERED
                    )
                )
                | Exists(TranslatedQuestion.objects.filter(in_question, page=OuterRef("pk")))
            )
        return found

    return PreparedQuery(build, **{f"word{index}": Contains for index in range(count)})


# One statement per number of words, compiled once: building it with the ORM cost 2.3 ms of
# every site search, most of which find no session at all.
_naming: dict[int, PreparedQuery[QuestionSessionPage]] = {}


def matching_transcripts(query: Any, limit: int) -> list[Any]:
    """Transcripts the site search finds (``search.queries.search_find_also``): every word in
    the title, the summary, or a question or answer shown (translated ones too), among the
    transcripts the public may see (``transcripts(None)``)."""
    from dragoman.search.queries import AlsoFound

    words = query.words
    if not words:
        return []
    if len(words) not in _naming:
        _naming[len(words)] = _naming_every_word(len(words))
    named = _naming[len(words)](**{f"word{index}": word for index, word in enumerate(words)})
    if not named:
        return []
    # The rule, on the few sessions that hold the words.
    found = transcripts(None).filter(pk__in=[session.pk for session in named])
    kind = _("Question session")
    return [
        AlsoFound(
            title=session.title,
            url=str(session.url),
            summary=session.summary,
            kind=kind,
            date=session.ends_at,
        )
        for session in found[:limit]
    ]
