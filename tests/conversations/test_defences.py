"""Each defence refuses what it should and lets an ordinary comment through."""

import time
from unittest import mock

from dragoman.conversations import defences
from dragoman.conversations.models import Comment
from dragoman.conversations.services import blocklist_set

from .conftest import comment_data, post_comment


def test_ordinary_comment_passes_every_defence(client, entry):
    response = post_comment(client, entry, body="Thank you, see https://example.org for more")

    assert response.status_code == 302
    assert Comment.objects.count() == 1


# Origin / Referer ----------------------------------------------------------------------------
def test_post_from_another_site_is_refused(client, entry):
    response = post_comment(client, entry, headers={"Origin": "https://evil.example"})

    assert response.status_code == 403
    assert "only be sent from this site" in response.content.decode()
    assert Comment.objects.count() == 0


def test_post_without_origin_or_referer_is_refused(client, entry):
    response = post_comment(client, entry, headers={})

    assert response.status_code == 403
    assert Comment.objects.count() == 0


def test_post_with_a_same_site_referer_and_no_origin_is_accepted(client, entry):
    response = post_comment(client, entry, headers={"Referer": f"http://testserver{entry.url}"})

    assert response.status_code == 302


def test_post_with_a_foreign_referer_is_refused(client, entry):
    response = post_comment(client, entry, headers={"Referer": "https://evil.example/page"})

    assert response.status_code == 403


# Signed timestamp --------------------------------------------------------------------------
def test_form_sent_too_fast_is_refused_and_shown_again(client, entry):
    response = post_comment(client, entry, stamp=defences.form_stamp(entry_id=entry.pk))

    assert response.status_code == 400
    assert "That was very fast" in response.content.decode()
    assert "Congratulations on the opening!" in response.content.decode()
    assert Comment.objects.count() == 0


def test_form_older_than_a_day_is_refused(client, entry):
    old = defences.form_stamp(entry_id=entry.pk, now=time.time() - 10)
    with mock.patch("django.core.signing.time.time", return_value=time.time() + 86400 + 60):
        response = post_comment(client, entry, stamp=old)

    assert response.status_code == 400
    assert "open for too long" in response.content.decode()
    assert Comment.objects.count() == 0


def test_forged_stamp_is_refused(client, entry):
    response = post_comment(client, entry, stamp="eyJlIjoxfQ:forged:signature")

    assert response.status_code == 400
    assert Comment.objects.count() == 0


def test_stamp_of_another_entry_is_refused(client, entry):
    stamp = defences.form_stamp(entry_id=entry.pk + 1000, now=time.time() - 10)

    response = post_comment(client, entry, stamp=stamp)

    assert response.status_code == 400
    assert Comment.objects.count() == 0


# Honeypot ------------------------------------------------------------------------------------
def test_filled_honeypot_is_refused(client, entry):
    response = post_comment(client, entry, website="http://spam.example")

    assert response.status_code == 400
    assert Comment.objects.count() == 0


# Rate limit ----------------------------------------------------------------------------------
def test_sixth_comment_in_ten_minutes_is_refused(client, entry):
    for number in range(5):
        assert post_comment(client, entry, body=f"Comment {number}").status_code == 302

    response = post_comment(client, entry, body="One too many")

    assert response.status_code == 429
    assert "Please wait a few minutes" in response.content.decode()
    assert Comment.objects.count() == 5


def test_rate_limit_is_per_client(client, entry):
    for number in range(5):
        post_comment(client, entry, body=f"Comment {number}")

    response = client.post(
        f"/conversations/entries/{entry.pk}/comment/",
        comment_data(entry, body="Other"),
        headers={"Origin": "http://testserver"},
        REMOTE_ADDR="10.0.0.2",
    )

    assert response.status_code == 302


def test_client_address_is_stored_only_as_a_keyed_hash(client, entry):
    post_comment(client, entry)

    comment = Comment.objects.get()
    assert comment.ip_hash == defences.client_hash("127.0.0.1")
    assert "127.0.0.1" not in comment.ip_hash
    assert len(comment.ip_hash) == 64


