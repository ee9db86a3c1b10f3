"""Scale up, side by side: a big network against one of 1,000 entries on the same database.

    python -m bench.scale --data-dir /work/scale/pg-1000000 \\
        --database-url postgres://postgres@127.0.0.1:5432/dragoman_scale_1m

The big network is one `dragoman seed` made (its data folder and database given). The small
one, 1,000 entries seeded the same way on the same kind of database, is made once and kept
(--small-data-dir; on PostgreSQL a database named after the big one with `_1000` added).
For both it prints:

- each page rendered in process with the page cache off (bench/render.py): the median
  milliseconds at each size and the ratio big / small, wall clock and processor time;
- the search page's median and p95 over --queries searches for two words of a random
  entry's body, through Django's test client (the form, the engine, the results); on the
  big network twice, the second time with the pages the searches read in the database's
  cache;
- on the big network, publish to refreshed page: `dragoman serve` in production mode, an
  entry published in another process, and the seconds from its commit until the server
  answers with the new title (bench/run.py's measure).

--search-only measures the search page on the big network alone (no small network, no
renders, no publish) and prints it without writing a report.

The load average before and after is printed beside the figures: on a shared machine the
processor times are the steadier ones. Writes the report under bench/results/. Figures only.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from bench import render
from bench.common import BIN, HOST, ROOT, dragoman_serve, free_port, production_env, running
from bench.run import find_urls, measure_publish
from bench.seed_speed import postgres_database_fresh

SMALL = 1000

SEARCH_CHILD = r"""
import json, random, re, statistics, sys, time
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from dragoman.search.models import EntryDocument
count = int(sys.argv[1])
rng = random.Random(1)
client = Client()
low = EntryDocument.objects.order_by("entry_id").values_list("entry_id", flat=True).first()
high = EntryDocument.objects.order_by("-entry_id").values_list("entry_id", flat=True).first()
queries = []
while len(queries) < count + 10:
    body = (
        EntryDocument.objects.filter(entry_id__gte=rng.randint(low, high))
        .order_by("entry_id").values_list("body", flat=True).first()
    )
    words = [w for w in re.findall(r"[A-Za-z]{5,}", body or "")]
    if len(words) >= 2:
        queries.append(" ".join(rng.sample(words, 2)))
# Each search made `repeat` times, its fastest kept: on a loaded machine, the least the
# page can take, steadier than one try (the other processes' share of the cores varies).
repeat = int(sys.argv[2])
times, cpu, statements = [], [], []
for number, query in enumerate(queries):
    tries = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started, processor = time.perf_counter(), time.process_time()
            response = client.get("/search/", {"q": query}, HTTP_HOST="127.0.0.1")
            elapsed = (time.perf_counter() - started) * 1000
            used = (time.process_time() - processor) * 1000
        assert response.status_code == 200, (query, response.status_code)
        tries.append((elapsed, used, len(captured)))
    if number >= 10:  # the first ones warm the connection and the templates
        elapsed, used, count = min(tries)
        times.append(elapsed)
        cpu.append(min(used for _elapsed, used, _count in tries))
        statements.append(count)
