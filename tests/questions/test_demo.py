import pytest

from dragoman.questions.demo import demo_questions_build
from dragoman.questions.models import Question, QuestionSessionPage
from tests.factories import BlogFactory

pytestmark = pytest.mark.django_db


def test_demo_has_an_upcoming_session_with_questions_waiting_and_a_bilingual_transcript(
    client, admin_user
):
    BlogFactory(language="en")

    demo_questions_build(report=lambda line: None)

    upcoming, finished, french = QuestionSessionPage.objects.order_by("pk")
    assert Question.objects.filter(session=upcoming, status=Question.Status.PENDING).count() == 2
    assert Question.objects.filter(session=finished, status=Question.Status.ANSWERED).count() == 3
    assert french.translation_of == finished
    page = client.get(french.url).content.decode()
    assert "Qu'une tasse de thé ouvre plus de portes" in page.replace("&#x27;", "'")
    assert "Transcript" in page
