"""The scheduler beside `dragoman serve`: the jobs the apps register, each at its interval,
and the queued tasks between them; it stops with the server."""

import pytest

from dragoman.core import scheduler


def test_scheduler_loop_stops_when_its_parent_is_gone_even_after_a_long_pass(db):
    from django.core.cache import cache

    from dragoman.blogs.services import DUE_CHECKED_KEY

    # Every real job runs once, longer than the interval; then the loop sees that no parent
    # process is left (no process has pid -1) and returns rather than waiting.
    scheduler.run_forever(interval=0.01, parent_pid=-1)

    assert cache.get(DUE_CHECKED_KEY) is not None  # publish-scheduled ran


def test_scheduler_runs_each_periodic_job_at_its_own_interval(db, monkeypatch):
    ran: list[str] = []
    monkeypatch.setattr(
        "django.core.management.call_command", lambda name, **options: ran.append(name)
    )
    last_runs: dict[str, float] = {}

    scheduler.periodic_run(last_runs, now=0)
    scheduler.periodic_run(last_runs, now=120)
    scheduler.periodic_run(last_runs, now=scheduler.DAY_SECONDS + 1)

    assert ran.count("conversations-reopen") == 3
    assert ran.count("purge-personal-data") == 2
    assert ran.count("comments-digest") == 2


def test_every_periodic_job_is_a_real_command_that_runs(db):
    ran = scheduler.periodic_run({}, now=0)

    assert ran == [command for command, _every in scheduler.PERIODIC_COMMANDS]


def test_each_app_registers_its_own_jobs():
    registered = dict(scheduler.PERIODIC_COMMANDS)

    assert registered["publish-scheduled"] == scheduler.INTERVAL_SECONDS  # blogs
    assert registered["listing-counts"] == scheduler.DAY_SECONDS  # blogs
    assert registered["conversations-reopen"] == scheduler.INTERVAL_SECONDS  # conversations
    assert registered["purge-personal-data"] == scheduler.DAY_SECONDS  # conversations


@pytest.mark.django_db(transaction=True)  # the worker closes the connection when it is done
def test_queued_tasks_run_between_jobs(settings):
    from django_tasks_db.models import DBTaskResult

    from dragoman.core.changes import ContentChanged, _task_enqueue

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    _task_enqueue(
        "tests.core.test_scheduler.listener", ContentChanged(shown_on=("home",)), attempt=1
    )
    ours = DBTaskResult.objects.filter(task_path="dragoman.core.changes.announcement_deliver")
    assert ours.get().status == "READY"

    scheduler.tasks_run()

    assert ours.get().status == "SUCCESSFUL"
    assert heard == [("home",)]
    # Wagtail's own queued tasks (its reference index) ran too: nothing is left waiting.
    assert not DBTaskResult.objects.filter(status="READY").exists()


heard: list = []


def listener(announcement) -> None:
    heard.append(announcement.shown_on)
