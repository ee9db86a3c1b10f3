"""Every write to question sessions: ask, approve (with edits), dismiss, merge, pin, answer,
vote, and forgetting the votes once a session has ended.

Each service is one transaction. A change readers see writes its live events (``LiveEvent``)
in that transaction, then announces ``SessionChanged`` after the commit: the page cache
refreshes the session's pages, and the live streams send the events to every open page.
Changes to one session are made one at a time (its row is locked), so its events' ids are
in the order of their commits, which is what a reconnecting stream relies on.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from dragoman.conversations.defences import body_hash
from dragoman.core.changes import announce, shown_on

from . import dependencies
from .announcements import QuestionAnswered, SessionChanged
from .models import LiveEvent, Question, QuestionSessionPage, QuestionVote

Status = Question.Status


# Permissions ---------------------------------------------------------------------------------
def user_can_moderate(user: Any, *, session: QuestionSessionPage) -> bool:
    """Moderators (of questions or comments) and the session's own officials."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.has_perm("questions.moderate_question") or user.has_perm(
        "conversations.moderate_comment"
    ):
        return True
    return session.officials.filter(blogger__user=user).exists()


def _check_can_moderate(user: Any, session: QuestionSessionPage) -> None:
    if not user_can_moderate(user, session=session):
        raise PermissionDenied(_("You may not moderate this session's questions."))


# What every event carries ----------------------------------------------------------------------
def question_data(question: Question) -> dict[str, Any]:
    """A question as open pages show it: plain text only (pages insert it as text)."""
    return {
        "id": question.pk,
        "name": question.name,
        "body": question.body,
        "edited": question.edited,
        "votes": question.votes,
        "answer": question.answer,
        "answered_at": question.answered_at.isoformat() if question.answered_at else "",
    }


def session_state(session_id: int) -> dict[str, Any]:
    """How many approved questions wait, and which is being answered."""
    waiting = Question.objects.filter(session_id=session_id, status=Status.APPROVED).count()
    pinned = (
        Question.objects.filter(session_id=session_id, pinned=True).values("pk", "body").first()
    )
    return {
        "waiting": waiting,
        "answering": {"id": pinned["pk"], "body": pinned["body"]} if pinned else None,
    }


def _lock_session(session_id: int) -> None:
    # One change to a session at a time: its events' ids then follow the commits' order.
    list(
        QuestionSessionPage.objects.select_for_update(of=("self",))
        .filter(pk=session_id)
        .values_list("pk", flat=True)
    )


def _changed(
    session_id: int,
    events: list[tuple[str, Question | None]],
    *,
    answered: Question | None = None,
) -> list[LiveEvent]:
    """Write the live events, then announce the change (after the commit)."""
    state = session_state(session_id)
    rows = LiveEvent.objects.bulk_create(
        [
            LiveEvent(
                session_id=session_id,
                kind=kind,
                data={"question": question_data(question) if question else None, **state},
            )
            for kind, question in events
        ]
    )
    if rows and rows[0].pk is None:  # a database that does not return ids (none we run)
        rows = list(LiveEvent.objects.filter(session_id=session_id).order_by("-pk")[: len(rows)])
    pages = shown_on([dependencies.session(session_id)])
    ids = tuple(sorted(row.pk for row in rows))
    if answered is not None:
        announce(
            QuestionAnswered(
                session_id=session_id, event_ids=ids, question_id=answered.pk, shown_on=pages
            )
        )
    else:
        announce(SessionChanged(session_id=session_id, event_ids=ids, shown_on=pages))
    return rows


def _locked_question(question: Question) -> Question:
    _lock_session(question.session_id)
    return Question.objects.select_for_update().get(pk=question.pk)


# Sessions ----------------------------------------------------------------------------------------
def session_create(
    *,
    parent: Any,
    title: str,
    summary: str,
    starts_at: datetime,
    ends_at: datetime,
    officials: Sequence[Any] = (),
    language: str = "en",
    time_zone: str = "UTC",
    video_url: str = "",
    translation_of: QuestionSessionPage | None = None,
    translated: Sequence[tuple[Question, str, str]] = (),
    publish: bool = True,
    acting_user: Any = None,
) -> QuestionSessionPage:
    """Create a session page under a blog or the home page, as a first revision (published
    unless told not to), as editors do in the admin. A translated transcript gives
    ``translation_of`` and, for each question, its translated wording and answer."""
    from dragoman.blogs.services import unique_child_slug

    from .models import SessionOfficial, TranslatedQuestion

    session = QuestionSessionPage(
        title=title,
        slug=unique_child_slug(parent=parent, title=title),
        summary=summary,
        starts_at=starts_at,
        ends_at=ends_at,
        language=language,
        time_zone=time_zone,
        video_url=video_url,
        translation_of=translation_of,
        owner=acting_user,
        live=False,
    )
    session.officials.set(
        [SessionOfficial(blogger=blogger, sort_order=n) for n, blogger in enumerate(officials)]
    )
    session.translated_questions.set(
        [
            TranslatedQuestion(question=question, body=body, answer=answer, sort_order=n)
            for n, (question, body, answer) in enumerate(translated)
        ]
    )
    session.full_clean(exclude=["path", "depth", "slug"])
    parent.add_child(instance=session)
    revision = session.save_revision(user=acting_user, log_action=True)
    if publish:
        revision.publish(user=acting_user)
        session.refresh_from_db()
    return session


