"""`dragoman worker`: the queued tasks run in a process of their own."""

from __future__ import annotations

import subprocess

from tests.operations.sites import DRAGOMAN, ROOT, python, site_copy, site_env

ENQUEUE = r"""
import django
django.setup()
from dragoman.core.changes import ContentChanged, _task_enqueue
for _ in range(2):
    _task_enqueue("tests.core.test_scheduler.listener", ContentChanged(shown_on=("home",)), attempt=1)
"""
STATUSES = r"""
import django
django.setup()
from django_tasks_db.models import DBTaskResult
print(sorted(DBTaskResult.objects.values_list("status", flat=True)))
"""


def test_two_workers_run_the_queued_tasks_each_once(built_site, tmp_path):
    env = site_env(site_copy(built_site, tmp_path / "site"), PYTHONPATH=str(ROOT))
    python(env, ENQUEUE)

    # Two at once, as on two machines: each takes its own task from the queue.
    workers = [
        subprocess.Popen(
            [str(DRAGOMAN), "worker", "--max-tasks", "1", "--interval", "0.1"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for worker in workers:
        _out, errors = worker.communicate(timeout=600)
        assert worker.returncode == 0, errors

    statuses = python(env, STATUSES).strip().splitlines()[-1]
    # The site's own tasks wait too (Wagtail's reference index): each worker took one.
    assert statuses.count("'SUCCESSFUL'") == 2
    assert "'RUNNING'" not in statuses
