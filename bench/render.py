"""Uncached render time and query count per page, in-process (no server, no network).

`python -m bench.render --sizes 1000 100000` uses the networks `make bench` seeded under
var/bench/<size>/ (production settings, page cache off, fragment caches on) and prints, for
each page, the median render time over --repeat renders (wall clock and this process's CPU
time: on a shared machine the CPU time is the steadier figure), the number of queries, and
the ratio of the largest size to the smallest. "after a change" renders the home page right
after an entry's pages are refreshed (publishing an entry does the same): the first reader
after a change pays for what the fragment caches had kept. Each size runs in a child process
(one Django per database). `make bench` appends this table to its report.
`--against PATH` renders the first size with another checkout (say /work/main, the
"before") and with this one, side by side.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.common import ROOT, production_env

CHILD = r"""
import json, re, statistics, sys, time
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
repeat = int(sys.argv[1])
client = Client()
home = client.get("/", HTTP_HOST="127.0.0.1").content.decode()
def first(pattern):
    return re.search(pattern, home).group(1)
def fullest_month():
    # The month with the most entries (the archive shows each month's count): a full page at
    # every size, where a small network's newest month may hold a few entries only.
    archive = client.get("/archive/", HTTP_HOST="127.0.0.1").content.decode()
    months = re.findall(r'href="(/archive/\d{4}/\d{2}/)">[^<]*</a>\s*\((\d+)\)', archive)
    return max(months, key=lambda month: int(month[1]))[0]
def oldest_entry():
    # The newest entry's neighbours are next to it; the oldest's are where a slow plan shows.
    months = re.findall(r'href="(/archive/\d{4}/\d{2}/)"', client.get("/archive/", HTTP_HOST="127.0.0.1").content.decode())
    month = client.get(months[-1], HTTP_HOST="127.0.0.1").content.decode()
    return re.findall(r'href="(/blogs/[^"/]+/[^"/]+/)"', month)[-1]
pages = {
    "entry": first(r'href="(/blogs/[^"/]+/[^"/]+/)"'),
    "oldest entry": oldest_entry(),
    "home": "/",
    "profile": re.search(
        r'href="(/bloggers/[^"/]+/)"', client.get(first(r'href="(/blogs/[^"/]+/[^"/]+/)"'), HTTP_HOST="127.0.0.1").content.decode()
    ).group(1),
    "blog": re.findall(
        r'href="(/blogs/[^"/]+/)"', client.get("/blogs/", HTTP_HOST="127.0.0.1").content.decode()
    )[0],
    "tag": first(r'href="(/tags/[^"/]+/)"'),
    "archive month": fullest_month(),
    "network feed": "/feed/rss/",
}
def render(url):
    # Timed outside CaptureQueriesContext, which wraps every cursor in Django's debug wrapper
    # (SQL formatted and stored for each query) and made the figures larger than a server's.
    wall, cpu = time.perf_counter(), time.process_time()
    response = client.get(url, HTTP_HOST="127.0.0.1")
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert response.status_code == 200, (url, response.status_code)
    return wall * 1000, cpu * 1000
def count_queries(url):
    # In a render of its own, after the timed ones.
    with CaptureQueriesContext(connection) as queries:
        client.get(url, HTTP_HOST="127.0.0.1")
    return len(queries.captured_queries)
def calls(url):
    # Python function calls per render: the same on a busy machine as on a quiet one.
    import cProfile, pstats
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(3):
        client.get(url, HTTP_HOST="127.0.0.1")
    profile.disable()
    return pstats.Stats(profile).total_calls / 3
result = {}
for name, url in pages.items():
    client.get(url, HTTP_HOST="127.0.0.1")
    runs = [render(url) for _ in range(repeat)]
    result[name] = {
        "ms": statistics.median(r[0] for r in runs),
        "cpu_ms": statistics.median(r[1] for r in runs),
        "queries": count_queries(url),
        "calls": calls(url),
    }
from dragoman.blogs import services
from dragoman.blogs.announcements import EntryChange
from dragoman.blogs.models import EntryPage
runs = []
entry_ids = list(EntryPage.objects.live().order_by("-date").values_list("pk", flat=True)[:repeat + 1])
for entry_id in entry_ids[:-1]:
    services.entry_changed(entry_id=entry_id, change=EntryChange.REFRESHED)
    runs.append(render("/"))
