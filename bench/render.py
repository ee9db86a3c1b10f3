"""Uncached render time and query count per page, in-process (no server, no network).

`python -m bench.render --sizes 1000 100000` uses the networks `make bench` seeded under
var/bench/<size>/ and prints, for each page, the median render time over --repeat renders,
the number of queries, and the ratio of the largest size to the smallest. It runs each size
in a child process (one Django per database).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time

from bench.common import ROOT

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
pages = {
    "entry": first(r'href="(/blogs/[^"/]+/[^"/]+/)"'),
    "home": "/",
    "tag": first(r'href="(/tags/[^"/]+/)"'),
    "archive month": first(r'href="(/archive/\d{4}/\d{2}/)"'),
    "network feed": "/feed/rss/",
}
result = {}
for name, url in pages.items():
    client.get(url, HTTP_HOST="127.0.0.1")
    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url, HTTP_HOST="127.0.0.1")
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    result[name] = {"ms": statistics.median(times), "queries": len(queries.captured_queries)}
print("RESULT " + json.dumps(result))
"""


def measure(size: int, repeat: int) -> dict[str, dict[str, float]]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dragoman.settings",
        "DRAGOMAN_DATA_DIR": str(ROOT / "var" / "bench" / str(size)),
        "DRAGOMAN_PAGE_CACHE": "false",
        "CACHE_URL": "locmemcache://",
        "DRAGOMAN_LOG_LEVEL": "WARNING",
    }
    output = subprocess.run(
        [sys.executable, "-c", CHILD, str(repeat)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    match = re.search(r"^RESULT (.*)$", output, re.MULTILINE)
    if not match:
        raise RuntimeError(output)
    return json.loads(match.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", nargs="+", type=int, default=[1000, 100000])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    started = time.monotonic()
    results = {size: measure(size, args.repeat) for size in args.sizes}
    pages = list(results[args.sizes[0]])
    header = " | ".join(f"{size:,} ms (queries)" for size in args.sizes)
    print(f"| page | {header} | ratio largest/smallest |")
    print("| --- |" + " ---: |" * (len(args.sizes) + 1))
    for page in pages:
        cells = " | ".join(
            f"{results[size][page]['ms']:.1f} ({results[size][page]['queries']:.0f})"
            for size in args.sizes
        )
        ratio = statistics.fmean([results[args.sizes[-1]][page]["ms"]]) / max(
            results[args.sizes[0]][page]["ms"], 0.001
        )
        print(f"| {page} | {cells} | {ratio:.2f} |")
    print(f"\n(median of {args.repeat} renders each; {time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
