"""The app's cache hit against nginx: granian's options, and a minimal WSGI app as the bound.

`python -m bench.spike_app` (after var/bench/1000/ is seeded) starts, side by side on loopback:
nginx serving the entry page's bytes as a static file (the reference of bench/spike.py), and
several granian servers (production settings, as `dragoman serve` runs them: the same command,
MALLOC_ARENA_MAX and metrics folder), each with other options, some serving the app
(`dragoman.wsgi`, whose page-cache hits never reach Django) and some a minimal WSGI app that
answers every request with the same status, headers and bytes, and nothing else: what no WSGI
application served by that server can beat. wrk loads each in turn, in rounds, each round in
another order; idle servers cost nothing meanwhile. Printed: requests per second and the
server's processor time per request (its processes' user and system time over the requests
answered), medians, and their ratios to nginx's.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import re
import statistics
import tempfile
from collections.abc import Iterator
from pathlib import Path

from bench.common import (
    BIN,
    HOST,
    ROOT,
    fetch,
    free_port,
    nginx_serving,
    production_env,
    running,
    wrk,
)
from bench.spike import descendants_cpu, uptime

# As dragoman/core/management/commands/serve.py runs granian.
SERVE = ["--blocking-threads", "1", "--no-ws", "--workers-kill-timeout", "30",
         "--respawn-failed-workers"]  # fmt: skip
APP = "dragoman.wsgi:application"
MINIMAL = "bench.spike_app:minimal"

VARIANTS: dict[str, tuple[str, list[str], dict[str, str]]] = {
    "hit (dragoman serve)": (APP, [], {}),
    "hit, counting off": (APP, [], {"DRAGOMAN_COUNTING": "false"}),
    "hit, --runtime-mode st": (APP, ["--runtime-mode", "st"], {}),
    "hit, --http 1": (APP, ["--http", "1"], {}),
    "hit, --backpressure 4": (APP, ["--backpressure", "4"], {}),
    "hit, --no-log": (APP, ["--no-log"], {}),
    "minimal app": (MINIMAL, [], {}),
    "minimal, --runtime-mode st --http 1": (MINIMAL, ["--runtime-mode", "st", "--http", "1"], {}),
}


def _minimal_page() -> tuple[str, list[tuple[str, str]], list[bytes]]:
    recorded = json.loads(Path(os.environ["BENCH_MINIMAL_PAGE"]).read_text())
    body = Path(recorded["body"]).read_bytes()
    return recorded["status"], [tuple(h) for h in recorded["headers"]], [body]  # type: ignore[misc]


def minimal(environ: dict[str, object], start_response: object) -> list[bytes]:
    """The bound: the page's status, headers and bytes, worked out once, for any request."""
    global _page
    if _page is None:
        _page = _minimal_page()
    status, headers, body = _page
    start_response(status, list(headers))  # type: ignore[operator]
    return body


_page: tuple[str, list[tuple[str, str]], list[bytes]] | None = None