services.entry_changed(entry_id=entry_ids[-1], change=EntryChange.REFRESHED)
result["home after a change"] = {
    "ms": statistics.median(r[0] for r in runs),
    "cpu_ms": statistics.median(r[1] for r in runs),
    "queries": count_queries("/"),
    "calls": float("nan"),
}
print("RESULT " + json.dumps(result))
"""


def measure(
    size: int, repeat: int, env: dict[str, str] | None = None, checkout: Path = ROOT
) -> dict[str, dict[str, float]]:
    """`env`: the network to render (`make bench`'s of this size, var/bench/<size>/, if None);
    `checkout`: the code that renders it (another checkout with `--against`)."""
    env = {
        **(env or production_env(ROOT / "var" / "bench" / str(size))),
        "DRAGOMAN_PAGE_CACHE": "false",
        "CACHE_URL": "locmemcache://",
        "PYTHONPATH": str(checkout),
    }
    output = subprocess.run(
        [sys.executable, "-c", CHILD, str(repeat)],
        env=env,
        cwd=checkout,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    match = re.search(r"^RESULT (.*)$", output, re.MULTILINE)
    if not match:
        raise RuntimeError(output)
    return json.loads(match.group(1))


def measure_sizes(
    sizes: list[int], repeat: int, rounds: int
) -> dict[int, dict[str, dict[str, float]]]:
    """Each size measured in turn, several rounds, so that a slow spell of a shared machine
    falls on every size alike; the median of the rounds' medians is kept."""
    runs: dict[int, list[dict[str, dict[str, float]]]] = {size: [] for size in sizes}
    for _ in range(rounds):
        for size in sizes:
            runs[size].append(measure(size, repeat))
    return {
        size: {
            page: {
                figure: statistics.median(run[page][figure] for run in size_runs)
                for figure in size_runs[0][page]
            }
            for page in size_runs[0]
        }
        for size, size_runs in runs.items()
    }


def table(results: dict[int, dict[str, dict[str, float]]], repeat: int) -> str:
    sizes = sorted(results)
    small_size, large_size = sizes[0], sizes[-1]
    header = " | ".join(
        f"{size:,}: wall / CPU ms (queries, Python calls)" for size in (small_size, large_size)
    )
    lines = [
        f"| page | {header} | ratio {large_size:,}/{small_size:,}: wall | CPU | calls |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for page in results[small_size]:
        small, large = results[small_size][page], results[large_size][page]
        cells = " | ".join(
            f"{row['ms']:.1f} / {row['cpu_ms']:.1f} ({row['queries']:.0f}, {row['calls']:,.0f})"
            for row in (small, large)
        )
        ratios = " | ".join(
            f"{large[key] / max(small[key], 0.001):.2f}" for key in ("ms", "cpu_ms", "calls")
        )
        lines.append(f"| {page} | {cells} | {ratios} |")
    lines.append(
        f"\n(median of {repeat} renders each, in-process, page cache off; Python calls per "
        "render, counted by cProfile, do not depend on how busy the machine is)"
    )
    return "\n".join(lines)


def against(size: int, repeat: int, other: Path) -> str:
    """Another checkout (`--against`, say main: the "before") and this one on the same
    network, one after the other, side by side."""
    before, after = measure(size, repeat, checkout=other.resolve()), measure(size, repeat)
    lines = [
        f"| page ({size:,} entries) | {other}: CPU ms (queries, Python calls) | "
        "this checkout: CPU ms (queries, Python calls) | ratio: CPU | calls |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for page in before:
        cells = " | ".join(
            f"{row['cpu_ms']:.1f} ({row['queries']:.0f}, {row['calls']:,.0f})"
            for row in (before[page], after[page])
        )
        ratios = " | ".join(
            f"{after[page][key] / max(before[page][key], 0.001):.2f}" for key in ("cpu_ms", "calls")
        )
        lines.append(f"| {page} | {cells} | {ratios} |")
    lines.append(f"\n(median of {repeat} renders each, in-process, page cache off)")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", nargs="+", type=int, default=[1000, 100000])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--against", type=Path, help="another checkout, measured side by side at the first size"
    )
    args = parser.parse_args()
    started = time.monotonic()
    if args.against:
        print(against(args.sizes[0], args.repeat, args.against))
    else:
        print(table(measure_sizes(args.sizes, args.repeat, args.rounds), args.repeat * args.rounds))
    print(f"({time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
