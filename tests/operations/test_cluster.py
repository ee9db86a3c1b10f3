"""The cluster on one machine, real parts on loopback (bench/cluster.py): a PostgreSQL primary
and its streaming replica, Redis, three `dragoman serve` behind nginx, two `dragoman worker`.

One run under load (readers, commenters, publishes through the task queue) SIGKILLs an app
server, then a worker in the middle of a task; each test below checks one thing that run
saw. The replica applies commits six seconds late (recovery_min_apply_delay), so that a page
refreshed after a publish would show the older state if it were read from the replica.

It runs with the PostgreSQL suite (`make test-postgres`, and CI), once: it starts PostgreSQL
clusters of its own, so it needs the server binaries, redis-server and nginx.
"""

from __future__ import annotations

import os
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field

import pytest

from bench.cluster import (
    PUBLISH,
    SLOW_TASKS,
    Cluster,
    Load,
    Outcome,
    as_postgres,
    cluster_running,
    missing_parts,
    nginx_blocks,
    postgres_bin,
    tasks_drained,
)

pytestmark = pytest.mark.cluster

REPLICA_DELAY_MS = 6000
PUBLISH_THEN_READ = (
    PUBLISH
    + r"""
import urllib.request
import psycopg
with urllib.request.urlopen(sys.argv[2], timeout=30) as response:
    shown = sys.argv[1] in response.read().decode()
with psycopg.connect(sys.argv[3]) as replica:
    rows = replica.execute("SELECT count(*) FROM wagtailcore_page WHERE title = %s", [sys.argv[1]])
    replica_had = rows.fetchone()[0] > 0
print(shown, replica_had)
"""
)


def skip_reason() -> str | None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return "the cluster runs with the PostgreSQL suite (make test-postgres)"
    return missing_parts()


@dataclass
class Run:
    """What the run under load saw."""

    replica_transactions: int = 0
    fence_page_shows_entry: bool = False
    replica_had_entry_at_render: bool = True
    replica_sees_entry: bool = False
    app_killed_at: float = 0.0
    in_flight_at_app_kill: int = 0
    outcomes: list[Outcome] = field(default_factory=list)
    killed_task: str = ""
    tasks: dict[str, int] = field(default_factory=dict)
    killed_task_status: str = ""
    acknowledged: list[str] = field(default_factory=list)
    stored: set[str] = field(default_factory=set)
    comments_published: int = 0
    comment_tasks_done: int = 0
    after_kills_page_shows_entry: bool = False
    search_without_replica: int = 0
    app_errors: str = ""
    app_errors_without_replica: str = ""
    entry_without_replica: int = 0


def page(cluster: Cluster, path: str) -> str:
    with urllib.request.urlopen(cluster.url + path, timeout=30) as response:
        return response.read().decode()


