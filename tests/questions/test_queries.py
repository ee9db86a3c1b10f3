from datetime import timedelta

import pytest
from django.utils import timezone

from dragoman.questions import queries, services

from .conftest import session_make

pytestmark = pytest.mark.django_db


def test_report_counts_received_answered_and_median_wait(admin_user):
    session = session_make()
    start = timezone.now() - timedelta(hours=1)
    for minutes, body in [(10, "One?"), (30, "Two?")]:
        question = services.question_ask(session=session, body=body, now=start)
        question = services.question_approve(acting_user=admin_user, question=question)
        services.question_answer(
            acting_user=admin_user,
            question=question,
            answer="Yes.",
            now=start + timedelta(minutes=minutes),
        )
    services.question_ask(session=session, body="Three?")

    (figures,) = queries.session_report()

    assert (figures.received, figures.answered) == (3, 2)
    assert figures.median_minutes == pytest.approx(20)


def test_transcripts_are_ended_sessions_the_public_may_see():
    ended = session_make(ended=True)
    session_make()
    draft = session_make(ended=True, publish=False)

    assert list(queries.transcripts(None)) == [ended]
    assert draft not in queries.visible_sessions(None)
