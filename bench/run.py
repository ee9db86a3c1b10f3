"""The benchmark: `make bench` (1,000 / 10,000 / 100,000 entries) or `make bench SIZES=1000`.

For each size: seed a network (`dragoman seed`, once per size, kept under var/bench/<size>/),
start `dragoman serve` in production mode on loopback, load five pages with wrk, cached and
uncached (a second server with the page cache off), serve the entry page's bytes from nginx
in the same run as the physical reference, sample the server's memory, and time a publish
until the changed page is served. With two sizes or more, it then renders each page
in-process at the smallest and largest size, side by side (`bench/render.py`). Prints the
Markdown tables and writes them under bench/results/ with the date and the number of cores.
Figures only: nothing is asserted.
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench import render
from bench.common import (
    BIN,
    HOST,
    ROOT,
    Load,
    PeakMemory,
    dragoman_serve,
    fetch,
    free_port,
    nginx_serving,
    production_env,
    running,
    wrk,
)

PAGES = ("entry", "home", "tag", "archive month", "network feed")
GZIP = {"Accept-Encoding": "gzip, br"}
BROWSER = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"}


@dataclass
class Row:
    size: int
    page: str
    cached: Load
    uncached: Load
    nginx_rps: float


def seed(size: int, data_dir: Path) -> None:
    marker = data_dir / ".seeded"
    if marker.exists():
        # A network seeded by an older checkout gets this checkout's migrations.
        subprocess.run(
            [str(BIN / "dragoman"), "migrate", "--no-input", "-v0"],
            env=production_env(data_dir, DRAGOMAN_ENV="development"), cwd=ROOT, check=True,
        )  # fmt: skip
        subprocess.run(
            [str(BIN / "dragoman"), "listing-counts", "-v0"],
            env=production_env(data_dir, DRAGOMAN_ENV="development"), cwd=ROOT, check=True,
        )  # fmt: skip
        return
    data_dir.mkdir(parents=True, exist_ok=True)
    env = production_env(data_dir, DRAGOMAN_ENV="development")
    started = time.monotonic()
    subprocess.run(
        [str(BIN / "dragoman"), "seed", "--entries", str(size), "--no-progress", "--random-seed", "1"],
        env=env, cwd=ROOT, check=True,
    )  # fmt: skip
    subprocess.run(
        [str(BIN / "dragoman"), "collectstatic", "--no-input", "-v0"],
        env=production_env(data_dir), cwd=ROOT, check=True,
    )  # fmt: skip
    marker.write_text(f"{time.monotonic() - started:.0f} s\n")


def find_urls(base: str) -> dict[str, str]:
    """One address of each kind, found the way a reader would: by following links."""
    _status, _headers, home = fetch(base + "/")
    html = home.decode()

    def first(pattern: str) -> str:
        match = re.search(pattern, html)
        if not match:
            raise RuntimeError(f"no link like {pattern} on the home page")
        return match.group(1)

    return {
        "entry": first(r'href="(/blogs/[^"/]+/[^"/]+/)"'),
        "home": "/",
        "tag": first(r'href="(/tags/[^"/]+/)"'),
        "archive month": first(r'href="(/archive/\d{4}/\d{2}/)"'),
        "network feed": "/feed/rss/",
    }


def measure_publish(base: str, entry_path: str, env: dict[str, str]) -> tuple[float, float]:
    """Seconds a publish takes, and from its commit until the changed page is served."""
    title = f"Refreshed {time.time():.0f}"
    script = f"""
