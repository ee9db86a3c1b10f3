from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, connection
from django.utils import timezone

from dragoman.conversations import queries, services
from dragoman.conversations.announcements import ConversationChanged
from dragoman.conversations.models import BlogConversationSettings, Comment
from dragoman.core import changes
from tests.factories import BloggerFactory


def submit(entry, **kwargs):
    defaults = {
        "entry": entry,
        "blog": entry.get_parent().specific,
        "name": "Amina",
        "body": "Hello",
    }
    defaults.update(kwargs)
    return services.comment_submit(**defaults)


@pytest.fixture
def moderator(db):
    user = User.objects.create_user(
        "mod", "mod@example.org", "pw", first_name="Maria", last_name="Moderator"
    )
    user.groups.add(Group.objects.get(name="Moderators"))
    return User.objects.get(pk=user.pk)


def test_moderators_group_exists_with_the_moderation_permissions_only(db):
    group = Group.objects.get(name="Moderators")

    # Comments here; campaign messages and questions are judged by the same people.
    assert "moderate_comment" in group.permissions.values_list("codename", flat=True)
    assert {
        codename
        for codename in group.permissions.values_list("codename", flat=True)
        if not codename.startswith("moderate_")
    } == {"access_admin"}


def test_pre_moderated_comment_waits(entry):
    assert submit(entry).status == Comment.Status.PENDING


def test_post_moderated_comment_is_published_at_once(entry):
    comment = submit(entry, mode=BlogConversationSettings.Mode.POST_MODERATION)

    assert comment.status == Comment.Status.APPROVED
    assert comment.published_at is not None


heard: list[ConversationChanged] = []


def hear(announcement: ConversationChanged) -> None:
    heard.append(announcement)


@pytest.fixture
def announced():
    """What the conversations announced after each commit, as any listening app hears it."""
    heard.clear()
    changes.listen(ConversationChanged, hear)
    yield heard
    changes.unlisten(hear)


def test_approval_is_announced_after_commit_naming_the_entry_page(
    entry, moderator, announced, django_capture_on_commit_callbacks
):
    comment = submit(entry)

    with django_capture_on_commit_callbacks(execute=True):
        services.comment_approve(comment=comment, acting_user=moderator)

    assert [(type(a).__name__, a.entry_id, a.comment_id) for a in announced] == [
        ("CommentPublished", entry.pk, comment.pk)
    ]
    assert f"entry:{entry.pk}" in announced[0].shown_on


def test_rejecting_a_pending_comment_announces_nothing(
    entry, moderator, announced, django_capture_on_commit_callbacks
):
    comment = submit(entry)

    with django_capture_on_commit_callbacks(execute=True):
        services.comment_reject(comment=comment, acting_user=moderator, reason="Off topic")

    assert announced == []
    assert Comment.objects.get().rejection_reason == "Off topic"


def test_withdrawing_a_published_comment_is_announced(
    entry, moderator, announced, django_capture_on_commit_callbacks
):
    comment = submit(entry)
    services.comment_approve(comment=comment, acting_user=moderator)

    with django_capture_on_commit_callbacks(execute=True):
        services.comment_withdraw(comment=comment)

    assert [(type(a).__name__, a.entry_id) for a in announced] == [
        ("ConversationChanged", entry.pk)
    ]


def test_a_withdrawn_comment_cannot_be_approved(entry, moderator):
    comment = services.comment_withdraw(comment=submit(entry))

    with pytest.raises(ValidationError):
        services.comment_approve(comment=comment, acting_user=moderator)


def test_a_reader_without_permission_cannot_moderate(entry):
    user = User.objects.create_user("reader")

    with pytest.raises(PermissionDenied):
        services.comment_approve(comment=submit(entry), acting_user=user)


def test_a_blogger_moderates_their_own_blog_but_not_others(entry):
    from tests.factories import EntryFactory

    user = User.objects.create_user("blogger")
    blog = entry.get_parent().specific
    blogger = blog.bloggers.first()
    blogger.user = user
    blogger.save()
    other_entry = EntryFactory(date=timezone.now())

    services.comment_approve(comment=submit(entry), acting_user=user)
    with pytest.raises(PermissionDenied):
        services.comment_approve(comment=submit(other_entry), acting_user=user)