def page_status(cluster: Cluster, path: str) -> int:
    try:
        with urllib.request.urlopen(cluster.url + path, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def replica_stop(cluster: Cluster) -> None:
    binaries = postgres_bin()
    assert binaries is not None
    pg_ctl = [str(binaries / "pg_ctl"), "-D", str(cluster.root / "replica"), "-m", "immediate"]
    subprocess.run(as_postgres([*pg_ctl, "stop"]), check=True, capture_output=True, timeout=60)


def replica_has(cluster: Cluster, title: str) -> bool:
    rows = cluster.sql(
        cluster.replica_port, "SELECT count(*) FROM wagtailcore_page WHERE title = %s", title
    )
    return rows[0][0] > 0


def replica_transactions(cluster: Cluster) -> int:
    rows = cluster.sql(
        cluster.replica_port,
        "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()",
    )
    return int(rows[0][0])


def wait_until(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def task_running_on(cluster: Cluster, pid: int) -> str:
    """The id of a task RUNNING on the worker with this process id ("" if none)."""
    rows = cluster.sql(
        cluster.primary_port,
        "SELECT id::text FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'"
        " AND worker_ids::text LIKE %s",
        f"%:{pid}:%",
    )
    return rows[0][0] if rows else ""


@pytest.fixture(scope="module")
def run() -> Run:
    reason = skip_reason()
    if reason:
        pytest.skip(reason)
    seen = Run()
    with cluster_running(entries=6, replica_delay_ms=REPLICA_DELAY_MS) as (
        cluster,
        entry_id,
        paths,
    ):
        # Anonymous search and pages read the replica (its own transaction count grows).
        before = replica_transactions(cluster)
        for path in ("/search/?q=cluster", "/search/?q=entry", paths[1]):
            page(cluster, path)
        wait_until(lambda: replica_transactions(cluster) > before, 5)
        seen.replica_transactions = replica_transactions(cluster) - before

        # A publish, then at once (in the same process, right after the commit) its blog's
        # page, refreshed, and the replica, still behind.
        shown, replica_had = cluster.python(
            PUBLISH_THEN_READ,
            "An entry behind the fence",
            f"{cluster.url}/blogs/cluster/",
            cluster.database_url(cluster.replica_port).replace("postgres://", "postgresql://"),
        ).split()[-2:]
        seen.fence_page_shows_entry = shown == "True"
        seen.replica_had_entry_at_render = replica_had == "True"
        seen.replica_sees_entry = wait_until(
            lambda: replica_has(cluster, "An entry behind the fence"), 30
        )

        load = Load(cluster, paths, entry_id, readers=6, commenters=2)
        load.start()
        time.sleep(4)
        seen.app_killed_at, seen.in_flight_at_app_kill = load.kill("app-0")
        time.sleep(3)

        # Slow tasks, so that the worker is killed in the middle of one: enough to keep both
        # workers busy for a while, or on a loaded machine the other may run them all first.
        cluster.python(SLOW_TASKS, "20")
        worker_pid = cluster.worker_pids()["worker-0"]
        wait_until(lambda: bool(task_running_on(cluster, worker_pid)), 60)
        seen.killed_task = task_running_on(cluster, worker_pid)
        cluster.kill("worker-0")
        time.sleep(2)

        cluster.python(PUBLISH, "An entry after the kills")
        seen.after_kills_page_shows_entry = "An entry after the kills" in page(
            cluster, "/blogs/cluster/"
        )
        time.sleep(2)
        load.finish()

        seen.outcomes = list(load.outcomes)
        # What the app servers logged as errors, to explain a failure below.
        seen.app_errors = "\n".join(
            cluster.log_tail(name, 4000)
            for name in cluster.processes
            if name.startswith("app") and "ERROR" in cluster.log_tail(name, 10**6)
        )
        seen.acknowledged = list(load.acknowledged)
        seen.tasks = tasks_drained(cluster, 180)  # twenty slow tasks, one worker left
        if seen.killed_task:
            seen.killed_task_status = cluster.sql(
                cluster.primary_port,
                "SELECT status FROM django_tasks_database_dbtaskresult WHERE id::text = %s",
                seen.killed_task,
            )[0][0]
        bodies = cluster.sql(
            cluster.primary_port,
            "SELECT body, status FROM conversations_comment WHERE body LIKE %s",
            "A comment from the cluster's load, %",
        )
        seen.stored = {body.rsplit(", ", 1)[1].rstrip(".") for body, _status in bodies}
        seen.comments_published = sum(1 for _body, status in bodies if status == "approved")
        seen.comment_tasks_done = cluster.sql(
            cluster.primary_port,
            "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'SUCCESSFUL'"
            " AND args_kwargs::text LIKE %s",
            "%CommentPublished%",
        )[0][0]

        # The replica stops: readers are answered from the primary.
        replica_stop(cluster)
        seen.search_without_replica = page_status(cluster, "/search/?q=without")
        seen.entry_without_replica = page_status(cluster, paths[2] + "?page=1")
        seen.app_errors_without_replica = "\n".join(
            cluster.log_tail(name, 6000) for name in cluster.processes if name.startswith("app")
        )
    return seen


def failed(outcomes: list[Outcome]) -> list[Outcome]:
    return [o for o in outcomes if o.status == 0 or o.status >= 500]


def test_only_requests_in_flight_on_the_killed_app_server_fail(run):
    failures = failed(run.outcomes)

    assert len(failures) <= run.in_flight_at_app_kill, run.app_errors
    assert all(o.started <= run.app_killed_at <= o.ended for o in failures), (
        failures,
        run.app_errors,
    )


def test_reads_in_flight_on_the_killed_app_server_are_answered_by_another(run):
    # nginx sends an idempotent request again to the next server (proxy_next_upstream).
    assert [o for o in failed(run.outcomes) if o.method == "GET"] == [], run.app_errors


def test_the_load_went_on_after_the_kill(run):
    answered_after = [o for o in run.outcomes if o.started > run.app_killed_at and o.status]

    assert len(answered_after) > 20
    assert {o.method for o in answered_after} == {"GET", "POST"}


def test_every_acknowledged_comment_is_stored(run):
    assert run.acknowledged
    assert set(run.acknowledged) <= run.stored


def test_no_task_is_lost_when_a_worker_dies_in_the_middle_of_one(run):
    assert run.killed_task, "the worker was killed while it ran no task"
    assert run.killed_task_status == "SUCCESSFUL"
    assert set(run.tasks) == {"SUCCESSFUL"}, run.tasks


def test_every_published_comment_had_its_task_run(run):
    assert run.comments_published > 0
    assert run.comment_tasks_done == run.comments_published


def test_publishing_goes_on_after_the_kills(run):
    assert run.after_kills_page_shows_entry


def test_anonymous_reads_go_to_the_replica(run):
    assert run.replica_transactions > 0


def test_a_refreshed_page_shows_the_publish_while_the_replica_lags(run):
    assert not run.replica_had_entry_at_render, "the replica was not behind: nothing proved"
    assert run.fence_page_shows_entry


def test_the_replica_sees_a_published_entry_after_replication(run):
    assert run.replica_sees_entry


def test_readers_are_answered_from_the_primary_when_the_replica_stops(run):
    assert run.search_without_replica == 200, run.app_errors_without_replica
    assert run.entry_without_replica == 200, run.app_errors_without_replica


def test_only_idempotent_requests_are_sent_again_to_another_server():
    parameters, location = nginx_blocks()

    assert "max_fails=" in parameters and "fail_timeout=" in parameters
    assert "proxy_next_upstream error timeout http_502 http_503;" in location
    assert "non_idempotent" not in location
