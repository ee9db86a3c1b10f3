"""Machine instructions per uncached render, counted by valgrind (callgrind).

Wall and processor times move with whatever else a shared machine is doing, and a virtual
machine's speed itself changes from one day to the next; the number of instructions a render
executes does not. `python -m bench.instructions --sizes 1000 100000 --pages entry` renders
each page in a process under callgrind twice (after a warm-up, 2 renders, then 12) and prints
the difference per render. `--against PATH` measures another checkout of the project (say
`git worktree add /tmp/before <commit>`) on the same networks, side by side, with the ratio.
Uses the networks `make bench` seeded under var/bench/<size>/. Slow: about two minutes a
process, two processes at a time (the counts do not depend on how busy the machine is).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.common import ROOT, production_env

CHILD = r"""
import re, sys
import django
django.setup()
from django.test import Client
client = Client()
home = client.get("/", HTTP_HOST="127.0.0.1").content.decode()
def first(pattern):
    return re.search(pattern, home).group(1)
def linked(page, pattern):
    return re.search(pattern, client.get(page, HTTP_HOST="127.0.0.1").content.decode()).group(1)
pages = {
    "entry": lambda: first(r'href="(/blogs/[^"/]+/[^"/]+/)"'),
    "home": lambda: "/",
    # As bench/render.py finds them: the first blog of the index, the newest entry's blogger.
    "blog": lambda: linked("/blogs/", r'href="(/blogs/[^"/]+/)"'),
    "profile": lambda: linked(first(r'href="(/blogs/[^"/]+/[^"/]+/)"'), r'href="(/bloggers/[^"/]+/)"'),
    "tag": lambda: first(r'href="(/tags/[^"/]+/)"'),
    "archive month": lambda: first(r'href="(/archive/\d{4}/\d{2}/)"'),
    "network feed": lambda: "/feed/rss/",
}
url = pages[sys.argv[1]]()
for _ in range(3):
    client.get(url, HTTP_HOST="127.0.0.1")
for _ in range(int(sys.argv[2])):
    assert client.get(url, HTTP_HOST="127.0.0.1").status_code == 200
"""

# Page-cache hits through the WSGI fast path (`--cached`), as a browser asks, so that the
# evaluation's counting (on unless DRAGOMAN_COUNTING=false) notes each and flushes every
# DRAGOMAN_COUNTING_BATCH: enough hits that the difference holds several flushes.
CHILD_CACHED = r"""
import io, re, sys
import django
django.setup()
from django.test import Client
from dragoman.wsgi import application
client = Client()
home = client.get("/", HTTP_HOST="127.0.0.1").content.decode()
def first(pattern):
    return re.search(pattern, home).group(1)
pages = {
    "entry": lambda: first(r'href="(/blogs/[^"/]+/[^"/]+/)"'),
    "home": lambda: "/",
    "tag": lambda: first(r'href="(/tags/[^"/]+/)"'),
    "archive month": lambda: first(r'href="(/archive/\d{4}/\d{2}/)"'),
    "network feed": lambda: "/feed/rss/",
}
url = pages[sys.argv[1]]()
client.get(url, HTTP_HOST="127.0.0.1")  # stored
def hit(n):
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": url, "QUERY_STRING": "", "SCRIPT_NAME": "",
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": f"192.0.2.{n % 200}", "HTTP_ACCEPT_ENCODING": "gzip, br",
        "HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
        "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""), "wsgi.errors": io.BytesIO(),
    }
    seen = []
    body = b"".join(application(environ, lambda line, headers, exc=None: seen.append(line)))
    assert seen[0].startswith("200") and body
for n in range(50):
    hit(n)
for n in range(int(sys.argv[2])):
    hit(n)