def test_official_reply_carries_name_and_job_title_of_the_blogger(
    entry, django_capture_on_commit_callbacks
):
    user = User.objects.create_user("ambassador")
    BloggerFactory(display_name="Jane Smith", job_title="Ambassador", user=user)
    comment = submit(entry, email="amina@example.org", notify=True)
    admin = User.objects.create_superuser("root", "root@example.org", "pw")
    services.comment_approve(comment=comment, acting_user=admin)
    user.user_permissions.add(Permission.objects.get(codename="moderate_comment"))
    user = User.objects.get(pk=user.pk)

    with django_capture_on_commit_callbacks(execute=True):
        reply = services.official_reply_create(comment=comment, acting_user=user, body="Thank you!")

    assert (reply.name, reply.job_title, reply.parent) == ("Jane Smith", "Ambassador", comment)
    assert reply.status == Comment.Status.APPROVED
    assert [m.subject for m in mail.outbox] == ["Your comment has been answered"]


def test_moderator_without_profile_replies_as_moderator(entry, moderator):
    comment = submit(entry)
    services.comment_approve(comment=comment, acting_user=moderator)

    reply = services.official_reply_create(comment=comment, acting_user=moderator, body="Noted.")

    assert (reply.name, reply.job_title) == ("Maria Moderator", "Moderator")


def test_replies_are_one_level_deep(entry, moderator):
    comment = submit(entry)
    services.comment_approve(comment=comment, acting_user=moderator)
    reply = services.official_reply_create(comment=comment, acting_user=moderator, body="Noted.")

    with pytest.raises(ValidationError):
        services.official_reply_create(comment=reply, acting_user=moderator, body="Again")


def test_a_pending_comment_cannot_be_answered(entry, moderator):
    with pytest.raises(ValidationError):
        services.official_reply_create(comment=submit(entry), acting_user=moderator, body="Hi")


def test_bulk_action_skips_withdrawn_comments(entry, moderator):
    first = submit(entry, body="one")
    second = submit(entry, body="two")
    services.comment_withdraw(comment=second)

    done = services.comments_moderate(
        comments=[first, second], action="spam", acting_user=moderator
    )

    assert done == 1
    assert Comment.objects.get(pk=first.pk).status == Comment.Status.SPAM


def test_personal_data_is_purged_after_the_retention_period(entry):
    old = submit(entry, body="old", email="old@example.org", notify=True, ip_hash="x" * 64)
    Comment.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=200))
    recent = submit(entry, body="new", email="new@example.org", ip_hash="y" * 64)

    assert services.personal_data_purge(dry_run=True) == 1
    assert services.personal_data_purge() == 1

    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.email, old.ip_hash, old.notify, old.body) == ("", "", False, "old")
    assert recent.email == "new@example.org"


def test_a_conversation_written_earlier_keeps_its_times_for_the_answering_report(entry, moderator):
    # Imports and the demo date what happened earlier; the report measures those times.
    written = timezone.now() - timedelta(days=3)
    comment = submit(entry, now=written)
    comment = services.comment_approve(
        comment=comment, acting_user=moderator, now=written + timedelta(hours=1)
    )

    reply = services.official_reply_create(
        comment=comment, acting_user=moderator, body="Thank you.", now=written + timedelta(hours=30)
    )

    assert comment.created_at == written
    assert comment.published_at == written + timedelta(hours=1)
    assert reply.created_at == reply.published_at == written + timedelta(hours=30)
    by_blog, _by_mission = queries.reply_report()
    assert [(figures.answered, figures.median_hours) for figures in by_blog] == [(1, 30.0)]


@pytest.mark.django_db(transaction=True)
def test_a_withdrawal_link_opened_in_several_browsers_at_once_withdraws_once(announced):
    from tests.concurrency import at_once
    from tests.factories import EntryFactory

    entry = EntryFactory(date=timezone.now() - timedelta(days=1))
    moderator = User.objects.create_superuser("chief", "chief@example.org", "pw")
    comment = services.comment_approve(comment=submit(entry), acting_user=moderator)
    announced.clear()

    results = at_once(4, lambda _n: services.comment_withdraw(comment=comment))

    # SQLite's shared in-memory test database refuses a second writer at once (a file
    # database waits its turn); PostgreSQL lets every browser see the comment withdrawn.
    refused = OperationalError if connection.vendor == "sqlite" else ()
    assert all(
        getattr(r, "status", None) == Comment.Status.WITHDRAWN or isinstance(r, refused)
        for r in results
    )
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.WITHDRAWN
    # The conversation changed once: one announcement, one refresh of its pages.
    assert [type(a).__name__ for a in announced] == ["ConversationChanged"]
