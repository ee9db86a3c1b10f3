import pytest
from django.contrib.auth.models import Permission, User

from dragoman.questions import services
from dragoman.questions.models import Question

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(db):
    user = User.objects.create_user("moderator", password="x")
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["moderate_question", "access_admin"])
    )
    return user


def act(client, session, question, **data):
    return client.post(f"/admin/questions/{session.pk}/{question.pk}/", data)


def test_live_screen_is_for_staff_only(client, session):
    assert client.get(f"/admin/questions/{session.pk}/").status_code == 302  # to sign in
    reader = User.objects.create_user("reader", password="x")
    reader.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(reader)
    refused = client.get(f"/admin/questions/{session.pk}/")
    # Wagtail turns the refusal into a way back to the dashboard, with a message.
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")


def test_moderator_approves_with_new_wording_pins_and_answers(client, session, moderator):
    question = services.question_ask(session=session, body="visa when??")
    client.force_login(moderator)

    page = client.get(f"/admin/questions/{session.pk}/").content.decode()
    assert "visa when??" in page
    assert "1 new question to moderate" in page
    assert (
        act(client, session, question, action="approve", body="When do visas change?").status_code
        == 302
    )
    assert act(client, session, question, action="pin").status_code == 302
    assert act(client, session, question, action="answer", answer="In March.").status_code == 302

    question.refresh_from_db()
    assert (question.body, question.edited, question.status) == (
        "When do visas change?",
        True,
        Question.Status.ANSWERED,
    )
    assert question.answered_by == moderator
    public = client.get(session.url).content.decode()
    assert "(edited by a moderator)" in public
    assert "In March." in public


def test_bad_actions_say_what_is_wrong(client, session, moderator):
    question = services.question_ask(session=session, body="Visa?")
    client.force_login(moderator)

    merge = act(client, session, question, action="merge", into="999999")
    answer = act(client, session, question, action="answer", answer="Too early.")
    unknown = act(client, session, question, action="explode")
    control = act(client, session, question, action="edit", body="Vi\x07sa?")

    assert (
        merge.status_code == answer.status_code == unknown.status_code == control.status_code == 400
    )
    assert "Give the number of a question of this session." in merge.content.decode()
    assert "Approve the question before answering it." in answer.content.decode()
    assert "control characters" in control.content.decode()
    assert Question.objects.get().status == Question.Status.PENDING


def test_queue_part_refreshes_alone(client, session, moderator):
    services.question_ask(session=session, body="Visa?")
    client.force_login(moderator)

    part = client.get(f"/admin/questions/{session.pk}/?part=queue").content.decode()

    assert "Visa?" in part
    assert "<html" not in part


def test_answering_report_shows_the_sessions_figures(client, session, admin_user):
    question = services.question_approve(
        acting_user=admin_user, question=services.question_ask(session=session, body="Visa?")
    )
    services.question_answer(acting_user=admin_user, question=question, answer="Yes.")
    client.force_login(admin_user)

    page = client.get("/admin/conversations/report/").content.decode()

    assert "Question sessions" in page
    assert "Ask the ambassador" in page