"""

FEW, MANY = 2, 12
# 50 warm-up hits, then 50 or 1,050: with DRAGOMAN_COUNTING_BATCH=1000 the difference holds
# exactly one flush, as a thousand hits do.
HITS_FEW, HITS_MANY = 50, 1050


def instructions(
    checkout: Path, size: int, page: str, renders: int, extra: dict[str, str] | None = None
) -> int:
    extra = extra or {}
    cached = extra.get("DRAGOMAN_PAGE_CACHE") == "true"
    settings = {
        "DRAGOMAN_PAGE_CACHE": "false",
        "CACHE_URL": "locmemcache://",
        # Fixed, so that both runs of a pair hash and sign alike.
        "DRAGOMAN_SECRET_KEY": "bench-instructions-" + "k" * 40,
        "PYTHONHASHSEED": "0",
        "PYTHONPATH": str(checkout),
        # The evaluation's counting notes each render and flushes by count only, never by the
        # clock: under valgrind a render takes long enough for a timed flush to fall in one
        # run of a pair and not the other (per-render counts came out negative).
        "DRAGOMAN_COUNTING_BATCH": "1000",
        "DRAGOMAN_COUNTING_INTERVAL": "1e9",
    }
    env = production_env(ROOT / "var" / "bench" / str(size), **{**settings, **extra})
    with tempfile.TemporaryDirectory() as folder:
        result = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={folder}/callgrind.out",
                sys.executable,
                "-c",
                CHILD_CACHED if cached else CHILD,
                page,
                str(renders),
            ],
            env=env,
            cwd=checkout,
            capture_output=True,
            text=True,
            check=True,
        )
    found = re.search(r"Collected : (\d+)", result.stderr)
    if not found:
        raise RuntimeError(result.stderr[-2000:])
    return int(found.group(1))


def per_render(checkout: Path, size: int, page: str, extra: dict[str, str] | None = None) -> float:
    if extra and extra.get("DRAGOMAN_PAGE_CACHE") == "true":
        few = instructions(checkout, size, page, HITS_FEW, extra)
        many = instructions(checkout, size, page, HITS_MANY, extra)
        return (many - few) / (HITS_MANY - HITS_FEW)
    few = instructions(checkout, size, page, FEW, extra)
    many = instructions(checkout, size, page, MANY, extra)
    return (many - few) / (MANY - FEW)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", nargs="+", type=int, default=[1000, 100000])
    parser.add_argument("--pages", nargs="+", default=["entry"])
    parser.add_argument("--against", type=Path, help="another checkout, measured side by side")
    parser.add_argument(
        "--cached",
        action="store_true",
        help="page-cache hits through the WSGI fast path instead of renders",
    )
    parser.add_argument(
        "--counting",
        action="store_true",
        help="this checkout with the evaluation's counting off, then on, side by side",
    )
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is needed (apt-get install valgrind)")
    base = (
        {
            "DRAGOMAN_PAGE_CACHE": "true",
            "DRAGOMAN_COUNTING_BATCH": "1000",
            "DRAGOMAN_COUNTING_INTERVAL": "1e9",  # flushes by count only, not by the clock
        }
        if args.cached
        else {}
    )
    checkouts: dict[str, tuple[Path, dict[str, str]]] = {"this checkout": (ROOT, base)}
    if args.against:
        checkouts = {str(args.against): (args.against.resolve(), base), **checkouts}
    if args.counting:
        checkouts = {
            "counting off": (ROOT, {**base, "DRAGOMAN_COUNTING": "false"}),
            "counting on": (ROOT, {**base, "DRAGOMAN_COUNTING": "true"}),
        }
    jobs = [
        (name, size, page)
        for page in args.pages
        for size in args.sizes
        for name in checkouts  # each pair of checkouts side by side
    ]
    with ThreadPoolExecutor(max_workers=2) as pool:
        counts = dict(
            zip(
                jobs,
                pool.map(
                    lambda job: per_render(
                        *checkouts[job[0]][:1], job[1], job[2], checkouts[job[0]][1]
                    ),
                    jobs,
                ),
                strict=True,
            )
        )
    names = list(checkouts)
    # A hit costs tens of thousands of instructions, a render millions.
    unit, scale = ("thousands", 1e3) if args.cached else ("millions", 1e6)
    header = " | ".join(f"{name}: {unit}" for name in names)
    ratio = " ratio |" if len(names) == 2 else ""
    print(f"| page | entries | {header} |{ratio}")
    print("| --- | ---: |" + " ---: |" * (len(names) + (1 if ratio else 0)))
    for page in args.pages:
        for size in args.sizes:
            cells = [counts[(name, size, page)] for name in names]
            row = " | ".join(f"{cell / scale:.1f}" for cell in cells)
            extra = f" {cells[1] / cells[0]:.2f} |" if ratio else ""
            print(f"| {page} | {size:,} | {row} |{extra}")
    if args.cached:
        print(
            f"\n(instructions per hit: {HITS_MANY} hits less {HITS_FEW}, divided by the difference)"
        )
    else:
        print(f"\n(instructions per render: {MANY} renders less {FEW}, divided by {MANY - FEW})")


if __name__ == "__main__":
    main()