import time, django
django.setup()
from dragoman.blogs.models import EntryPage
# By its slug (the address's last part), then its address: walking every entry took more
# than two minutes at 1,000,000.
slug = {entry_path!r}.rstrip('/').rsplit('/', 1)[-1]
entry = next(e for e in EntryPage.objects.filter(slug=slug) if e.url == {entry_path!r})
entry.title = {title!r}
started = time.time()
entry.save_revision().publish()
print(started, time.time())
"""
    fetch(base + entry_path)
    child = subprocess.Popen(
        [sys.executable, "-c", script], env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    seen = None
    deadline = time.time() + 120
    while time.time() < deadline:
        _status, _headers, body = fetch(base + entry_path)
        if title.encode() in body:
            seen = time.time()
            break
        time.sleep(0.005)
    output, _ = child.communicate(timeout=120)
    if child.returncode != 0 or len(output.split()) != 2:
        return float("nan"), float("nan")
    started, committed = (float(x) for x in output.split())
    if seen is None:
        return committed - started, float("nan")
    return committed - started, max(0.0, seen - committed)


def bench_size(size: int, args: argparse.Namespace) -> tuple[list[Row], dict[str, float]]:
    data_dir = ROOT / "var" / "bench" / str(size)
    seed(size, data_dir)
    workers = args.workers
    extra = {"CACHE_URL": args.cache_url} if args.cache_url else {}
    env = production_env(data_dir, **extra)
    seconds, connections = args.seconds, args.connections
    figures: dict[str, float] = {}
    cached: dict[str, Load] = {}
    uncached: dict[str, Load] = {}
    # Start from an empty page cache, as after a deploy.
    subprocess.run([str(BIN / "dragoman"), "pages_refresh", "--all"], env=env, cwd=ROOT, check=True)
    port = free_port()
    base = f"http://{HOST}:{port}"
    with running(dragoman_serve(port, workers), env, base + "/healthz") as pid:
        urls = find_urls(base)
        fetch(base + urls["entry"])
        _status, _headers, entry_bytes = fetch(base + urls["entry"])
        with PeakMemory(pid) as memory:
            for page in PAGES:
                fetch(base + urls[page])  # fill
                cached[page] = wrk(
                    base + urls[page], seconds=seconds, connections=connections, headers=GZIP
                )
            # The same bytes as nginx gets below: the entry page without compression, asked
            # by a browser, so that the evaluation counts it as a reader (its costliest path).
            same_bytes = wrk(
                base + urls["entry"], seconds=seconds, connections=connections, headers=BROWSER
            )
        # nginx in the same run, loaded while the server idles, with the same bytes.
        with nginx_serving({"entry.html": entry_bytes}, workers) as nginx_port:
            nginx = wrk(
                f"http://{HOST}:{nginx_port}/entry.html", seconds=seconds, connections=connections
            )
        figures["peak RSS, whole server (MB)"] = memory.peak_total / 2**20
        figures["peak RSS, largest process (MB)"] = memory.peak_process / 2**20
        publish, refresh = measure_publish(base, urls["entry"], env)
        figures["publish (s)"] = publish
        figures["commit to refreshed page (s)"] = refresh
    # The same page with counting off (DRAGOMAN_COUNTING=false), in the same run: what the
    # evaluation's counting costs a cache hit, each as a share of nginx's.
    port = free_port()
    off_base = f"http://{HOST}:{port}"
    off_env = {**env, "DRAGOMAN_COUNTING": "false"}
    with running(dragoman_serve(port, workers), off_env, off_base + "/healthz"):
        fetch(off_base + urls["entry"])
        fetch(off_base + urls["entry"])
        counting_off = wrk(
            off_base + urls["entry"], seconds=seconds, connections=connections, headers=BROWSER
        )
    figures["cached entry, identity bytes, rps"] = same_bytes.rps
    figures["nginx, same bytes, rps"] = nginx.rps
    figures["ratio to nginx, same bytes"] = same_bytes.rps / nginx.rps if nginx.rps else 0.0
    figures["cached entry, counting off, rps"] = counting_off.rps
    figures["ratio to nginx, counting off"] = counting_off.rps / nginx.rps if nginx.rps else 0.0
    figures["counting on / counting off"] = (
        same_bytes.rps / counting_off.rps if counting_off.rps else 0.0
    )
    uncached_env = {**env, "DRAGOMAN_PAGE_CACHE": "false"}
    port = free_port()
    base = f"http://{HOST}:{port}"
    with running(dragoman_serve(port, workers), uncached_env, base + "/healthz") as pid:
        with PeakMemory(pid) as memory:
            for page in PAGES:
                fetch(base + urls[page])  # warm the templates and connections
                # Two connections for two workers: the latency is the render time.
                uncached[page] = wrk(
                    base + urls[page], seconds=seconds, connections=workers, threads=1
                )
        figures["peak RSS uncached, largest process (MB)"] = memory.peak_process / 2**20
    rows = [Row(size, page, cached[page], uncached[page], nginx.rps) for page in PAGES]
    return rows, figures


def table(results: list[tuple[list[Row], dict[str, float]]], args: argparse.Namespace) -> str:
    lines = [
        f"# Dragoman benchmark, {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"{os.cpu_count()} cores, {args.workers} server workers, wrk {args.seconds} s per page, "
        f"{args.connections} connections cached (Accept-Encoding: gzip, br), {args.workers} "
        f"uncached (page cache off: every request renders). Cache: "
        f"{args.cache_url or 'file cache (default)'}. nginx serves the entry page's bytes as "
        "a static file in the same run.",
        "",
        "| entries | page | cached rps | cached p50 ms | cached p99 ms | ratio to nginx* "
        "| uncached rps | uncached p50 ms | uncached p99 ms |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for rows, _figures in results:
        for row in rows:
            ratio = row.cached.rps / row.nginx_rps if row.nginx_rps else 0.0
            lines.append(
                f"| {row.size:,} | {row.page} | {row.cached.rps:,.0f} | {row.cached.p50_ms:.2f} "
                f"| {row.cached.p99_ms:.2f} | {ratio:.2f} | {row.uncached.rps:,.0f} "
                f"| {row.uncached.p50_ms:.2f} | {row.uncached.p99_ms:.2f} |"
            )
    lines += [
        "",
        "\\* this page's compressed responses against nginx serving the (uncompressed) entry "
        "page; the like-for-like ratio, same bytes, is in the figures below.",
    ]
    lines += ["", "| entries | figure | value |", "| ---: | --- | ---: |"]
    for rows, figures in results:
        for name, value in figures.items():
            lines.append(f"| {rows[0].size:,} | {name} | {value:,.3f} |")
    if len(results) > 1:
        first, last = results[0][0], results[-1][0]
        lines += ["", f"Uncached p50 at {last[0].size:,} / at {first[0].size:,} entries:", ""]
        for a, b in zip(first, last, strict=True):
            ratio = b.uncached.p50_ms / a.uncached.p50_ms if a.uncached.p50_ms else 0.0
            lines.append(f"- {a.page}: {ratio:.2f}")
    errors = sum(r.cached.errors + r.uncached.errors for rows, _ in results for r in rows)
    lines += ["", f"Socket errors and non-2xx/3xx responses during the runs: {errors}.", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", nargs="+", type=int, default=[1000, 10000, 100000])
    parser.add_argument("--seconds", type=int, default=4, help="wrk duration per page")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--cache-url", default="", help="e.g. redis://127.0.0.1:6379/0")
    args = parser.parse_args()
    results = []
    for size in args.sizes:
        print(f"== {size:,} entries", file=sys.stderr, flush=True)
        results.append(bench_size(size, args))
    report = table(results, args)
    if len(args.sizes) > 1:
        # In-process render cost of each page at the smallest and largest size, side by side.
        renders = render.measure_sizes([args.sizes[0], args.sizes[-1]], repeat=10, rounds=3)
        report += "\n## Uncached render, in-process\n\n" + render.table(renders, 30) + "\n"
    print(report)
    folder = ROOT / "bench" / "results"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d-%H%M")
    sizes = "-".join(str(size) for size in args.sizes)
    path = folder / f"{stamp}-{os.cpu_count()}cores-{sizes}.md"
    path.write_text(report)
    print(f"Written to {path.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
