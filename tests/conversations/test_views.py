from django.core import mail
from django.core.cache import cache

from dragoman.conversations.models import Comment
from dragoman.conversations.services import comment_approve

from .conftest import post_comment


def test_reader_comment_is_stored_before_the_thank_you_page(client, entry):
    response = post_comment(client, entry)

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert comment.body == "Congratulations on the opening!"
    assert comment.status == Comment.Status.PENDING
    thanks = client.get(response["Location"]).content.decode()
    assert "Your comment awaits moderation" in thanks


def test_entry_page_shows_the_form_without_setting_a_cookie(client, entry):
    response = client.get(entry.url)

    page = response.content.decode()
    assert "Have an opinion?" in page
    assert 'name="stamp"' in page
    assert "csrfmiddlewaretoken" not in page
    assert not response.cookies


def test_posting_a_comment_sets_no_cookie(client, entry):
    response = post_comment(client, entry)

    assert not response.cookies
    assert not client.get(response["Location"]).cookies


def test_reader_sees_approved_comments_but_not_pending_ones(client, entry, admin_user):
    post_comment(client, entry, body="Congratulations on the opening")
    post_comment(client, entry, body="Buy cheap watches")
    comment_approve(
        comment=Comment.objects.get(body="Congratulations on the opening"), acting_user=admin_user
    )

    page = client.get(entry.url).content.decode()

    assert "Congratulations on the opening" in page
    assert "Buy cheap watches" not in page


def test_reader_can_withdraw_a_comment_from_the_private_link(client, entry, admin_user):
    thanks_url = post_comment(client, entry)["Location"]
    comment_approve(comment=Comment.objects.get(), acting_user=admin_user)

    response = client.post(thanks_url, headers={"Origin": "http://testserver"})

    assert Comment.objects.get().status == Comment.Status.WITHDRAWN
    assert "Your comment is withdrawn" in client.get(response["Location"]).content.decode()
    assert "Congratulations on the opening!" not in client.get(entry.url).content.decode()


def test_a_forged_thank_you_address_is_not_found(client, entry):
    post_comment(client, entry)

    assert client.get("/conversations/thanks/1:forged/").status_code == 404


def test_empty_comment_is_refused_with_a_message_and_the_form_again(client, entry):
    response = post_comment(client, entry, body="   ")

    assert response.status_code == 400
    assert "Please write a comment." in response.content.decode()
    assert Comment.objects.count() == 0


def test_over_long_comment_is_refused_with_a_message(client, entry):
    response = post_comment(client, entry, body="a" * 5001)

    assert response.status_code == 400
    assert "at most 5000 characters" in response.content.decode()


def test_comment_of_5000_characters_is_accepted(client, entry):
    assert post_comment(client, entry, body="a" * 5000).status_code == 302


def test_invalid_email_is_refused_with_a_message(client, entry):
    response = post_comment(client, entry, email="not-an-address")

    assert response.status_code == 400
    assert "Please give a valid email address" in response.content.decode()


def test_control_characters_are_refused_with_a_message(client, entry):
    response = post_comment(client, entry, body="Hello\x00 world\x1b[31m")

    assert response.status_code == 400
    assert "invisible control characters" in response.content.decode()


def test_re_shown_form_keeps_what_the_reader_wrote(client, entry):
    response = post_comment(client, entry, body="My long thoughts " * 10, email="bad")

    assert "My long thoughts" in response.content.decode()


def test_mixed_right_to_left_text_is_shown_with_automatic_direction(client, entry, admin_user):
    post_comment(client, entry, body="مرحبا بكم in English too")
    comment_approve(comment=Comment.objects.get(), acting_user=admin_user)

    page = client.get(entry.url).content.decode()

    assert (
        '<div class="comment__body" dir="auto"><p dir="auto">مرحبا بكم in English too</p></div>'
        in page
    )


def test_links_are_clickable_and_marked_nofollow_ugc(client, entry, admin_user):
    post_comment(client, entry, body="See https://example.org/report for details")
    comment_approve(comment=Comment.objects.get(), acting_user=admin_user)

    page = client.get(entry.url).content.decode()

    assert '<a href="https://example.org/report" rel="nofollow ugc noopener">' in page


def test_reader_who_opted_in_is_emailed_when_the_comment_is_published(
    client, entry, admin_user, django_capture_on_commit_callbacks
):
    post_comment(client, entry, notify="on")

    with django_capture_on_commit_callbacks(execute=True):
        comment_approve(comment=Comment.objects.get(), acting_user=admin_user)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["amina@example.org"]
    assert "is published" in mail.outbox[0].body


