"""Question sessions in the figures: questions asked and answered (read from the questions'
own report), per session and, as comments are, per mission, blog and language; the session
page's views and daily readers (counted as every public page is), in the dashboard of its
blog, mission and the network, its CSV and the monthly report."""

import csv
import io
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from dragoman.blogs.services import network_ensure
from dragoman.evaluation import counting, queries, services
from dragoman.evaluation.models import Figure, ReaderMark
from dragoman.evaluation.queries import Scope
from dragoman.questions import services as questions
from tests.factories import BlogFactory, EntryFactory, MissionFactory, QuestionSessionFactory

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


# Questions by mission, blog and language, as comments are counted ---------------------------
@pytest.fixture
def network_of_questions(admin_user):
    """Questions to four sessions: in English under the embassy in Paris's blog "Paris notes"
    (answered in 10 and 30 minutes, a third not), in French under its blog "Lettres de Paris"
    (answered in 5), in English under the consulate in Lyon's blog (answered in 40), and in
    Arabic under the network's home page, no blog's and no mission's (not answered)."""
    paris = MissionFactory(name="Embassy in Paris")
    lyon = MissionFactory(name="Consulate in Lyon")
    notes = BlogFactory(title="Paris notes", mission=paris)
    english = QuestionSessionFactory(parent=notes, title="Ask the ambassador", officials=[])
    answered_ask(admin_user, english, [10, 30])
    questions.question_ask(session=english, body="Can I bring my dog?")
    french = QuestionSessionFactory(
        parent=BlogFactory(title="Lettres de Paris", mission=paris),
        title="Questions à l'ambassadeur",
        language="fr",
        officials=[],
    )
    answered_ask(admin_user, french, [5])
    answered_ask(
        admin_user,
        QuestionSessionFactory(parent=BlogFactory(title="Lyon notes", mission=lyon)),
        [40],
    )
    home, _index = network_ensure()
    network = QuestionSessionFactory(parent=home, title="اسأل السفير", language="ar")
    questions.question_ask(session=network, body="متى تفتح التأشيرات؟")
    return paris, notes


def question_tables(scope: Scope) -> dict[str, list[list]]:
    # From yesterday: the questions were asked 50 minutes ago, yesterday in the first hour.
    today = timezone.localdate()
    board = queries.dashboard(scope=scope, start=today - timedelta(days=1), end=today)
    return {s.slug: s.rows for s in board.sections if s.slug.startswith("questions-")}


def test_the_networks_questions_are_counted_by_mission_blog_and_language(network_of_questions):
    tables = question_tables(Scope("network"))

    # asked, answered, median minutes to an answer
    assert tables["questions-total"] == [["Total", 6, 4, "20"]]
    assert tables["questions-mission"] == [
        ["Consulate in Lyon", 1, 1, "40"],
        ["Embassy in Paris", 4, 3, "10"],
        ["No mission", 1, 0, "–"],
    ]
    assert tables["questions-blog"] == [
        ["Lettres de Paris", 1, 1, "5"],
        ["Lyon notes", 1, 1, "40"],
        ["No blog", 1, 0, "–"],
        ["Paris notes", 3, 2, "20"],
    ]
    # Each question in its session's language.
    assert tables["questions-language"] == [
        ["Arabic", 1, 0, "–"],
        ["English", 4, 3, "30"],
        ["French", 1, 1, "5"],
    ]


def test_a_missions_questions_are_those_of_its_blogs_and_a_blogs_its_own(network_of_questions):
    paris, notes = network_of_questions

    mission = question_tables(Scope("mission", paris.pk))
    blog = question_tables(Scope("blog", notes.pk))

    assert mission == {
        "questions-total": [["Total", 4, 3, "10"]],
        # A mission's own name again says nothing more than the total: no table by mission.
        "questions-blog": [["Lettres de Paris", 1, 1, "5"], ["Paris notes", 3, 2, "20"]],
        "questions-language": [["English", 3, 2, "20"], ["French", 1, 1, "5"]],
    }
    assert blog == {"questions-total": [["Total", 3, 2, "20"]]}


def test_an_entrys_dashboard_counts_no_questions(network_of_questions):
    entry = EntryFactory(blog=network_of_questions[1])

    assert question_tables(Scope("entry", entry.pk)) == {}


def test_the_dashboard_csv_and_monthly_report_show_the_questions_by_blog_and_language(
    client, admin_user, network_of_questions
):
    paris, _notes = network_of_questions
    client.force_login(admin_user)
    today = timezone.localdate()
    period = {"mission": paris.pk, "start": today - timedelta(days=1), "end": today}

    page = BeautifulSoup(
        client.get(reverse("evaluation_admin:dashboard"), period).content, "html.parser"
    )
    response = client.get(reverse("evaluation_admin:dashboard"), {**period, "format": "csv"})
    report = client.get(
        reverse("evaluation_admin:report", args=[paris.pk, today.year, today.month])
    )

    section = page.select_one("#figure-questions-language").find_parent("section")
    assert section.select_one("svg[role=img] title").text == "Questions by language"
    assert [text.text for text in section.select("svg text")] == ["English", "3", "French", "1"]
    assert [th.text.strip() for th in section.select("tbody th")] == ["English", "French"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert ["questions-blog", "Lettres de Paris", "1", "1", "5"] in rows
    assert ["questions-language", "English", "3", "2", "20"] in rows
    printed = BeautifulSoup(report.content, "html.parser")
    blogs = printed.select_one("#figure-questions-blog").find_parent("section")
    assert [th.text.strip() for th in blogs.select("tbody th")] == [
        "Lettres de Paris",
        "Paris notes",
    ]
