"""A Dragoman cluster on one machine, real parts on loopback, and `make bench-cluster`.

    .venv/bin/python -m bench.cluster [--seconds 10] [--connections 32]

`cluster_running()` starts, under a temporary folder and on free ports: a PostgreSQL primary
and its streaming replica (two clusters made with the Debian binaries: initdb, pg_basebackup
-R, pg_ctl; as the `postgres` user when run as root, since initdb refuses root), a
redis-server of its own, three `dragoman serve` app servers (DATABASE_REPLICA_URL set, so
anonymous pages, feeds and search read the replica), two `dragoman worker`s, and nginx before
the app servers with the `upstream` and `location /` of deploy/nginx/dragoman-cluster.conf.
Each app server and worker runs in a process group of its own, so that `kill()` SIGKILLs it
whole, as a machine that dies.

It lives in bench/ with the other loopback servers (bench/common.py) because both users run
the same parts: the benchmark here under wrk, and tests/operations/test_cluster.py, which
kills an app server and a worker under load and checks what readers and the queue saw.

The benchmark loads the cached entry page and the search page (rendered from the replica)
through nginx with wrk, before the kills, after SIGKILL of one app server, then after SIGKILL
of one worker, and prints requests per second, errors, p50 and p99 for each; comments are
posted meanwhile so that the workers have tasks. Figures go to bench/results/. It asserts no
time.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench.common import BIN, HOST, ROOT, production_env, wait_ready, wrk
from tests.ports import free_port

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
TEMPLATE = ROOT / "deploy" / "nginx" / "dragoman-cluster.conf"
DATABASE = "dragoman"
STAMP = re.compile(r'name="stamp"[^>]*value="([^"]+)"')


def postgres_bin() -> Path | None:
    """The newest PostgreSQL server binaries of the machine (Debian's layout)."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    return Path(found[-1]).parent if found else None


def missing_parts() -> str | None:
    """Why a cluster cannot run here, or None."""
    if postgres_bin() is None:
        return "no PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb)"
    if shutil.which("redis-server") is None:
        return "redis-server is not installed"
    if not Path(NGINX).exists():
        return "nginx is not installed (Debian: nginx-light)"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "running as root without runuser to start PostgreSQL as another user"
    return None


def as_postgres(command: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def run(command: list[str], **kwargs: object) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload]
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")


def nginx_blocks() -> tuple[str, str]:
    """The upstream servers' parameters and the `location /` body of the operators' file."""
    text = TEMPLATE.read_text()
    upstream = re.search(r"upstream dragoman \{(.*?)\n\}", text, re.DOTALL)
    location = re.search(r"location / \{(.*?)\n    \}", text, re.DOTALL)
    server = re.search(r"^\s*server \S+ (.*);$", upstream.group(1) if upstream else "", re.M)
    if not (upstream and location and server):
        raise RuntimeError(f"{TEMPLATE} lost its upstream or location block")
    directives = [
        line for line in location.group(1).splitlines() if not line.strip().startswith("#")
    ]
    return server.group(1), "\n".join(directives)


def nginx_config(root: Path, port: int, app_ports: list[int]) -> str:
    parameters, location = nginx_blocks()
    servers = "\n".join(f"    server {HOST}:{p} {parameters};" for p in app_ports)
    return f"""worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/nginx-error.log;
daemon off;
events {{ worker_connections 1024; }}
http {{
  log_format cluster '$msec $request_method $uri $status $upstream_addr $upstream_status';
  access_log {root}/nginx-access.log cluster;
  client_body_temp_path {root};
  proxy_temp_path {root};
  fastcgi_temp_path {root};
  uwsgi_temp_path {root};
  scgi_temp_path {root};
  upstream dragoman {{
{servers}
    keepalive 32;
  }}
  server {{
    listen {HOST}:{port};
    location / {{{location}
    }}
  }}
}}
"""


@dataclass
class Cluster:
    root: Path
    primary_port: int
    replica_port: int
    redis_port: int
    nginx_port: int
    app_ports: list[int]
    env: dict[str, str]
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.nginx_port}"

    def database_url(self, port: int) -> str:
        return f"postgres://postgres@{HOST}:{port}/{DATABASE}"

    def start(self, name: str, command: list[str]) -> subprocess.Popen[bytes]:
        log = open(self.root / f"{name}.log", "ab")  # noqa: SIM115 - the process keeps it
        process = subprocess.Popen(
            command,
            env=self.env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group: kill() takes its children too
        )
        self.processes[name] = process
        return process

    def kill(self, name: str) -> None:
        """SIGKILL a part and every process of its group, as a machine that dies."""
        process = self.processes[name]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    def python(self, script: str, *arguments: str) -> str:
        """Run a script with Django set up against the cluster (the primary)."""
        result = subprocess.run(
            [sys.executable, "-c", f"import django\ndjango.setup()\n{script}", *arguments],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        if result.returncode != 0:
            raise RuntimeError(f"script failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def sql(self, port: int, query: str, *parameters: object) -> list[tuple]:
        import psycopg

        url = self.database_url(port).replace("postgres://", "postgresql://")
        for attempt in range(5):
            try:
                with psycopg.connect(url) as db:
                    return list(db.execute(query, parameters).fetchall())
            except psycopg.errors.SerializationFailure:
                # A replica may still cancel a read that its replay conflicts with, and
                # PostgreSQL's hint is to repeat it; a primary never raises this for a read.
                if port != self.replica_port or attempt == 4:
                    raise
                time.sleep(0.5)
        raise AssertionError("unreachable")

    def worker_pids(self) -> dict[str, int]:
        return {n: p.pid for n, p in self.processes.items() if n.startswith("worker")}

    def log_tail(self, name: str, size: int = 3000) -> str:
        path = self.root / f"{name}.log"
        return path.read_text(errors="replace")[-size:] if path.exists() else ""


SETUP = r"""
from datetime import timedelta
from django.utils import timezone
from dragoman.conversations.models import BlogConversationSettings
from tests.factories import BlogFactory, EntryFactory
blog = BlogFactory(title="Cluster blog", slug="cluster")
# Comments appear at once: each one published is a change and a task (its notifications).
BlogConversationSettings.objects.create(blog=blog, mode=BlogConversationSettings.Mode.POST_MODERATION)
entries = [
    EntryFactory(blog=blog, title=f"Cluster entry {n}", date=timezone.now() - timedelta(days=n + 1))
    for n in range(int(__import__("sys").argv[1]))
]
print(entries[0].pk, entries[0].url)
for entry in entries:
    print(entry.url)
"""

PUBLISH = r"""
import sys
from dragoman.blogs.models import BlogPage
from tests.factories import EntryFactory
entry = EntryFactory(blog=BlogPage.objects.get(slug="cluster"), title=sys.argv[1])
print(entry.pk, entry.url)
"""

SLOW_TASKS = r"""
import sys
from dragoman.core.changes import ContentChanged, _task_enqueue
for n in range(int(sys.argv[1])):
    _task_enqueue("bench.cluster.slow_listener", ContentChanged(shown_on=(f"slow-{n}",)), attempt=1)
"""


def slow_listener(announcement: object) -> None:
    """A task that takes a while, so that a worker killed under load is killed in the middle
    of one (the announcement's listeners are looked up by name, so the workers run this)."""
    time.sleep(1.5)


def postgres_start(root: Path, *, replica_delay_ms: int) -> tuple[int, int]:
    """A primary and its streaming replica; the replica may apply commits with a delay, to
    make its lag visible."""
    binaries = postgres_bin()
    assert binaries is not None
    primary, replica = root / "primary", root / "replica"
    primary_port, replica_port = free_port(), free_port()
    run(
        as_postgres(
            [
                str(binaries / "initdb"),
                "-D",
                str(primary),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
        )
    )
    with (primary / "postgresql.conf").open("a") as conf:
        conf.write(
            f"listen_addresses = '{HOST}'\nport = {primary_port}\n"
            f"unix_socket_directories = '{root}'\n"
            # A throwaway cluster: durability is not what is measured here.
            "fsync = off\nfull_page_writes = off\nshared_buffers = 32MB\n"
        )
    pg_ctl = str(binaries / "pg_ctl")
    run(
        as_postgres(
            [pg_ctl, "-D", str(primary), "-l", str(root / "primary.log"), "-w", "-t", "60", "start"]
        )
    )
    run(
        as_postgres(
            [
                str(binaries / "pg_basebackup"),
                "-h",
                HOST,
                "-p",
                str(primary_port),
                "-U",
                "postgres",
                "-D",
                str(replica),
                "-R",
                "-X",
                "stream",
                "-c",
                "fast",
            ]
        )
    )
    # hot_standby_feedback: the primary keeps the row versions a replica's reads still see,
    # so that replaying its cleanups does not cancel them ("conflict with recovery"), as
    # docs/operations.md advises for every read replica.
    extra = f"port = {replica_port}\nhot_standby_feedback = on\n"
    if replica_delay_ms:
        extra += f"recovery_min_apply_delay = '{replica_delay_ms}ms'\n"
    run(as_postgres(["sh", "-c", f"cat >> {replica}/postgresql.auto.conf"]), input=extra)
    run(
        as_postgres(
            [pg_ctl, "-D", str(replica), "-l", str(root / "replica.log"), "-w", "-t", "60", "start"]
        )
    )
    import psycopg

    with psycopg.connect(
        f"postgresql://postgres@{HOST}:{primary_port}/postgres", autocommit=True
    ) as db:
        db.execute(f'CREATE DATABASE "{DATABASE}"')
    return primary_port, replica_port


def postgres_stop(root: Path) -> None:
    binaries = postgres_bin()
    for name in ("replica", "primary"):
        if binaries and (root / name / "postmaster.pid").exists():
            subprocess.run(
                as_postgres(
                    [str(binaries / "pg_ctl"), "-D", str(root / name), "-m", "immediate", "stop"]
                ),
                capture_output=True,
                check=False,
                timeout=60,
            )


@contextlib.contextmanager
def cluster_running(
    *, entries: int = 12, apps: int = 3, workers: int = 2, replica_delay_ms: int = 0
) -> Iterator[tuple[Cluster, int, list[str]]]:
    """The whole cluster, stopped and removed afterwards; yields it, the id of the entry the
    comments go to, and the entries' paths."""
    root = Path(tempfile.mkdtemp(prefix="dragoman-cluster-"))
    root.chmod(0o755)  # PostgreSQL, run as its own user, writes its folders and socket here
    if os.geteuid() == 0:
        shutil.chown(root, user="postgres")
    cluster: Cluster | None = None
    try:
        primary_port, replica_port = postgres_start(root, replica_delay_ms=replica_delay_ms)
        redis_port, nginx_port = free_port(), free_port()
        app_ports = [free_port() for _ in range(apps)]
        env = production_env(
            root / "data",
            DATABASE_URL=f"postgres://postgres@{HOST}:{primary_port}/{DATABASE}",
            DATABASE_REPLICA_URL=f"postgres://postgres@{HOST}:{replica_port}/{DATABASE}",
            CACHE_URL=f"redis://{HOST}:{redis_port}/0",
            DRAGOMAN_BASE_URL=f"http://{HOST}:{nginx_port}",
            DRAGOMAN_SCHEDULER="off",
            DRAGOMAN_SCHEDULER_TASKS="off",
            DRAGOMAN_COMMENT_BENCHMARK="1",  # loopback commenters: no minimum time, no rate
            DRAGOMAN_WORKER_HEARTBEAT="1",
            DRAGOMAN_SERVE_MEDIA="true",
            PYTHONPATH=str(ROOT),
        )
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        cluster = Cluster(root, primary_port, replica_port, redis_port, nginx_port, app_ports, env)
        cluster.start(
            "redis",
            [
                "redis-server",
                "--port",
                str(redis_port),
                "--bind",
                HOST,
                "--save",
                "",
                "--appendonly",
                "no",
            ],
        )
        dragoman = str(BIN / "dragoman")
        # Side by side: collectstatic needs no database.
        static = subprocess.Popen(
            [dragoman, "collectstatic", "--no-input"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        run([dragoman, "migrate", "--no-input"], env=env, cwd=ROOT)
        if static.wait(timeout=600) != 0:
            raise RuntimeError(
                f"collectstatic failed: {static.stderr.read() if static.stderr else ''}"
            )
        lines = cluster.python(SETUP, str(entries)).split()
        entry_id, paths = int(lines[0]), lines[2:]
        for n, port in enumerate(app_ports):
            # Each server's own metrics folder (it empties it at start), there before it starts.
            (root / f"metrics-{n}").mkdir()
            cluster.env["PROMETHEUS_MULTIPROC_DIR"] = str(root / f"metrics-{n}")
            cluster.start(
                f"app-{n}",
                [
                    dragoman,
                    "serve",
                    "--host",
                    HOST,
                    "--port",
                    str(port),
                    "--workers",
                    "1",
                    "--no-setup",
                    "--no-live",
                ],
            )
        cluster.env.pop("PROMETHEUS_MULTIPROC_DIR")
        for n in range(workers):
            cluster.start(f"worker-{n}", [dragoman, "worker", "--interval", "0.2"])
        (root / "nginx.conf").write_text(nginx_config(root, nginx_port, app_ports))
        cluster.start("nginx", [NGINX, "-c", str(root / "nginx.conf"), "-p", str(root)])
        for port in app_ports:
            wait_ready(f"http://{HOST}:{port}/healthz", timeout=120)
        wait_ready(f"{cluster.url}/healthz")
        yield cluster, entry_id, paths
    except BaseException:
        for name in cluster.processes if cluster else ():
            sys.stderr.write(f"--- {name}\n{cluster.log_tail(name, 1500)}\n")  # type: ignore[union-attr]
        raise
    finally:
        if cluster is not None:
            for name in reversed(list(cluster.processes)):
                process = cluster.processes[name]
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(process.pid, signal.SIGKILL)
        postgres_stop(root)
        if not os.environ.get("DRAGOMAN_CLUSTER_KEEP"):
            shutil.rmtree(root, ignore_errors=True)


# Load -----------------------------------------------------------------------------------------


@dataclass
class Outcome:
    method: str
    path: str
    started: float
    ended: float
    status: int  # 0: no answer (connection error)


@dataclass
class Load:
    """Readers and commenters through nginx, each request recorded with its times."""

    cluster: Cluster
    paths: list[str]
    entry_id: int
    readers: int = 6
    commenters: int = 2
    outcomes: list[Outcome] = field(default_factory=list)
    in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)
    threads: list[threading.Thread] = field(default_factory=list)
    acknowledged: list[str] = field(default_factory=list)

    def request(
        self, connection: http.client.HTTPConnection, method: str, path: str, body: str = ""
    ) -> tuple[int, http.client.HTTPResponse | None]:
        origin = self.cluster.url
        headers = (
            {"Content-Type": "application/x-www-form-urlencoded", "Origin": origin} if body else {}
        )
        with self.lock:
            self.in_flight += 1
        started = time.monotonic()
        status, response = 0, None
        try:
            connection.request(method, path, body or None, headers)
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            connection.close()
        finally:
            with self.lock:
                self.in_flight -= 1
                self.outcomes.append(Outcome(method, path, started, time.monotonic(), status))
        return status, response

    def reader(self, number: int) -> None:
        connection = http.client.HTTPConnection(HOST, self.cluster.nginx_port, timeout=30)
        paths = [*self.paths, "/", "/blogs/", "/search/?q=cluster", "/feed/rss/"]
        n = number
        while not self.stop.is_set():
            self.request(connection, "GET", paths[n % len(paths)])
            n += 1

    def commenter(self, number: int, stamp: str) -> None:
        connection = http.client.HTTPConnection(HOST, self.cluster.nginx_port, timeout=30)
        sent = 0
        while not self.stop.is_set():
            marker = f"cluster-{number}-{sent}"
            sent += 1
            body = urllib.parse.urlencode(
                {
                    "name": f"Reader {number}",
                    "email": "",
                    "website": "",
                    "stamp": stamp,
                    "body": f"A comment from the cluster's load, {marker}.",
                }
            )
            status, _ = self.request(
                connection, "POST", f"/conversations/entries/{self.entry_id}/comment/", body
            )
            if status == 302:
                with self.lock:
                    self.acknowledged.append(marker)
            time.sleep(0.2)

    def start(self) -> None:
        connection = http.client.HTTPConnection(HOST, self.cluster.nginx_port, timeout=30)
        connection.request("GET", self.paths[0])
        match = STAMP.search(connection.getresponse().read().decode())
        if not match:
            raise RuntimeError("no comment form on the entry page")
        for n in range(self.readers):
            self.threads.append(threading.Thread(target=self.reader, args=(n,), daemon=True))
        for n in range(self.commenters):
            self.threads.append(
                threading.Thread(target=self.commenter, args=(n, match.group(1)), daemon=True)
            )
        for thread in self.threads:
            thread.start()

    def finish(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)

    def kill(self, name: str) -> tuple[float, int]:
        """SIGKILL a part under this load: (the moment, the requests in flight then)."""
        with self.lock:
            moment, in_flight = time.monotonic(), self.in_flight
        self.cluster.kill(name)
        return moment, in_flight

    def failed(self) -> list[Outcome]:
        with self.lock:
            return [o for o in self.outcomes if o.status == 0 or o.status >= 500]


def tasks_unfinished(cluster: Cluster) -> dict[str, int]:
    rows = cluster.sql(
        cluster.primary_port,
        "SELECT status, count(*) FROM django_tasks_database_dbtaskresult GROUP BY status",
    )
    return {status: count for status, count in rows}


def tasks_drained(cluster: Cluster, timeout: float = 90) -> dict[str, int]:
    """Wait until no task waits or runs; the count of each status then."""
    deadline = time.monotonic() + timeout
    while True:
        statuses = tasks_unfinished(cluster)
        if not statuses.get("READY") and not statuses.get("RUNNING"):
            return statuses
        if time.monotonic() > deadline:
            return statuses
        time.sleep(0.5)


# The benchmark ------------------------------------------------------------------------------


def phase(cluster: Cluster, entry_path: str, seconds: int, connections: int) -> list[str]:
    rows = []
    for label, path in (
        ("entry page (cached)", entry_path),
        ("search (replica)", "/search/?q=cluster"),
    ):
        load = wrk(cluster.url + path, seconds=seconds, connections=connections, timeout=10)
        rows.append(
            f"| {label} | {load.rps:,.0f} | {load.errors} | {load.p50_ms:.2f} | {load.p99_ms:.2f} |"
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    reason = missing_parts() or (None if shutil.which("wrk") else "wrk is not installed")
    if reason:
        raise SystemExit(f"Cannot run the cluster benchmark: {reason}.")
    lines = [
        f"# Cluster on one machine ({os.cpu_count()} cores), {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        "PostgreSQL primary + streaming replica, Redis, 3 `dragoman serve` (1 worker each) "
        "behind nginx, 2 `dragoman worker`; wrk "
        f"{args.connections} connections, {args.seconds} s per row, 10 s timeout; comments "
        "posted meanwhile. Errors: wrk's connect, read, write and timeout errors and non-2xx.",
        "",
    ]
    with cluster_running() as (cluster, entry_id, paths):
        load = Load(cluster, paths, entry_id, readers=0, commenters=1)
        load.start()
        for label, kill in (
            ("all parts up", None),
            ("after SIGKILL of app-0", "app-0"),
            ("after SIGKILL of worker-0", "worker-0"),
        ):
            if kill:
                cluster.kill(kill)
            lines += [
                f"## {label}",
                "",
                "| page | requests/s | errors | p50 ms | p99 ms |",
                "| --- | ---: | ---: | ---: | ---: |",
            ]
            lines += phase(cluster, paths[0], args.seconds, args.connections)
            lines.append("")
        load.finish()
        statuses = tasks_drained(cluster)
        lines.append(
            f"Comments acknowledged: {len(load.acknowledged)}; comment posts failed: "
            f"{len(load.failed())}; tasks at the end: {statuses}"
        )
    report = "\n".join(lines) + "\n"
    print(report)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    name = f"{datetime.now(UTC):%Y-%m-%d-%H%M}-cluster.md"
    (results / name).write_text(report)
    print(f"Written to bench/results/{name}")


if __name__ == "__main__":
    main()
