import pytest
from django.urls import reverse

from dragoman.questions import services
from tests.factories import EntryFactory

from .conftest import session_make

pytestmark = pytest.mark.django_db


def test_transcript_feed_lists_ended_public_sessions_with_questions_and_answers(client, admin_user):
    ended = session_make(ended=True, title="Visas and trade")
    question = services.question_ask(session=ended, body="Visa?", now=ended.starts_at)
    question = services.question_approve(acting_user=admin_user, question=question)
    services.question_answer(acting_user=admin_user, question=question, answer="From March.")
    session_make(title="Still running")
    session_make(ended=True, title="A draft", publish=False)

    feed = client.get("/questions/feed/atom/").content.decode()

    assert "Visas and trade" in feed
    assert "From March." in feed
    assert "Still running" not in feed
    assert "A draft" not in feed


def test_sitemap_lists_public_sessions_only(client):
    public = session_make(title="Public session")
    draft = session_make(title="Draft session", publish=False)

    sitemap = client.get("/sitemap.xml").content.decode()

    assert public.url in sitemap
    assert f"/{draft.slug}/" not in sitemap


def _transcripts(admin_user) -> None:
    ended = session_make(ended=True, title="Visas and trade")
    question = services.question_ask(session=ended, body="Zanzibar visas?", now=ended.starts_at)
    question = services.question_approve(acting_user=admin_user, question=question)
    services.question_answer(acting_user=admin_user, question=question, answer="From March.")
    running = session_make(title="Still running")
    services.question_approve(
        acting_user=admin_user,
        question=services.question_ask(session=running, body="Zanzibar again?"),
    )
    draft = session_make(ended=True, title="A draft about Zanzibar", publish=False)
    services.question_ask(session=draft, body="Zanzibar draft?", now=draft.starts_at)


def test_site_search_finds_public_transcripts_by_their_questions_and_answers(client, admin_user):
    _transcripts(admin_user)

    by_question = client.get(reverse("search:search"), {"q": "zanzibar"}).content.decode()
    by_answer = client.get(reverse("search:search"), {"q": "march"}).content.decode()
    nothing = client.get(reverse("search:search"), {"q": "ulaanbaatar"}).content.decode()

    assert "Visas and trade" in by_question
    assert "Visas and trade" in by_answer
    # Not a transcript yet, or not public: the rule of what the public may see.
    assert "Still running" not in by_question
    assert "A draft about Zanzibar" not in by_question
    assert "Visas and trade" not in nothing


def test_site_search_needs_every_word_in_a_shown_question_or_its_translation(client, admin_user):
    from dragoman.questions.models import TranslatedQuestion

    _transcripts(admin_user)
    ended = session_make(ended=True, title="Consular hours")
    waiting = services.question_ask(session=ended, body="Ulaanbaatar office?", now=ended.starts_at)
    services.question_approve(acting_user=admin_user, question=waiting)  # never answered
    answered = services.question_ask(session=ended, body="Weekend opening?", now=ended.starts_at)
    answered = services.question_approve(acting_user=admin_user, question=answered)
    services.question_answer(acting_user=admin_user, question=answered, answer="On Saturdays.")
    TranslatedQuestion.objects.create(
        page=ended, question=answered, body="Ouverture le week-end ?", answer="Le samedi."
    )

    def found(words: str) -> bool:
        page = client.get(reverse("search:search"), {"q": words}).content.decode()
        return "Consular hours" in page

    assert found("weekend saturdays")  # one word in the question, one in its answer
    assert found("samedi")  # the translated transcript's words find the session too
    assert found("zanzibar") is False  # another session's question
    # A question only approved, never answered, is not in the transcript.
    assert found("ulaanbaatar") is False
    assert found("weekend zanzibar") is False  # every word must be found


def test_network_feeds_carry_public_transcripts_among_the_entries(client, admin_user):
    _transcripts(admin_user)
    EntryFactory(title="An entry of the network")

    for name in ("blogs:network_atom", "blogs:network_rss"):
        feed = client.get(reverse(name)).content.decode()
        assert "An entry of the network" in feed
        assert "Visas and trade" in feed
        assert "From March." in feed  # the transcript itself, in the item's content
        assert "Still running" not in feed
        assert "A draft about Zanzibar" not in feed


def test_a_session_that_has_just_ended_is_announced_to_the_feeds(admin_user):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    just = session_make(starts_at=now - timedelta(hours=1), ends_at=now - timedelta(minutes=1))
    session_make(ended=True, title="Long ago")
    session_make(title="Still running")

    assert services.sessions_ended_announce(now=now) == [just.pk]
