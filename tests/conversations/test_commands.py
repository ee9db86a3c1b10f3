from datetime import timedelta
from io import StringIO

from django.contrib.auth.models import Group, User
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from dragoman.conversations import services
from dragoman.conversations.models import Comment


def submit(entry, **kwargs):
    return services.comment_submit(
        entry=entry, blog=entry.get_parent().specific, name="Amina", **kwargs
    )


def test_purge_personal_data_command_forgets_old_email_addresses(entry):
    comment = submit(entry, body="Old", email="old@example.org")
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(days=365))
    out = StringIO()

    call_command("purge-personal-data", stdout=out)

    assert Comment.objects.get().email == ""
    assert "1 comments older than 180 days were purged" in out.getvalue()


def test_purge_dry_run_changes_nothing(entry):
    comment = submit(entry, body="Old", email="old@example.org")
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(days=365))

    call_command("purge-personal-data", "--dry-run", stdout=StringIO())

    assert Comment.objects.get().email == "old@example.org"


def test_digest_emails_moderators_the_waiting_comments(entry):
    moderator = User.objects.create_user("mod", "mod@example.org")
    moderator.groups.add(Group.objects.get(name="Moderators"))
    User.objects.create_user("reader", "reader@example.org")
    submit(entry, body="Please answer my question about visas")
    out = StringIO()

    call_command("comments-digest", stdout=out)

    assert [m.to for m in mail.outbox] == [["mod@example.org"]]
    assert "Please answer my question about visas" in mail.outbox[0].body
    assert "/admin/conversations/" in mail.outbox[0].body
    assert "1 comments waiting; digest sent to 1 moderators." in out.getvalue()


def test_digest_sends_nothing_when_nothing_waits(db):
    User.objects.create_superuser("root", "root@example.org", "pw")

    call_command("comments-digest", stdout=StringIO())

    assert mail.outbox == []


def test_reopen_command_reopens_the_network_at_the_set_time(db):
    from dragoman.conversations.models import NetworkConversationSettings

    services.network_conversations_close(
        banner="Paused", reopen_at=timezone.now() - timedelta(seconds=1)
    )
    out = StringIO()

    call_command("conversations-reopen", stdout=out)

    assert not NetworkConversationSettings.load().comments_closed
    assert "Comment forms reopened." in out.getvalue()


def test_reopen_command_leaves_a_future_reopening_alone(db):
    from dragoman.conversations.models import NetworkConversationSettings

    services.network_conversations_close(
        banner="Paused", reopen_at=timezone.now() + timedelta(days=1)
    )

    call_command("conversations-reopen", stdout=StringIO())

    assert NetworkConversationSettings.load().comments_closed
