"""Comment load and durability against `dragoman serve` on SQLite.

    .venv/bin/python -m bench.comments [--clients 50] [--seconds 30] [--compare-synchronous]

1. Steady load: CLIENTS concurrent commenters post for SECONDS against a fresh site (its own
   data folder, SQLite, the production server granian). Each comment counts as acknowledged
   once its thank-you page has arrived. Prints comments accepted per second, errors (should
   be 0: no "database is locked"), and whether every acknowledged comment is in the database.
2. Crash: the same load, with the server SIGKILLed halfway and started again. Every comment
   that got its thank-you page must still be there; errors after the kill are expected (the
   server is gone) and counted apart.
3. With --compare-synchronous, step 1 runs twice on fresh sites, with SQLite's
   `synchronous=NORMAL` then `FULL` (DRAGOMAN_SQLITE_SYNCHRONOUS), and prints both rates and
   their ratio: what durability against a power cut costs. The crash step runs with FULL, the
   setting Dragoman ships.

The server runs with DRAGOMAN_COMMENT_BENCHMARK=1, which lifts the minimum-time and
rate-limit checks for loopback requests only (all other defences stay on: origin, signed
stamp, honeypot, links, blocklist, duplicates). Prints figures; asserts no time.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import ROOT, free_port

PYTHON = sys.executable
DRAGOMAN = str(Path(PYTHON).parent / "dragoman")
STAMP = re.compile(r'name="stamp"[^>]*value="([^"]+)"')
THANKS = "Thank you for your comment"

SETUP = """
from datetime import timedelta
from django.utils import timezone
from tests.factories import EntryFactory
entry = EntryFactory(title="Benchmark entry", date=timezone.now() - timedelta(hours=1))
print(entry.pk, entry.url)
"""


@dataclass
class Tally:
    acknowledged: list[str] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def error(self, kind: str) -> None:
        with self.lock:
            self.errors[kind] = self.errors.get(kind, 0) + 1


def environment(data_dir: Path, synchronous: str = "FULL") -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DRAGOMAN_DATA_DIR": str(data_dir),
            "DRAGOMAN_SQLITE_SYNCHRONOUS": synchronous,
            "DRAGOMAN_COMMENT_BENCHMARK": "1",
            "DRAGOMAN_LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
    )
    env.pop("DATABASE_URL", None)
    env.pop("CACHE_URL", None)
    return env


def setup_site(env: dict[str, str]) -> tuple[int, str]:
    manage = [PYTHON, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--verbosity", "0"], env=env, check=True, cwd=ROOT)
    out = subprocess.run(
        [*manage, "shell", "-c", SETUP],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.split()
    return int(out[-2]), out[-1]


def start_server(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [DRAGOMAN, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: SIGKILL reaches granian's workers too
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    raise SystemExit("The server did not start within 60 s.")


def kill(server: subprocess.Popen[bytes], sig: int) -> None:
    try:
        os.killpg(server.pid, sig)
    except ProcessLookupError:
        return
    server.wait(timeout=60)


def form_stamp(port: int, url: str) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", url)
    page = connection.getresponse().read().decode()
    match = STAMP.search(page)
    if not match:
        raise SystemExit("No comment form on the entry page.")
    return match.group(1)


def commenter(
    number: int,
    port: int,
    entry_id: int,
    stamp: str,
    until: float,
    stop: threading.Event,
    tally: Tally,
) -> None:
    origin = f"http://127.0.0.1:{port}"
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Origin": origin}
    connection: http.client.HTTPConnection | None = None
    sent = 0
    while time.time() < until and not stop.is_set():
        marker = f"bench-{number}-{sent}-{uuid.uuid4().hex}"
        sent += 1
        body = urllib.parse.urlencode(
            {
                "name": f"Commenter {number}",
                "email": "",
                "body": f"A comment from the benchmark, {marker}.",
                "website": "",
                "stamp": stamp,
            }
        )
        try:
            connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            connection.request("POST", f"/conversations/entries/{entry_id}/comment/", body, headers)
            response = connection.getresponse()
            response.read()
            if response.status != 302:
                tally.error(f"HTTP {response.status}")
                continue
            connection.request("GET", response.headers["Location"])
            thanks = connection.getresponse()
            page = thanks.read().decode()
            if thanks.status == 200 and THANKS in page:
                with tally.lock:
                    tally.acknowledged.append(marker)
            else:
                tally.error(f"thank-you page HTTP {thanks.status}")
        except (OSError, http.client.HTTPException) as error:
            tally.error(type(error).__name__)
            connection = None
            if stop.is_set():
                return
            time.sleep(0.05)


def load(
    *,
    clients: int,
    seconds: float,
    port: int,
    entry_id: int,
    stamp: str,
    stop: threading.Event,
    tally: Tally,
) -> float:
    until = time.time() + seconds
    threads = [
        threading.Thread(
            target=commenter, args=(n, port, entry_id, stamp, until, stop, tally), daemon=True
        )
        for n in range(clients)
    ]
    started = time.time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.time() - started


def stored_markers(data_dir: Path) -> set[str]:
    database = sqlite3.connect(data_dir / "dragoman.sqlite3")
    rows = database.execute("SELECT body FROM conversations_comment").fetchall()
    database.close()
    found = set()
    for (body,) in rows:
        match = re.search(r"(bench-\d+-\d+-[0-9a-f]{32})", body)
        if match:
            found.add(match.group(1))
    return found


def report(
    title: str, tally: Tally, elapsed: float, stored: set[str], before_kill: int = -1
) -> int:
    missing = [marker for marker in tally.acknowledged if marker not in stored]
    print(f"\n== {title}")
    print(f"acknowledged comments:       {len(tally.acknowledged)}")
    rate_time = elapsed
    print(f"comments accepted per second: {len(tally.acknowledged) / rate_time:.1f}")
    if before_kill >= 0:
        print(f"acknowledged before the kill: {before_kill}")
    print(f"errors:                      {sum(tally.errors.values())} {tally.errors or ''}")
    print(
        f"in the database afterwards:  {len(tally.acknowledged) - len(missing)} of {len(tally.acknowledged)}"
    )
    print(f"acknowledged but lost:       {len(missing)}")
    return len(missing)


@dataclass
class Site:
    data_dir: Path
    entry_id: int
    stamp: str
    lost: int
    rate: float  # acknowledged comments per second


def steady_load(args: argparse.Namespace, synchronous: str) -> Site:
    """Step 1 on a fresh site."""
    data_dir = Path(tempfile.mkdtemp(prefix="dragoman-bench-comments-"))
    env = environment(data_dir, synchronous)
    entry_id, url = setup_site(env)
    print(
        f"site in {data_dir}; entry {entry_id} at {url}; {args.clients} clients, "
        f"{args.workers} workers, synchronous={synchronous}"
    )
    server = start_server(env, args.port, args.workers)
    stamp = form_stamp(args.port, url)
    tally = Tally()
    elapsed = load(
        clients=args.clients,
        seconds=args.seconds,
        port=args.port,
        entry_id=entry_id,
        stamp=stamp,
        stop=threading.Event(),
        tally=tally,
    )
    kill(server, signal.SIGTERM)
    lost = report(
        f"steady load, {args.seconds:.0f} s, synchronous={synchronous}",
        tally,
        elapsed,
        stored_markers(data_dir),
    )
    return Site(data_dir, entry_id, stamp, lost, len(tally.acknowledged) / elapsed)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    # By default a port the system says is free: another benchmark may hold 8931.
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--compare-synchronous",
        action="store_true",
        help="measure the steady load with synchronous=NORMAL and FULL and print the ratio",
    )
    args = parser.parse_args()
    if not args.port:
        args.port = free_port()

    # 1. Steady load (and, to compare, the same with NORMAL first).
    normal = steady_load(args, "NORMAL") if args.compare_synchronous else None
    site = steady_load(args, "FULL")
    lost = site.lost + (normal.lost if normal else 0)
    if normal is not None:
        print("\n== what synchronous=FULL costs")
        print(f"comments per second, NORMAL: {normal.rate:.1f}")
        print(f"comments per second, FULL:   {site.rate:.1f}")
        ratio = site.rate / normal.rate if normal.rate else float("nan")
        print(f"FULL / NORMAL:               {ratio:.2f}")
    data_dir, entry_id, stamp = site.data_dir, site.entry_id, site.stamp
    env = environment(data_dir, "FULL")

    # 2. SIGKILL halfway, then restart.
    server = start_server(env, args.port, args.workers)
    stop = threading.Event()
    crash_tally = Tally()
    runner = threading.Thread(
        target=load,
        kwargs={
            "clients": args.clients,
            "seconds": args.seconds,
            "port": args.port,
            "entry_id": entry_id,
            "stamp": stamp,
            "stop": stop,
            "tally": crash_tally,
        },
    )
    runner.start()
    time.sleep(args.seconds / 2)
    with crash_tally.lock:
        before_kill = len(crash_tally.acknowledged)
    kill(server, signal.SIGKILL)
    killed_at = time.time()
    # Requests in flight at the kill fail; readers whose thank-you page never came were not
    # promised anything. Stop the commenters and count what was acknowledged.
    stop.set()
    runner.join()
    server = start_server(env, args.port, args.workers)
    print(
        f"\nserver SIGKILLed after {args.seconds / 2:.0f} s, restarted in {time.time() - killed_at:.1f} s"
    )
    stored = stored_markers(data_dir)
    kill(server, signal.SIGTERM)
    lost += report(
        "SIGKILL mid-load and restart", crash_tally, args.seconds / 2, stored, before_kill
    )
    print(
        f"\nRESULT: {'every acknowledged comment survived' if lost == 0 else f'{lost} acknowledged comments LOST'}"
    )


if __name__ == "__main__":
    main()
