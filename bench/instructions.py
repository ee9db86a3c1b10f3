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
pages = {
    "entry": lambda: first(r'href="(/blogs/[^"/]+/[^"/]+/)"'),
    "home": lambda: "/",
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

FEW, MANY = 2, 12


def instructions(checkout: Path, size: int, page: str, renders: int) -> int:
    env = production_env(
        ROOT / "var" / "bench" / str(size),
        DRAGOMAN_PAGE_CACHE="false",
        CACHE_URL="locmemcache://",
        # Fixed, so that both runs of a pair hash and sign alike.
        DRAGOMAN_SECRET_KEY="bench-instructions-" + "k" * 40,
        PYTHONHASHSEED="0",
        PYTHONPATH=str(checkout),
    )
    with tempfile.TemporaryDirectory() as folder:
        result = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={folder}/callgrind.out",
                sys.executable,
                "-c",
                CHILD,
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


def per_render(checkout: Path, size: int, page: str) -> float:
    few = instructions(checkout, size, page, FEW)
    many = instructions(checkout, size, page, MANY)
    return (many - few) / (MANY - FEW)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", nargs="+", type=int, default=[1000, 100000])
    parser.add_argument("--pages", nargs="+", default=["entry"])
    parser.add_argument("--against", type=Path, help="another checkout, measured side by side")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is needed (apt-get install valgrind)")
    checkouts = {"this checkout": ROOT}
    if args.against:
        checkouts = {str(args.against): args.against.resolve(), **checkouts}
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
                pool.map(lambda job: per_render(checkouts[job[0]], job[1], job[2]), jobs),
                strict=True,
            )
        )
    names = list(checkouts)
    header = " | ".join(f"{name}: millions" for name in names)
    ratio = " ratio |" if len(names) == 2 else ""
    print(f"| page | entries | {header} |{ratio}")
    print("| --- | ---: |" + " ---: |" * (len(names) + (1 if ratio else 0)))
    for page in args.pages:
        for size in args.sizes:
            cells = [counts[(name, size, page)] for name in names]
            row = " | ".join(f"{cell / 1e6:.1f}" for cell in cells)
            extra = f" {cells[1] / cells[0]:.2f} |" if ratio else ""
            print(f"| {page} | {size:,} | {row} |{extra}")
    print(f"\n(instructions per render: {MANY} renders less {FEW}, divided by {MANY - FEW})")


if __name__ == "__main__":
    main()