# Readers ----------------------------------------------------------------------------------------
@transaction.atomic
def question_ask(
    *,
    session: QuestionSessionPage,
    body: str,
    name: str = "",
    ip_hash: str = "",
    now: datetime | None = None,
) -> Question:
    """Store a reader's question, durably, before the reader is thanked; it waits for a
    moderator. Precondition: the request passed the defences (the view checks). Raises
    ValidationError when the session takes no questions or the same question was sent."""
    now = now or timezone.now()
    if not session.accepts_questions(now) and not _imported(now):
        raise ValidationError({"body": _("This session no longer takes questions.")})
    digest = body_hash(body)
    duplicate = (
        Question.objects.filter(session=session, body_hash=digest)
        .exclude(status=Status.DISMISSED, merged_into__isnull=True)
        .exists()
    )
    if duplicate:
        raise ValidationError({"body": _("This question has already been asked.")})
    question = Question(
        session=session,
        name=name.strip(),
        body=body.strip(),
        body_hash=digest,
        ip_hash=ip_hash,
        status=Status.PENDING,
        created_at=now,
    )
    question.full_clean()
    question.save()
    return question


def _imported(now: datetime) -> bool:
    # A question dated in the past is written by the demo or an import, not by a reader.
    return now < timezone.now() - timedelta(minutes=1)


@transaction.atomic
def question_vote(*, question: Question, voter: str) -> bool:
    """Count one reader's vote (``voter`` is the keyed hash of the client and session).
    Returns False, counting nothing, for a second vote by the same reader. Only approved
    questions of a session still running take votes."""
    question = _locked_question(question)
    if question.status != Status.APPROVED or question.session.has_ended():
        raise ValidationError(_("This question does not take votes."))
    try:
        with transaction.atomic():
            QuestionVote.objects.create(
                question=question, session_id=question.session_id, voter=voter
            )
    except IntegrityError:
        return False
    Question.objects.filter(pk=question.pk).update(votes=F("votes") + 1)
    question.refresh_from_db(fields=["votes"])
    _changed(question.session_id, [(LiveEvent.Kind.VOTES, question)])
    return True


# Moderators and officials ---------------------------------------------------------------------
@transaction.atomic
def question_approve(*, acting_user: Any, question: Question, body: str | None = None) -> Question:
    """Approve a question, in the moderator's wording when given (the asker's is kept, and
    the page says it was edited)."""
    question = _locked_question(question)
    _check_can_moderate(acting_user, question.session)
    if body is not None:
        _question_reword(question, body)
    if question.status in (Status.PENDING, Status.DISMISSED):
        question.status = Status.APPROVED
        question.approved_at = timezone.now()
        question.merged_into = None
    question.full_clean()
    question.save()
    if question.status in (Status.APPROVED, Status.ANSWERED):
        _changed(question.session_id, [(LiveEvent.Kind.APPROVED, question)])
    return question


def _question_reword(question: Question, body: str) -> None:
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("A question cannot be empty.")})
    if body != question.body:
        if not question.original_body:
            question.original_body = question.body
        question.body = body
        question.body_hash = body_hash(body)


@transaction.atomic
def question_edit(*, acting_user: Any, question: Question, body: str) -> Question:
    """Change a question's wording (noted as edited) without changing its status."""
    question = _locked_question(question)
    _check_can_moderate(acting_user, question.session)
    _question_reword(question, body)
    question.full_clean()
    question.save()
    if question.status in (Status.APPROVED, Status.ANSWERED):
        _changed(question.session_id, [(LiveEvent.Kind.APPROVED, question)])
    return question


