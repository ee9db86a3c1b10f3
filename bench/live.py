"""Live question sessions under load: `make bench-live` (or `python -m bench.live --readers 500`).

Seeds a small network, starts `dragoman serve` on loopback (the WSGI pages plus the live
streams' ASGI process), opens READERS event streams on one session from this process (asyncio,
raw sockets), then:

- samples the resident memory of the server's processes (WSGI workers and the live process),
  and their proportional shares (PSS: shared pages counted once in all);
- gives ANSWERS answers, one every half second, each through the service an official's button
  calls, and times each one from the call to its arrival on every stream (p50, p99);
- loads the cached entry page with wrk while the streams are open, then again after they are
  closed, and nginx serving the same bytes, and prints each as a share of nginx's.

With ``--before REF`` (a git commit, e.g. ``main``) the same run first serves that commit's
code (its files, this checkout's virtualenv and seeded data) then this checkout's, and prints
both columns and their ratio: one run, one machine state, before and after.

Figures only: nothing is asserted. Ports: --port and the next two (pages, live, nginx).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.common import (
    HOST,
    ROOT,
    dragoman_serve,
    fetch,
    nginx_serving,
    process_tree_rss,
    production_env,
    running,
    wrk,
)
from bench.run import find_urls, seed


def live_process_pids(server_pid: int) -> list[int]:
    """The live server's processes: detached from the main server (see core/children.py), so
    found by the watcher's command line, which names the server's pid."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            command = (entry / "cmdline").read_bytes().split(b"\0")
            if b"dragoman.core.children" in command and str(server_pid).encode() in command:
                pids.append(int(entry.name))
    return pids


def memory(server_pid: int, field: str = "VmRSS") -> int:
    return sum(memory_by_part(server_pid, field).values())


def memory_by_part(server_pid: int, field: str = "VmRSS") -> dict[str, int]:
    """Resident memory of the server's parts: the page server's supervisor, its workers, and
    the live streams' processes (however many the live server runs).

    The resident sizes (VmRSS) count each page a process maps, so pages shared by several
    processes (the libraries' code, what a fork left shared) are counted once per process;
    their proportional shares (``field="Pss"``) add up to the memory the server takes."""
    pages = process_tree_rss(server_pid, field)
    parts = {
        "page server supervisor": pages.pop(server_pid, 0),
        "page workers": sum(pages.values()),
        "live server": 0,
    }
    for pid in live_process_pids(server_pid):
        parts["live server"] += sum(process_tree_rss(pid, field).values())
    return parts