times.sort()
cpu.sort()
print("RESULT " + json.dumps({
    "median": statistics.median(times),
    "p95": times[int(len(times) * 0.95) - 1],
    "queries": len(times),
    "cpu_median": statistics.median(cpu),
    "cpu_p95": cpu[int(len(cpu) * 0.95) - 1],
    "statements": statistics.mean(statements),
}))
"""


def network_env(data_dir: Path, database_url: str, **extra: str) -> dict[str, str]:
    env = production_env(data_dir, **extra)
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env.pop("DATABASE_URL", None)
    return env


def small_network(data_dir: Path, database_url: str) -> None:
    """The network of 1,000 entries, seeded once as `dragoman seed` seeds the big one."""
    marker = data_dir / ".seeded"
    if marker.exists():
        return
    data_dir.mkdir(parents=True, exist_ok=True)
    if database_url.startswith("postgres"):
        server, _, name = database_url.rpartition("/")
        postgres_database_fresh(server, name)
    env = network_env(data_dir, database_url, DRAGOMAN_ENV="development")
    dragoman = str(BIN / "dragoman")
    subprocess.run(
        [dragoman, "seed", "--entries", str(SMALL), "--no-progress", "--random-seed", "1"],
        env=env, cwd=ROOT, check=True,
    )  # fmt: skip
    marker.write_text("seeded\n")


def static_ready(data_dir: Path, database_url: str) -> None:
    """Production settings serve hashed static files: collected once per data folder."""
    if not (data_dir / "static" / "staticfiles.json").exists():
        subprocess.run(
            [str(BIN / "dragoman"), "collectstatic", "--no-input", "-v0"],
            env=network_env(data_dir, database_url), cwd=ROOT, check=True,
        )  # fmt: skip


def search_times(env: dict[str, str], queries: int, repeat: int = 1) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, "-c", SEARCH_CHILD, str(queries), str(repeat)],
        env={**env, "DRAGOMAN_PAGE_CACHE": "false", "CACHE_URL": "locmemcache://"},
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    match = re.search(r"^RESULT (.*)$", output, re.MULTILINE)
    if not match:
        raise RuntimeError(output)
    return json.loads(match.group(1))


def publish_seconds(env: dict[str, str]) -> tuple[float, float]:
    port = free_port()
    base = f"http://{HOST}:{port}"
    subprocess.run([str(BIN / "dragoman"), "pages_refresh", "--all"], env=env, cwd=ROOT, check=True)
    with running(dragoman_serve(port, 2), env, base + "/healthz"):
        urls = find_urls(base)
        return measure_publish(base, urls["entry"], env)


def entries_in(env: dict[str, str]) -> int:
    script = (
        "import django; django.setup()\n"
        "from dragoman.blogs.models import EntryPage\n"
        "print(EntryPage.objects.count())"
    )
    output = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True,
        check=True,
    ).stdout  # fmt: skip
    return int(output.split()[-1])


def report(args: argparse.Namespace) -> str:
    big_env = network_env(args.data_dir, args.database_url)
    small_url = args.small_database_url
    if small_url is None:
        small_url = args.database_url + "_1000" if args.database_url.startswith("postgres") else ""
    small_dir = args.small_data_dir
    small_network(small_dir, small_url)
    small_env = network_env(small_dir, small_url)
    for folder, url in ((args.data_dir, args.database_url), (small_dir, small_url)):
        static_ready(folder, url)
    big_size = entries_in(big_env)
    load_before = os.getloadavg()
    renders: dict[int, list[dict[str, dict[str, float]]]] = {SMALL: [], big_size: []}
    # Each size in turn, several rounds: a slow spell of a shared machine falls on both.
    for _ in range(args.rounds):
        renders[SMALL].append(render.measure(SMALL, args.repeat, small_env))
        renders[big_size].append(render.measure(big_size, args.repeat, big_env))
    medians = {
        size: {
            page: {
                figure: sorted(run[page][figure] for run in runs)[len(runs) // 2]
                for figure in runs[0][page]
            }
            for page in runs[0]
        }
        for size, runs in renders.items()
    }
    search = {
        SMALL: search_times(small_env, args.queries),
        big_size: search_times(big_env, args.queries),
    }
    # The same searches again, in a new process: the pages they read are now in the
    # database's cache. The first pass read many from the operating system's (a big
    # network's search table and index outgrow shared_buffers after a seed); a server that
    # has been answering searches for a while holds them.
    again = search_times(big_env, args.queries)
    publish, refresh = publish_seconds(big_env)
    load_after = os.getloadavg()
    database = "PostgreSQL" if args.database_url.startswith("postgres") else "SQLite"
    lines = [
        f"# Scale up: {big_size:,} entries against {SMALL:,}, {database}, "
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"{os.cpu_count()} cores; load average before {load_before[0]:.1f}, after "
        f"{load_after[0]:.1f} (a shared machine: CPU times are the steadier figures).",
        "",
        "## Uncached render, in process",
        "",
        render.table(medians, args.repeat * args.rounds),
        "",
        "## Search page (PostgreSQL full text)" if database == "PostgreSQL" else "## Search page",
        "",
        "| entries | median ms | p95 ms | queries |",
        "| ---: | ---: | ---: | ---: |",
        *(
            f"| {size:,} | {row['median']:.1f} | {row['p95']:.1f} | {row['queries']:.0f} |"
            for size, row in search.items()
        ),
        f"| {big_size:,}, the same searches again | {again['median']:.1f} | {again['p95']:.1f}"
        f" | {again['queries']:.0f} |",
        "",
        "## Publish",
        "",
        f"At {big_size:,} entries: publish {publish:.3f} s, commit to refreshed page "
        f"{refresh:.3f} s.",
        "",
    ]
    return "\n".join(lines)


def search_only(args: argparse.Namespace) -> str:
    """The search page's figures on the big network alone, with the load around them."""
    env = network_env(args.data_dir, args.database_url)
    static_ready(args.data_dir, args.database_url)
    size = entries_in(env)
    load_before = os.getloadavg()
    row = search_times(env, args.queries, args.search_repeat)
    load_after = os.getloadavg()
    best = f", the fastest of {args.search_repeat} tries each" if args.search_repeat > 1 else ""
    return (
        f"Search page at {size:,} entries{best}: median {row['median']:.1f} ms, "
        f"p95 {row['p95']:.1f} ms over {row['queries']:.0f} queries (this process's CPU: "
        f"median {row['cpu_median']:.1f} ms, p95 {row['cpu_p95']:.1f} ms; "
        f"{row['statements']:.1f} statements a page); load average "
        f"{load_before[0]:.1f} before, {load_after[0]:.1f} after"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, required=True, help="the big network's")
    parser.add_argument("--database-url", default="", help="the big network's (empty: SQLite)")
    parser.add_argument(
        "--small-data-dir",
        type=Path,
        default=None,
        help="the small network's (default: var/bench/scale-1000-<database>)",
    )
    parser.add_argument("--small-database-url", default=None)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument(
        "--search-only",
        action="store_true",
        help="only the search page on the big network, printed and not written",
    )
    parser.add_argument(
        "--search-repeat",
        type=int,
        default=1,
        help="with --search-only: each search made this many times, the fastest kept",
    )
    args = parser.parse_args()
    if args.small_data_dir is None:
        # One per kind of database: its marker says the network was seeded on that database.
        kind = "postgresql" if args.database_url.startswith("postgres") else "sqlite"
        args.small_data_dir = ROOT / "var" / "bench" / f"scale-1000-{kind}"
    started = time.monotonic()
    if args.search_only:
        print(search_only(args))
        return
    text = report(args)
    print(text)
    folder = ROOT / "bench" / "results"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d-%H%M")
    path = folder / f"{stamp}-scale-{os.cpu_count()}cores.md"
    path.write_text(text)
    print(
        f"Written to {path.relative_to(ROOT)} ({time.monotonic() - started:.0f} s)", file=sys.stderr
    )


if __name__ == "__main__":
    main()
