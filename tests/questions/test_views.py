import pytest

from dragoman.questions import services
from dragoman.questions.models import Question, QuestionVote

from .conftest import ask, session_make, vote

pytestmark = pytest.mark.django_db


def test_session_page_shows_times_with_offset_calendar_and_form_without_cookie(client, session):
    response = client.get(session.url)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Ask the ambassador" in page
    assert "Europe/Paris, UTC+0" in page
    assert 'name="stamp"' in page
    assert "csrfmiddlewaretoken" not in page
    assert not response.cookies
    assert "connect-src" in response["Content-Security-Policy"]


def test_ics_is_a_calendar_event(client, session):
    response = client.get(f"/questions/{session.pk}/calendar.ics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "BEGIN:VEVENT" in body
    assert "SUMMARY:Ask the ambassador" in body


def test_reader_question_is_stored_and_waits_for_moderation(client, session):
    response = ask(client, session)

    assert response.status_code == 200
    assert "Thank you for your question" in response.content.decode()
    question = Question.objects.get()
    assert question.status == Question.Status.PENDING
    assert question.ip_hash and "127.0.0.1" not in question.ip_hash
    assert "When will the new visa rules apply?" not in client.get(session.url).content.decode()


def test_anonymous_question(client, session, admin_user):
    ask(client, session, name="")
    services.question_approve(acting_user=admin_user, question=Question.objects.get())

    assert "Anonymous" in client.get(session.url).content.decode()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Please write a question."),
        ("   ", "Please write a question."),
        ("x" * 501, "at most 500 characters"),
        ("Why\x07 this?", "invisible control characters"),
        ("Why\x00 this?", "invisible control characters"),
        ("See http://a.example http://b.example http://c.example", "at most 2 links"),
    ],
)
def test_bad_questions_are_refused_with_a_message(client, session, body, message):
    response = ask(client, session, body=body)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Question.objects.exists()


def test_duplicate_question_is_refused(client, session):
    ask(client, session)
    response = ask(client, session, body="  when will the NEW visa rules apply?  ")

    assert response.status_code == 400
    assert "already been asked" in response.content.decode()
    assert Question.objects.count() == 1


def test_markup_is_kept_as_inert_text(client, session, admin_user):
    ask(client, session, body='<script>alert("x")</script><b>bold</b>?')
    services.question_approve(acting_user=admin_user, question=Question.objects.get())

    page = client.get(session.url).content.decode()
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;?" in page


def test_defences_refuse_another_origin_honeypot_and_forged_stamp(client, session):
    assert ask(client, session, headers={"Origin": "https://evil.example"}).status_code == 403
    assert ask(client, session, website="http://spam.example").status_code == 400
    assert ask(client, session, stamp="forged").status_code == 400
    assert not Question.objects.exists()


def test_rate_limit_by_keyed_hash_of_the_client(client, session, settings):
    settings.DRAGOMAN_COMMENT_RATE_COUNT = 2
    for n in range(2):
        assert ask(client, session, body=f"Question number {n}?").status_code == 200

    response = ask(client, session, body="One more question?")

    assert response.status_code == 429
    assert response["Retry-After"]


def test_ended_session_takes_no_question(client, db):
    ended = session_make(ended=True)

    assert ask(client, ended).status_code == 403
    assert "no longer takes questions" in client.get(ended.url).content.decode()


def test_one_vote_per_reader_replay_counts_once(client, session, admin_user):
    ask(client, session)
    question = services.question_approve(acting_user=admin_user, question=Question.objects.get())

    first = vote(client, session, question)
    replayed = vote(client, session, question)
    other_reader = vote(client, session, question, REMOTE_ADDR="10.0.0.2")

    assert first.status_code == replayed.status_code == other_reader.status_code == 302
    question.refresh_from_db()
    assert question.votes == 2
    assert QuestionVote.objects.count() == 2
    assert all("10.0.0.2" not in v.voter for v in QuestionVote.objects.all())


def test_forged_votes_are_refused(client, session, admin_user):
    ask(client, session)
    pending = Question.objects.get()

    assert vote(client, session, pending).status_code == 409  # not approved: takes no vote
    services.question_approve(acting_user=admin_user, question=pending)
    assert vote(client, session, pending, stamp="forged").status_code == 400
    other = session_make()
    assert vote(client, other, pending).status_code == 404  # not this session's question
    assert client.get(f"/questions/{session.pk}/{pending.pk}/vote/").status_code == 405
    pending.refresh_from_db()
    assert pending.votes == 0


def test_answered_question_shows_in_the_page(client, session, admin_user):
    ask(client, session)
    question = services.question_approve(acting_user=admin_user, question=Question.objects.get())
    services.question_answer(acting_user=admin_user, question=question, answer="From 1 March.")

    page = client.get(session.url).content.decode()
    assert "From 1 March." in page
    assert "0 questions wait" in page