def test_reader_who_did_not_opt_in_gets_no_email(
    client, entry, admin_user, django_capture_on_commit_callbacks
):
    post_comment(client, entry)

    with django_capture_on_commit_callbacks(execute=True):
        comment_approve(comment=Comment.objects.get(), acting_user=admin_user)

    assert mail.outbox == []


def test_policy_page_is_public(client, db):
    page = client.get("/conversations/policy/").content.decode()

    assert "Moderation policy" in page
    assert "What we do not publish" in page


def test_policy_page_and_docs_have_the_same_sections(client, db):
    from pathlib import Path

    document = (Path(__file__).resolve().parents[2] / "docs" / "moderation-policy.md").read_text()
    headings = [line[3:] for line in document.splitlines() if line.startswith("## ")]
    page = client.get("/conversations/policy/").content.decode()

    assert headings
    assert all(heading in page for heading in headings)


def test_unknown_entry_gives_404_not_500(client, db):
    cache.clear()
    response = client.post("/conversations/entries/999999/comment/", {})

    assert response.status_code == 404


def test_get_on_the_comment_address_is_refused_politely(client, entry):
    response = client.get(f"/conversations/entries/{entry.pk}/comment/")

    assert response.status_code == 405


def test_network_switch_shows_the_banner_instead_of_the_form(client, entry):
    from dragoman.conversations.services import network_conversations_close

    network_conversations_close(banner="Comments are paused during the election period.")

    page = client.get(entry.url).content.decode()

    assert "Comments are paused during the election period." in page
    assert "Send comment" not in page


def test_posting_while_the_network_is_closed_is_refused_with_the_banner(client, entry):
    from dragoman.conversations.services import network_conversations_close

    network_conversations_close(banner="Comments are paused during the election period.")

    response = post_comment(client, entry)

    assert response.status_code == 403
    assert "paused during the election period" in response.content.decode()
    assert Comment.objects.count() == 0


def test_changing_the_network_switch_refreshes_every_cached_page(
    client, entry, settings, django_capture_on_commit_callbacks
):
    from dragoman.conversations.services import network_conversations_close

    settings.DRAGOMAN_PAGE_CACHE = True
    client.get(entry.url)
    assert client.get(entry.url).headers["X-Cache"] == "HIT"

    with django_capture_on_commit_callbacks(execute=True):
        network_conversations_close(banner="Paused")

    page = client.get(entry.url)
    assert page.headers["X-Cache"] == "MISS"
    assert "Paused" in page.content.decode()


def test_entry_list_shows_the_comment_count(client, entry, admin_user):
    post_comment(client, entry, body="First")
    post_comment(client, entry, body="Second")
    for comment in Comment.objects.all():
        comment_approve(comment=comment, acting_user=admin_user)

    page = client.get("/").content.decode()

    assert "2 comments" in page


def test_approved_comment_appears_on_the_cached_entry_page(
    client, entry, admin_user, settings, django_capture_on_commit_callbacks
):
    settings.DRAGOMAN_PAGE_CACHE = True
    post_comment(client, entry, body="Seen through the page cache")
    assert "Seen through the page cache" not in client.get(entry.url).content.decode()
    client.get(entry.url)  # now served from the cache

    with django_capture_on_commit_callbacks(execute=True):
        comment_approve(comment=Comment.objects.get(), acting_user=admin_user)

    assert "Seen through the page cache" in client.get(entry.url).content.decode()


def test_sending_a_comment_runs_a_bounded_number_of_queries(
    client, entry, django_assert_max_num_queries
):
    with django_assert_max_num_queries(14):
        response = post_comment(client, entry)

    with django_assert_max_num_queries(3):
        client.get(response["Location"])


def test_a_comment_is_dated_in_a_form_html_accepts(client, entry, admin_user):
    # HTML allows at most three digits of a second; a comment's time has six.
    post_comment(client, entry, body="Congratulations on the opening")
    comment = Comment.objects.get()
    comment_approve(comment=comment, acting_user=admin_user)
    comment.refresh_from_db()

    page = client.get(entry.url).content.decode()

    assert comment.published_at.microsecond
    assert f'<time datetime="{comment.published_at:%Y-%m-%dT%H:%M:%S}+0000">' in page