@contextlib.contextmanager
def granian(
    port: int, workers: int, target: str, options: list[str], env: dict[str, str]
) -> Iterator[None]:
    with tempfile.TemporaryDirectory(prefix="dragoman-metrics-") as metrics:
        command = [str(BIN / "granian"), "--interface", "wsgi", "--host", HOST,
                   "--port", str(port), "--workers", str(workers), *SERVE, *options, target]  # fmt: skip
        env = {**env, "PROMETHEUS_MULTIPROC_DIR": metrics, "MALLOC_ARENA_MAX": "2"}
        with running(command, env, f"http://{HOST}:{port}/healthz", ready_seconds=300):
            yield


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--only", default="", help="variant names separated by semicolons")
    parser.add_argument("--out", default="")
    args = parser.parse_args()
    data = ROOT / "var" / "bench" / str(args.size)
    chosen = {
        name: variant
        for name, variant in VARIANTS.items()
        if not args.only or name in args.only.split(";")
    }
    lines = [f"uptime before: {uptime()}"]
    host = {"Host": HOST}
    with contextlib.ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="dragoman-spike-")))
        pages = folder / "pages"
        pages.mkdir()
        base_env = production_env(data, DRAGOMAN_PAGE_FILES_DIR=str(pages))
        ports = {}
        for name, (target, options, extra) in chosen.items():
            if target == MINIMAL:
                continue
            ports[name] = free_port()
            stack.enter_context(
                granian(ports[name], args.workers, target, options, {**base_env, **extra})
            )
        first = f"http://{HOST}:{next(iter(ports.values()))}"
        home = fetch(first + "/", host)[2].decode()
        found = re.search(r'href="(/blogs/[^"/]+/[^"/]+/)"', home)
        assert found, "no entry on the home page"
        entry = found.group(1)
        fetch(first + entry, host)
        status, headers, body = fetch(first + entry, host)
        cache = {name.lower(): value for name, value in headers.items()}.get("x-cache")
        assert status == 200 and cache == "HIT", headers
        (folder / "body").write_bytes(body)
        (folder / "page.json").write_text(
            json.dumps(
                {
                    "status": "200 OK",
                    "body": str(folder / "body"),
                    "headers": [
                        (k, v)
                        for k, v in headers.items()
                        if k.lower() not in ("date", "server", "connection")
                    ],
                }
            )
        )
        for name, (target, options, extra) in chosen.items():
            if target != MINIMAL:
                continue
            ports[name] = free_port()
            env = {**base_env, **extra, "BENCH_MINIMAL_PAGE": str(folder / "page.json")}
            stack.enter_context(granian(ports[name], args.workers, target, options, env))
        nginx = stack.enter_context(nginx_serving({"same-bytes.html": body}, args.workers))
        loads = [("nginx static", f"http://{HOST}:{nginx}/same-bytes.html")] + [
            (name, f"http://{HOST}:{port}{entry}") for name, port in ports.items()
        ]
        for name, url in loads:
            _status, _headers, answered = fetch(url, host)
            assert answered == body, name
        rps: dict[str, list[float]] = {name: [] for name, _url in loads}
        cpu: dict[str, list[float]] = {name: [] for name, _url in loads}
        for number in range(args.rounds):
            shift = number % len(loads)
            for name, url in loads[shift:] + loads[:shift]:
                server = "nginx" if name == "nginx static" else "app"
                before = descendants_cpu()[server]
                load = wrk(url, seconds=args.seconds, connections=args.connections, headers=host)
                after = descendants_cpu()[server]
                assert load.errors == 0, (name, load)
                rps[name].append(load.rps)
                cpu[name].append((after - before) / (load.rps * args.seconds) * 1e6)
    lines.append(f"uptime after: {uptime()}")
    static_rps = statistics.median(rps["nginx static"])
    static_cpu = statistics.median(cpu["nginx static"])
    report = [
        f"# The app's cache hit and granian ({datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M}"
        " UTC)",
        "",
        f"{os.cpu_count()} cores, {args.workers} workers each, {args.connections} connections, "
        f"{args.seconds} s a load, {args.rounds} rounds, entry page of the {args.size:,}-entry "
        f"network ({len(body):,} bytes), `python -m bench.spike_app`.",
        "",
        *[f"    {line}" for line in lines],
        "",
        "| server | rps (median) | / nginx | us a request (median) | nginx / server |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, _url in loads:
        median_rps = statistics.median(rps[name])
        median_cpu = statistics.median(cpu[name])
        report.append(
            f"| {name} | {median_rps:,.0f} | {median_rps / static_rps:.2f} "
            f"| {median_cpu:.1f} | {static_cpu / median_cpu:.2f} |"
        )
    text = "\n".join(report) + "\n"
    print(text)
    if args.out:
        Path(args.out).write_text(text)


if __name__ == "__main__":
    main()
