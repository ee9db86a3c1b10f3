"""The moderation queue, official replies and the report in the Wagtail admin."""

import pytest
from django.contrib.auth.models import Group, Permission, User

from dragoman.conversations import services
from dragoman.conversations.models import Comment
from tests.factories import EntryFactory


@pytest.fixture
def moderator(db):
    user = User.objects.create_user(
        "mod", "mod@example.org", "pw", first_name="Maria", last_name="Moderator"
    )
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def submit(entry, body="Hello from Lagos", name="Amina"):
    return services.comment_submit(
        entry=entry, blog=entry.get_parent().specific, name=name, body=body
    )


def test_queue_shows_pending_comments_with_their_waiting_time(client, moderator, entry):
    submit(entry)
    client.force_login(moderator)

    page = client.get("/admin/conversations/").content.decode()

    assert "Hello from Lagos" in page
    assert "Opening of the new consulate" in page
    assert "minute" in page  # "0 minutes" waiting


def test_admin_menu_shows_how_many_comments_wait(client, moderator, entry):
    submit(entry, body="one")
    submit(entry, body="two")
    client.force_login(moderator)

    page = client.get("/admin/").content.decode()

    assert "Comments (2 waiting)" in page


def test_moderator_approves_one_comment_from_its_row(client, moderator, entry):
    comment = submit(entry)
    client.force_login(moderator)

    client.post("/admin/conversations/", {"act_on": f"approve:{comment.pk}"})

    assert Comment.objects.get().status == Comment.Status.APPROVED
    assert "Hello from Lagos" in client.get(entry.url).content.decode()


def test_bulk_reject_with_a_reason(client, moderator, entry):
    first, second = submit(entry, body="one"), submit(entry, body="two")
    client.force_login(moderator)

    client.post(
        "/admin/conversations/",
        {"action": "reject", "reason": "Off topic", "comments": [first.pk, second.pk]},
    )

    assert set(Comment.objects.values_list("status", "rejection_reason")) == {
        ("rejected", "Off topic")
    }


def test_bulk_spam(client, moderator, entry):
    first, second = submit(entry, body="one"), submit(entry, body="two")
    client.force_login(moderator)

    client.post("/admin/conversations/", {"action": "spam", "comments": [first.pk, second.pk]})

    assert set(Comment.objects.values_list("status", flat=True)) == {"spam"}


def test_queue_filters_by_blog_and_state(client, moderator, entry):
    other = EntryFactory(title="Trade fair")
    submit(entry, body="About the consulate")
    services.comment_approve(comment=submit(other, body="About the fair"), acting_user=moderator)
    client.force_login(moderator)

    pending = client.get("/admin/conversations/?status=pending").content.decode()
    approved_here = client.get(
        f"/admin/conversations/?status=approved&blog={other.get_parent().pk}"
    ).content.decode()

    assert "About the consulate" in pending and "About the fair" not in pending
    assert "About the fair" in approved_here and "About the consulate" not in approved_here


def test_blogger_sees_only_their_own_blogs_comments(client, entry):
    user = User.objects.create_user("writer")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    blogger = entry.get_parent().specific.bloggers.first()
    blogger.user = user
    blogger.save()
    submit(entry, body="On my blog")
    submit(EntryFactory(), body="On another blog")
    client.force_login(user)

    page = client.get("/admin/conversations/").content.decode()

    assert "On my blog" in page
    assert "On another blog" not in page


def test_someone_without_the_permission_cannot_open_the_queue(client, entry):
    user = User.objects.create_user("editor")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)

    assert client.get("/admin/conversations/").status_code in (302, 403)


def test_official_reply_from_the_admin_appears_marked_under_the_entry(client, moderator, entry):
    comment = services.comment_approve(comment=submit(entry), acting_user=moderator)
    client.force_login(moderator)

    client.post(
        f"/admin/conversations/{comment.pk}/reply/", {"body": "Thank you for your interest."}
    )
    client.logout()

    page = client.get(entry.url).content.decode()
    assert "Official reply from Maria Moderator, Moderator" in page
    assert "Thank you for your interest." in page
    assert "comment--official" in page


def test_report_shows_share_answered_per_blog_and_mission(client, moderator, entry):
    comment = services.comment_approve(comment=submit(entry), acting_user=moderator)
    services.official_reply_create(comment=comment, acting_user=moderator, body="Answer")
    client.force_login(moderator)

    page = client.get("/admin/conversations/report/").content.decode()

    assert entry.get_parent().title in page
    assert "100 %" in page
    assert "0.0 hours" in page
