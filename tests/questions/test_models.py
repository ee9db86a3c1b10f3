from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import RequestFactory

from dragoman.questions.models import QuestionSessionPage

from .conftest import session_make

pytestmark = pytest.mark.django_db


def test_a_session_ends_after_it_starts_and_takes_a_known_video_address(session):
    session.ends_at = session.starts_at - timedelta(minutes=1)
    with pytest.raises(ValidationError, match="ends after it starts"):
        session.full_clean()

    session.ends_at = session.starts_at + timedelta(hours=1)
    session.video_url = "https://example.org/page.html"
    with pytest.raises(ValidationError):
        session.full_clean()

    session.video_url = "https://youtu.be/abc123"
    session.full_clean()
    assert session.video.provider == "youtube"


def test_a_translation_is_of_an_original_in_another_language(session):
    with pytest.raises(ValidationError, match="another language"):
        session_make(parent=session.get_parent().specific, translation_of=session, language="en")
    translation = session_make(
        parent=session.get_parent().specific, translation_of=session, language="fr"
    )

    assert translation.original == session
    assert not translation.accepts_questions()  # questions go to the original


def test_visibility_follows_the_entries_rule(session):
    draft = session_make(publish=False)

    assert session.is_visible_to(None)
    assert not draft.is_visible_to(None)
    assert list(QuestionSessionPage.objects.visible(None)) == [session]
    request = RequestFactory().get("/")
    with pytest.raises(Http404):
        draft.serve(request)


def test_ended_session_takes_no_question(db):
    ended = session_make(ended=True)

    assert ended.has_ended()
    assert not ended.accepts_questions()