@transaction.atomic
def question_dismiss(*, acting_user: Any, question: Question) -> Question:
    question = _locked_question(question)
    _check_can_moderate(acting_user, question.session)
    was_public = question.status in (Status.APPROVED, Status.ANSWERED)
    question.status = Status.DISMISSED
    question.pinned = False
    question.save()
    if was_public:
        _changed(question.session_id, [(LiveEvent.Kind.WITHDRAWN, question)])
    return question


@transaction.atomic
def question_merge(*, acting_user: Any, question: Question, into: Question) -> Question:
    """A duplicate joins the question it repeats: dismissed, its votes carried over."""
    if question.pk == into.pk or question.session_id != into.session_id:
        raise ValidationError(_("A question merges into another question of the same session."))
    question = _locked_question(question)
    into = Question.objects.select_for_update().get(pk=into.pk)
    _check_can_moderate(acting_user, question.session)
    if into.status == Status.DISMISSED:
        raise ValidationError(_("Merge into a question that is not dismissed."))
    was_public = question.status in (Status.APPROVED, Status.ANSWERED)
    into.votes += question.votes
    into.save(update_fields=["votes"])
    question.status = Status.DISMISSED
    question.merged_into = into
    question.pinned = False
    question.save()
    events: list[tuple[str, Question | None]] = []
    if was_public:
        events.append((LiveEvent.Kind.WITHDRAWN, question))
    if into.status in (Status.APPROVED, Status.ANSWERED):
        events.append((LiveEvent.Kind.VOTES, into))
    if events:
        _changed(question.session_id, events)
    return question


@transaction.atomic
def question_pin(*, acting_user: Any, question: Question) -> Question:
    """Make this the question being answered now (only one per session)."""
    question = _locked_question(question)
    _check_can_moderate(acting_user, question.session)
    if question.status != Status.APPROVED:
        raise ValidationError(_("Only an approved question waiting for its answer is pinned."))
    Question.objects.filter(session_id=question.session_id, pinned=True).exclude(
        pk=question.pk
    ).update(pinned=False)
    question.pinned = True
    question.save(update_fields=["pinned"])
    _changed(question.session_id, [(LiveEvent.Kind.PINNED, question)])
    return question


@transaction.atomic
def question_unpin(*, acting_user: Any, question: Question) -> Question:
    question = _locked_question(question)
    _check_can_moderate(acting_user, question.session)
    if question.pinned:
        question.pinned = False
        question.save(update_fields=["pinned"])
        _changed(question.session_id, [(LiveEvent.Kind.PINNED, None)])
    return question


@transaction.atomic
def question_answer(
    *, acting_user: Any, question: Question, answer: str, now: datetime | None = None
) -> Question:
    """The official's answer in text: shown at once on every open page."""
    question = _locked_question(question)
    _check_can_moderate(acting_user, question.session)
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": _("Please write the answer.")})
    if question.status not in (Status.APPROVED, Status.ANSWERED):
        raise ValidationError(_("Approve the question before answering it."))
    question.answer = answer
    question.status = Status.ANSWERED
    question.answered_at = question.answered_at or now or timezone.now()
    question.answered_by = acting_user if getattr(acting_user, "pk", None) else None
    question.pinned = False
    question.full_clean()
    question.save()
    _changed(question.session_id, [(LiveEvent.Kind.ANSWERED, question)], answered=question)
    return question


# Housekeeping -----------------------------------------------------------------------------------
def votes_forget(*, now: datetime | None = None) -> int:
    """Delete the votes of every session that has ended: who voted is kept only while the
    session runs (the counts stay on the questions)."""
    ended = QuestionSessionPage.objects.filter(ends_at__lte=now or timezone.now())
    deleted, _by_model = QuestionVote.objects.filter(session__in=ended.values("pk")).delete()
    return deleted


# A session that ended within this long is announced again by each run of the job (every
# minute): announcing twice only refreshes the same pages twice.
ENDED_WINDOW = timedelta(minutes=3)


def sessions_ended_announce(*, now: datetime | None = None) -> list[int]:
    """A session becomes a transcript when its time ends, with no change of its own: announce
    it, so that the cached feeds (the transcripts' and the network's) and the sitemap take it in,
    and its page says it has ended. Returns the sessions announced."""
    from dragoman.blogs.dependencies import FEEDS, SITEMAP

    now = now or timezone.now()
    ended = list(
        QuestionSessionPage.objects.filter(
            ends_at__lte=now, ends_at__gt=now - ENDED_WINDOW
        ).values_list("pk", flat=True)
    )
    for session_id in ended:
        pages = shown_on([dependencies.session(session_id), FEEDS, SITEMAP])
        announce(SessionChanged(session_id=session_id, shown_on=pages))
    return ended
