"""Announcements: inside the transaction, after the commit, as tasks; a failing listener
never undoes or blocks the change, and a failing task is tried again."""

import logging

import pytest
from django.db import transaction
from django.utils import timezone

from dragoman.blogs.announcements import EntryChanged
from dragoman.core import changes
from dragoman.core.changes import ContentChanged, Dependency, Moment, listen, unlisten
from tests.factories import EntryFactory

heard: list[tuple[str, tuple[str, ...]]] = []
failures = {"left": 0}


def in_transaction(announcement: ContentChanged) -> None:
    heard.append(("in transaction", announcement.shown_on))


def after_commit(announcement: ContentChanged) -> None:
    heard.append(("after commit", announcement.shown_on))


def raising(announcement: ContentChanged) -> None:
    raise RuntimeError("a listener's server is down")


def flaky_task(announcement: ContentChanged) -> None:
    if failures["left"] > 0:
        failures["left"] -= 1
        raise RuntimeError("the mail server said try later")
    heard.append(("task", announcement.shown_on))


@pytest.fixture
def listening():
    heard.clear()
    yield heard
    for handler in (in_transaction, after_commit, raising, flaky_task):
        unlisten(handler)


def test_dependencies_read_back_as_they_are_written():
    assert str(Dependency("entry", "12")) == "entry:12"
    assert str(Dependency("home")) == "home"
    assert Dependency.parse("month:2025-01") == Dependency("month", "2025-01")


def test_listeners_hear_in_the_transaction_then_after_the_commit(
    db, listening, django_capture_on_commit_callbacks
):
    listen(ContentChanged, after_commit)
    listen(ContentChanged, in_transaction, moment=Moment.IN_TRANSACTION)

    with django_capture_on_commit_callbacks(execute=True):
        changes.announce(ContentChanged(shown_on=("home",)))
        assert heard == [("in transaction", ("home",))]

    assert heard == [("in transaction", ("home",)), ("after commit", ("home",))]


def test_a_rolled_back_change_reaches_no_listener_after_the_commit(db, listening):
    listen(ContentChanged, after_commit)

    with pytest.raises(ValueError), transaction.atomic():
        changes.announce(ContentChanged(shown_on=("home",)))
        raise ValueError("rolled back")

    assert heard == []


def test_a_listener_that_raises_never_undoes_or_blocks_a_publish(
    client, db, listening, caplog, django_capture_on_commit_callbacks
):
    listen(EntryChanged, raising)
    listen(EntryChanged, after_commit)
    entry = EntryFactory(title="Consular hours", live=False)

    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        entry.save_revision().publish()

    entry.refresh_from_db()
    assert entry.live
    assert "Consular hours" in client.get(entry.url).content.decode()
    assert [moment for moment, _shown_on in heard] == ["after commit"]  # the others still ran
    assert "a listener's server is down" in caplog.text


def test_a_failing_task_is_tried_again_until_it_succeeds(
    db, listening, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    failures["left"] = 2
    listen(ContentChanged, flaky_task, moment=Moment.TASK)

    with django_capture_on_commit_callbacks(execute=True):
        changes.announce(ContentChanged(shown_on=("feeds",)))

    assert heard == [("task", ("feeds",))]
    assert failures["left"] == 0


def test_a_retry_waits_longer_each_time_in_the_database_queue(
    db, listening, settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    failures["left"] = 1
    listen(ContentChanged, flaky_task, moment=Moment.TASK)
    with django_capture_on_commit_callbacks(execute=True):
        changes.announce(ContentChanged(shown_on=("feeds",)))
    ours = DBTaskResult.objects.filter(task_path="dragoman.core.changes.announcement_deliver")
    first = ours.get()

    changes.announcement_deliver.call(**first.args_kwargs["kwargs"])

    retry = ours.exclude(pk=first.pk).get()
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    # Not before the first delay.
    assert retry.run_after >= timezone.now() + changes.TASK_FIRST_DELAY * 0.9
    assert heard == []


def test_a_task_listener_must_be_importable_by_name():
    with pytest.raises(ValueError, match="importable"):
        listen(ContentChanged, lambda announcement: None, moment=Moment.TASK)
