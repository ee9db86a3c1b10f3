from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dragoman.core.changes import listen, unlisten
from dragoman.questions import services
from dragoman.questions.announcements import QuestionAnswered, SessionChanged
from dragoman.questions.models import LiveEvent, Question, QuestionVote

pytestmark = pytest.mark.django_db

Status = Question.Status


def asked(session, body="When will the new visa rules apply?", **kwargs):
    return services.question_ask(session=session, body=body, **kwargs)


def test_moderator_edits_the_wording_before_approving_and_it_is_noted(session, admin_user):
    question = asked(session, body="wen visa rules??")

    question = services.question_approve(
        acting_user=admin_user, question=question, body="When do the new visa rules apply?"
    )

    assert question.status == Status.APPROVED
    assert question.body == "When do the new visa rules apply?"
    assert question.original_body == "wen visa rules??"
    assert question.edited


def test_approving_writes_a_live_event_and_announces_after_commit(
    session, admin_user, django_capture_on_commit_callbacks
):
    heard = []
    listen(SessionChanged, heard.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.question_approve(acting_user=admin_user, question=asked(session))
    finally:
        unlisten(heard.append)

    event = LiveEvent.objects.get()
    assert event.kind == LiveEvent.Kind.APPROVED
    assert event.data["waiting"] == 1
    assert heard[0].event_ids == (event.pk,)
    assert heard[0].shown_on == (f"session:{session.pk}",)


def test_pending_questions_write_no_event(session):
    asked(session)

    assert not LiveEvent.objects.exists()


def test_merge_carries_the_votes_and_dismisses_the_duplicate(session, admin_user):
    first = services.question_approve(acting_user=admin_user, question=asked(session))
    second = services.question_approve(
        acting_user=admin_user, question=asked(session, body="When do visa rules change?")
    )
    services.question_vote(question=second, voter="a")
    services.question_vote(question=first, voter="b")

    services.question_merge(acting_user=admin_user, question=second, into=first)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.votes == 2
    assert second.status == Status.DISMISSED
    assert second.merged_into == first
    with pytest.raises(ValidationError):
        services.question_merge(acting_user=admin_user, question=first, into=first)


def test_one_question_pinned_at_a_time_and_answering_unpins(session, admin_user):
    one = services.question_approve(acting_user=admin_user, question=asked(session))
    two = services.question_approve(
        acting_user=admin_user, question=asked(session, body="Another?")
    )

    services.question_pin(acting_user=admin_user, question=one)
    services.question_pin(acting_user=admin_user, question=two)

    assert list(Question.objects.filter(pinned=True)) == [two]
    assert services.session_state(session.pk)["answering"]["id"] == two.pk
    services.question_answer(acting_user=admin_user, question=two, answer="Soon.")
    assert services.session_state(session.pk) == {"waiting": 1, "answering": None}


def test_answer_is_announced_as_answered(session, admin_user, django_capture_on_commit_callbacks):
    question = services.question_approve(acting_user=admin_user, question=asked(session))
    heard = []
    listen(QuestionAnswered, heard.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.question_answer(acting_user=admin_user, question=question, answer="Soon.")
    finally:
        unlisten(heard.append)

    assert heard[0].question_id == question.pk
    question.refresh_from_db()
    assert question.status == Status.ANSWERED and question.answered_at


def test_pending_question_cannot_be_answered_or_pinned_and_empty_answer_refused(
    session, admin_user
):
    question = asked(session)

    with pytest.raises(ValidationError):
        services.question_answer(acting_user=admin_user, question=question, answer="Yes.")
    with pytest.raises(ValidationError):
        services.question_pin(acting_user=admin_user, question=question)
    approved = services.question_approve(acting_user=admin_user, question=question)
    with pytest.raises(ValidationError):
        services.question_answer(acting_user=admin_user, question=approved, answer="   ")


def test_readers_and_strangers_may_not_moderate(session):
    stranger = get_user_model().objects.create_user("stranger", password="x")

    with pytest.raises(PermissionDenied):
        services.question_approve(acting_user=stranger, question=asked(session))


def test_the_sessions_official_may_moderate(session):
    user = get_user_model().objects.create_user("official", password="x")
    blogger = session.officials.first().blogger
    blogger.user = user
    blogger.save()

    assert services.user_can_moderate(user, session=session)


def test_dismissed_question_leaves_open_pages(session, admin_user):
    question = services.question_approve(acting_user=admin_user, question=asked(session))

    services.question_dismiss(acting_user=admin_user, question=question)

    assert LiveEvent.objects.order_by("pk").last().kind == LiveEvent.Kind.WITHDRAWN


def test_votes_counted_once_and_forgotten_after_the_session(session, admin_user):
    question = services.question_approve(acting_user=admin_user, question=asked(session))

    assert services.question_vote(question=question, voter="reader-1") is True
    assert services.question_vote(question=question, voter="reader-1") is False
    assert services.votes_forget() == 0  # the session still runs
    assert services.votes_forget(now=session.ends_at + timedelta(minutes=1)) == 1
    assert not QuestionVote.objects.exists()
    question.refresh_from_db()
    assert question.votes == 1


def test_ended_session_takes_no_question_and_no_vote(db, admin_user):
    from .conftest import session_make

    session = session_make()
    question = services.question_approve(acting_user=admin_user, question=asked(session))
    type(session).objects.filter(pk=session.pk).update(
        ends_at=timezone.now() - timedelta(minutes=1)
    )
    session.refresh_from_db()

    with pytest.raises(ValidationError):
        asked(session, body="Too late?")
    with pytest.raises(ValidationError):
        services.question_vote(question=question, voter="late")
