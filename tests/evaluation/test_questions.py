"""Question sessions in the figures: questions asked and answered (read from the questions'
own report), the session page's views and daily readers (counted as every public page is),
in the dashboard of its blog, mission and the network, its CSV and the monthly report."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dragoman.evaluation import counting, queries, services
from dragoman.evaluation.models import Figure, ReaderMark
from dragoman.questions import services as questions
from tests.factories import BlogFactory, MissionFactory, QuestionSessionFactory

pytestmark = pytest.mark.django_db

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


@pytest.fixture
def session(admin_user):
    mission = MissionFactory()
    blog = BlogFactory(mission=mission)
    session = QuestionSessionFactory(parent=blog, title="Ask the consul", officials=[])
    answered_ask(admin_user, session, [10, 30])
    questions.question_ask(session=session, body="Can I bring my dog?")
    return session


def answered_ask(admin_user, session, minutes: list[int]) -> None:
    """One question asked 50 minutes ago for each number, answered that many minutes later."""
    asked = timezone.now() - timedelta(minutes=50)
    for n, wait in enumerate(minutes):
        question = questions.question_ask(
            session=session, body=f"Question {n} to {session.title}?", now=asked
        )
        question = questions.question_approve(acting_user=admin_user, question=question)
        questions.question_answer(
            acting_user=admin_user,
            question=question,
            answer="Yes.",
            now=asked + timedelta(minutes=wait),
        )


def row_of(board, title):
    (section,) = [s for s in board.sections if s.slug == "question-sessions"]
    (row,) = [row for row in section.rows if row[0] == title]
    return row


def test_a_sessions_questions_views_and_readers_are_in_its_blogs_mission_and_network(
    client, counting_on, session
):
    for address in ("192.0.2.1", "192.0.2.1", "192.0.2.2"):
        client.get(session.url, HTTP_USER_AGENT=FIREFOX, REMOTE_ADDR=address)
    client.get(session.url, HTTP_USER_AGENT=GOOGLEBOT)
    counting.flush()
    today = timezone.localdate()
    blog = session.get_parent().specific

    for scope in (
        queries.Scope("network"),
        queries.Scope("mission", blog.mission_id),
        queries.Scope("blog", blog.pk),
    ):
        board = queries.dashboard(scope=scope, start=today, end=today)

        # asked, answered, median minutes to an answer, page views, daily readers (so far)
        assert row_of(board, "Ask the consul") == ["Ask the consul", 3, 2, "20", 3, 2]


def test_a_sessions_readers_are_kept_apart_from_its_blogs_when_the_day_closes(
    client, counting_on, session
):
    for address in ("192.0.2.1", "192.0.2.2"):
        client.get(session.url, HTTP_USER_AGENT=FIREFOX, REMOTE_ADDR=address)
    counting.flush()
    today = timezone.localdate()
    blog = session.get_parent().specific

    services.day_close(day=today)

    assert not ReaderMark.objects.exists()
    stored = Figure.objects.get(metric="readers", dimension="session")
    assert (stored.value, stored.blog_id, stored.count) == (str(session.pk), blog.pk, 2)
    board = queries.dashboard(scope=queries.Scope("blog", blog.pk), start=today, end=today)
    assert row_of(board, "Ask the consul")[5] == 2
    assert board.sections[0].rows == [[today.isoformat(), 2, 2]]  # the blog's own readers


def test_questions_asked_before_the_period_are_not_in_it(session):
    tomorrow = timezone.localdate() + timedelta(days=1)

    board = queries.dashboard(scope=queries.Scope("network"), start=tomorrow, end=tomorrow)

    (section,) = [s for s in board.sections if s.slug == "question-sessions"]
    assert section.rows == []


def test_an_entrys_dashboard_has_no_sessions_and_another_blogs_none_of_this_one(session):
    today = timezone.localdate()
    other = BlogFactory()

    entry_board = queries.dashboard(scope=queries.Scope("entry", 1), start=today, end=today)
    other_board = queries.dashboard(scope=queries.Scope("blog", other.pk), start=today, end=today)

    assert "question-sessions" not in [s.slug for s in entry_board.sections]
    (section,) = [s for s in other_board.sections if s.slug == "question-sessions"]
    assert section.rows == []


def test_the_csv_and_the_monthly_report_carry_the_sessions(client, admin_user, session):
    client.force_login(admin_user)
    today = timezone.localdate()
    blog = session.get_parent().specific

    response = client.get(
        reverse("evaluation_admin:dashboard"),
        {"start": today, "end": today, "format": "csv"},
    )
    report = client.get(
        reverse("evaluation_admin:report", args=[blog.mission_id, today.year, today.month])
    )

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:2] == ["section", "label"] and len(rows[0]) == 7
    assert ["question-sessions", "Ask the consul", "3", "2", "20", "0", "0"] in rows
    assert "Ask the consul" in report.content.decode()