def test_benchmark_switch_lifts_time_and_rate_checks_for_loopback_only(client, entry, settings):
    settings.DRAGOMAN_COMMENT_BENCHMARK = True
    for number in range(7):
        stamp = defences.form_stamp(entry_id=entry.pk)
        assert post_comment(client, entry, body=f"Fast {number}", stamp=stamp).status_code == 302

    response = client.post(
        f"/conversations/entries/{entry.pk}/comment/",
        comment_data(entry, stamp=defences.form_stamp(entry_id=entry.pk)),
        headers={"Origin": "http://testserver"},
        REMOTE_ADDR="203.0.113.9",
    )

    assert response.status_code == 400


# Content -------------------------------------------------------------------------------------
def test_more_than_two_links_is_refused(client, entry):
    body = "https://a.example https://b.example https://c.example"

    response = post_comment(client, entry, body=body)

    assert response.status_code == 400
    assert "at most 2 links" in response.content.decode()


def test_two_links_are_accepted(client, entry):
    assert post_comment(client, entry, body="https://a.example and www.b.com").status_code == 302


def test_blocklisted_word_is_refused_with_a_message(client, entry):
    blocklist_set(words=["cheap watches", "casino"])

    response = post_comment(client, entry, body="Visit our CASINO tonight")

    assert response.status_code == 400
    assert "casino" in response.content.decode()
    assert Comment.objects.count() == 0


def test_blocklist_matches_whole_words_only(client, entry):
    blocklist_set(words=["ass"])

    assert post_comment(client, entry, body="The embassy's assessment was fair").status_code == 302


def test_duplicate_comment_is_refused(client, entry):
    post_comment(client, entry, body="Great news for the region")

    response = post_comment(client, entry, body="great  news for the REGION")

    assert response.status_code == 400
    assert "already been sent" in response.content.decode()
    assert Comment.objects.count() == 1


def test_same_words_on_another_entry_are_not_a_duplicate(client, entry):
    from tests.factories import EntryFactory

    other = EntryFactory(blog=entry.get_parent().specific, date=entry.date)
    post_comment(client, entry, body="Great news")

    assert post_comment(client, other, body="Great news").status_code == 302


# Akismet -------------------------------------------------------------------------------------
class FakeResponse:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def read(self) -> bytes:
        return self.body

    def __enter__(self):
        return self

    def __exit__(self, *args):
        return False


def test_akismet_is_not_called_without_a_key(client, entry):
    with mock.patch("urllib.request.urlopen") as urlopen:
        post_comment(client, entry)

    urlopen.assert_not_called()


def test_comment_akismet_calls_spam_is_stored_as_spam(client, entry, settings):
    settings.DRAGOMAN_AKISMET_KEY = "abc123"
    with mock.patch("urllib.request.urlopen", return_value=FakeResponse(b"true")) as urlopen:
        response = post_comment(client, entry)

    assert response.status_code == 302
    assert Comment.objects.get().status == Comment.Status.SPAM
    request = urlopen.call_args.args[0]
    assert request.full_url == "https://abc123.rest.akismet.com/1.1/comment-check"


def test_comment_akismet_calls_ham_waits_for_moderation(client, entry, settings):
    settings.DRAGOMAN_AKISMET_KEY = "abc123"
    with mock.patch("urllib.request.urlopen", return_value=FakeResponse(b"false")):
        post_comment(client, entry)

    assert Comment.objects.get().status == Comment.Status.PENDING


def test_akismet_failure_sends_the_comment_to_moderation(client, entry, settings):
    settings.DRAGOMAN_AKISMET_KEY = "abc123"
    with mock.patch("urllib.request.urlopen", side_effect=OSError("network down")):
        response = post_comment(client, entry)

    assert response.status_code == 302
    assert Comment.objects.get().status == Comment.Status.PENDING