class Reader:
    """One reader's open stream: the times at which each answer's event arrived."""

    def __init__(self) -> None:
        self.arrivals: dict[int, float] = {}
        self.connected = False
        self.failed = ""
        # The server closed the stream before the bench was done with it.
        self.ended_early = False

    async def follow(self, port: int, path: str, stop: asyncio.Event) -> None:
        try:
            reader, writer = await asyncio.open_connection(HOST, port)
        except OSError as error:
            self.failed = str(error)
            return
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nAccept: text/event-stream\r\n\r\n".encode()
        )
        await writer.drain()
        try:
            status = await reader.readline()
            if b" 200 " not in status:
                self.failed = status.decode(errors="replace").strip()
                return
            self.connected = True
            buffer = b""
            while not stop.is_set():
                chunk = await reader.read(65536)
                if not chunk:
                    self.ended_early = not stop.is_set()
                    break
                buffer += chunk
                now = time.time()
                for question in re.findall(rb'"answer": "bench answer (\d+)"', buffer):
                    self.arrivals.setdefault(int(question), now)
                buffer = buffer[-200:]
        except (OSError, asyncio.IncompleteReadError) as error:
            self.failed = str(error)
        finally:
            writer.close()


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def session_prepare() -> tuple[int, list[int]]:
    """A running session with questions approved, ready to be answered."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from dragoman.blogs.models import BlogPage
    from dragoman.questions import services

    moderator = get_user_model().objects.filter(is_superuser=True).first()
    if moderator is None:
        moderator = get_user_model().objects.create_superuser("bench-live", "b@example.org", "x")
    blog = BlogPage.objects.order_by("pk").first()
    now = timezone.now()
    session = services.session_create(
        parent=blog,
        title=f"Bench session {int(time.time())}",
        summary="Load test.",
        starts_at=now - timedelta(minutes=5),
        ends_at=now + timedelta(hours=2),
        officials=list(blog.bloggers.all()[:1]),
    )
    questions = []
    for number in range(200):
        question = services.question_ask(session=session, body=f"Bench question {number}?")
        questions.append(services.question_approve(acting_user=moderator, question=question).pk)
    return session.pk, questions


def answer(question_id: int) -> float:
    from django.contrib.auth import get_user_model

    from dragoman.questions import services
    from dragoman.questions.models import Question

    moderator = get_user_model().objects.filter(is_superuser=True).first()
    started = time.time()
    services.question_answer(
        acting_user=moderator,
        question=Question.objects.get(pk=question_id),
        answer=f"bench answer {question_id}",
    )
    return started


async def session_under_load(
    args: argparse.Namespace, server_pid: int, base: str, entry: str
) -> dict[str, float]:
    session_id, questions = await asyncio.to_thread(session_prepare)
    path = f"/live/questions/{session_id}/events"
    live_port = args.port + 1
    stop = asyncio.Event()
    readers = [Reader() for _ in range(args.readers)]
    tasks = []
    opened = time.monotonic()
    for start in range(0, len(readers), 250):
        for reader in readers[start : start + 250]:
            tasks.append(asyncio.ensure_future(reader.follow(live_port, path, stop)))
        await asyncio.sleep(0.05)
    deadline = time.monotonic() + 60
    while sum(r.connected for r in readers) + sum(bool(r.failed) for r in readers) < len(readers):
        if time.monotonic() > deadline:
            break
        await asyncio.sleep(0.2)
    figures: dict[str, float] = {
        "streams open": sum(r.connected for r in readers),
        "streams refused or failed": sum(bool(r.failed) for r in readers),
        "seconds to open them": time.monotonic() - opened,
    }
    await asyncio.sleep(1)
    figures["server memory with streams open, MB"] = memory(server_pid) / 1e6
    for part, size in memory_by_part(server_pid).items():
        figures[f"  of which {part}, MB"] = size / 1e6
    figures["server memory with streams open, PSS MB"] = memory(server_pid, "Pss") / 1e6
    loaded = await asyncio.to_thread(wrk, base + entry, seconds=args.seconds, connections=32)
    figures["cached entry rps, streams open"] = loaded.rps
    sent: dict[int, float] = {}
    for question_id in questions[: args.answers]:
        sent[question_id] = await asyncio.to_thread(answer, question_id)
        await asyncio.sleep(0.5)
    await asyncio.sleep(3)
    delays = [
        reader.arrivals[q] - sent[q] for reader in readers for q in sent if q in reader.arrivals
    ]
    expected = figures["streams open"] * len(sent)
    figures["answers received / expected"] = len(delays) / expected if expected else 0.0
    figures["streams ended by the server during answers"] = sum(r.ended_early for r in readers)
    figures["readers missing an answer"] = sum(
        1 for r in readers if r.connected and len(set(sent) & set(r.arrivals)) < len(sent)
    )
    figures["answer to receipt p50, ms"] = percentile(delays, 0.5) * 1000
    figures["answer to receipt p99, ms"] = percentile(delays, 0.99) * 1000
    figures["answer to receipt mean, ms"] = (
        (statistics.mean(delays) * 1000) if delays else float("nan")
    )
    figures["server memory after answers, MB"] = memory(server_pid) / 1e6
    figures["server memory after answers, PSS MB"] = memory(server_pid, "Pss") / 1e6
    stop.set()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--readers", type=int, default=5000)
    parser.add_argument("--answers", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=5, help="wrk duration")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--entries", type=int, default=1000, help="size of the seeded network")
    parser.add_argument("--port", type=int, default=18120, help="pages; +1 live streams, +2 nginx")
    parser.add_argument("--cache-url", default="", help="e.g. redis://127.0.0.1:6379/1")
    parser.add_argument("--before", default="", help="a git commit to measure first, e.g. main")
    args = parser.parse_args()

    data_dir = ROOT / "var" / "bench" / str(args.entries)
    seed(args.entries, data_dir)
    extra = {"CACHE_URL": args.cache_url} if args.cache_url else {}
    env = production_env(data_dir, DRAGOMAN_LIVE_PORT=str(args.port + 1), **extra)
    os.environ.update(
        {k: v for k, v in env.items() if k.startswith(("DRAGOMAN_", "DJANGO_", "CACHE_"))}
    )
    import django

    django.setup()
    # Latencies and rates move with what else the machine runs: say how busy it was.
    load_before = os.getloadavg()
    runs: list[tuple[str, dict[str, float]]] = []
    if args.before:
        code = checkout(args.before)
        # The server (and the live process it starts) imports that commit's package first.
        before_env = {**env, "PYTHONPATH": str(code)}
        runs.append((f"before ({args.before})", measure(args, before_env)))
    runs.append(("after" if args.before else "value", measure(args, env)))
    print(
        f"# Live question session: {args.readers:,} readers, {args.answers} answers, "
        f"{os.cpu_count()} cores, {args.workers} page workers + 1 live process, "
        f"{args.cache_url or 'file cache, events read from the database'}\n"
    )
    names = [name for name, _figures in runs]
    ratio = ["after / before"] if len(runs) == 2 else []
    print("| figure | " + " | ".join(names + ratio) + " |")
    print("| --- |" + " ---: |" * (len(names) + len(ratio)))
    for figure in runs[-1][1]:
        values = [figures.get(figure, float("nan")) for _name, figures in runs]
        cells = [f"{value:,.2f}" for value in values]
        if ratio:
            cells.append(f"{values[1] / values[0]:.2f}" if values[0] else "")
        print(f"| {figure} | " + " | ".join(cells) + " |")
    load_after = os.getloadavg()
    print(
        "\nLoad average (1, 5, 15 min) at the start: "
        + ", ".join(f"{value:.2f}" for value in load_before)
        + "; at the end: "
        + ", ".join(f"{value:.2f}" for value in load_after)
    )
    sys.stdout.flush()


def checkout(ref: str) -> Path:
    """That commit's files, extracted once under var/bench/code/<commit>/."""
    commit = subprocess.run(
        ["git", "rev-parse", "--verify", f"{ref}^{{commit}}"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    target = ROOT / "var" / "bench" / "code" / commit
    if not (target / "dragoman").is_dir():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "archive", commit, "dragoman"], cwd=ROOT, check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def measure(args: argparse.Namespace, env: dict[str, str]) -> dict[str, float]:
    base = f"http://{HOST}:{args.port}"
    # In that commit's directory: `python -m` (the live process serve starts) puts the working
    # directory before PYTHONPATH, and would run this checkout's code as the "before".
    code = Path(env.get("PYTHONPATH") or ROOT)
    # Workers take minutes to start when other sessions share the cores (60 s was too short).
    server = dragoman_serve(args.port, args.workers)
    with running(server, env, base + "/healthz", cwd=code, ready_seconds=300) as pid:
        entry = find_urls(base)["entry"]
        fetch(base + entry)
        _status, _headers, entry_bytes = fetch(base + entry)
        figures = {"server memory idle, MB": memory(pid) / 1e6}
        for part, size in memory_by_part(pid).items():
            figures[f"  idle: {part}, MB"] = size / 1e6
        figures["server memory idle, PSS MB"] = memory(pid, "Pss") / 1e6
        figures["cached entry rps, no session"] = wrk(base + entry, seconds=args.seconds).rps
        figures.update(asyncio.run(session_under_load(args, pid, base, entry)))
        time.sleep(2)
        figures["cached entry rps, streams closed"] = wrk(base + entry, seconds=args.seconds).rps
    with nginx_serving({"entry.html": entry_bytes}, args.workers, port=args.port + 2) as nginx_port:
        figures["nginx, same bytes, rps"] = wrk(
            f"http://{HOST}:{nginx_port}/entry.html", seconds=args.seconds
        ).rps
    nginx = figures["nginx, same bytes, rps"] or 1.0
    figures["share of nginx, no session"] = figures["cached entry rps, no session"] / nginx
    figures["share of nginx, streams open"] = figures["cached entry rps, streams open"] / nginx
    return figures


if __name__ == "__main__":
    main()
