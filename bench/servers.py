"""Which server `dragoman serve` runs: granian, gunicorn and uvicorn on the cached entry page.

`python -m bench.servers` (after `make bench SIZES=1000` has seeded var/bench/1000/) starts
each candidate in turn with one worker per core on loopback, fills the page cache, loads the
entry page with wrk and prints requests per second, p50 and p99, next to nginx serving the
same bytes as a static file.
"""

from __future__ import annotations

import argparse
import os
import re

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


def candidates(port: int, workers: int) -> dict[str, list[str]]:
    bind = f"{HOST}:{port}"
    return {
        "granian wsgi (dragoman serve)": [
            str(BIN / "dragoman"), "serve", "--host", HOST, "--port", str(port),
            "--workers", str(workers), "--no-setup",
        ],
        "granian + Django cache middleware": [
            str(BIN / "granian"), "--interface", "wsgi", "--host", HOST, "--port", str(port),
            "--workers", str(workers), "--blocking-threads", "1", "--no-ws",
            "dragoman.wsgi:application",
        ],
        "gunicorn sync": [
            str(BIN / "gunicorn"), "-w", str(workers), "-b", bind,
            "dragoman.wsgi:application",
        ],
        "gunicorn gthread x4": [
            str(BIN / "gunicorn"), "-w", str(workers), "--threads", "4", "-b", bind,
            "dragoman.wsgi:application",
        ],
        "uvicorn asgi": [
            str(BIN / "uvicorn"), "--host", HOST, "--port", str(port), "--workers",
            str(workers), "--no-access-log", "--log-level", "warning",
            "dragoman.asgi:application",
        ],
        "uvicorn wsgi": [
            str(BIN / "uvicorn"), "--host", HOST, "--port", str(port), "--workers",
            str(workers), "--no-access-log", "--log-level", "warning", "--interface", "wsgi",
            "dragoman.wsgi:application",
        ],
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--only", default="", help="only servers whose name contains this")
    args = parser.parse_args()
    env = production_env(ROOT / "var" / "bench" / str(args.size))
    rows = []
    entry_bytes = b""
    for name in candidates(0, args.workers):
        if not (BIN / name.split()[0]).exists():
            rows.append(f"| {name} | not installed | | |")
            continue
        port = free_port()
        base = f"http://{HOST}:{port}"
        server_env = env
        if "Django cache" in name:
            server_env = {**env, "DJANGO_SETTINGS_MODULE": "bench.settings_django_cache"}
        elif args.only and args.only not in name:
            continue
        with running(candidates(port, args.workers)[name], server_env, base + "/healthz"):
            home = fetch(base + "/")[2].decode()
            entry = re.search(r'href="(/blogs/[^"/]+/[^"/]+/)"', home)
            assert entry, "no entry on the home page"
            fetch(base + entry.group(1))
            entry_bytes = fetch(base + entry.group(1))[2]
            load = wrk(base + entry.group(1), seconds=args.seconds, connections=args.connections)
        rows.append(
            f"| {name} | {load.rps:,.0f} | {load.p50_ms:.2f} | {load.p99_ms:.2f} |"
            + (f" {load.errors} errors" if load.errors else "")
        )
    with nginx_serving({"entry.html": entry_bytes}, args.workers) as nginx_port:
        nginx = wrk(
            f"http://{HOST}:{nginx_port}/entry.html",
            seconds=args.seconds,
            connections=args.connections,
        )
    rows.append(
        f"| nginx, same bytes | {nginx.rps:,.0f} | {nginx.p50_ms:.2f} | {nginx.p99_ms:.2f} |"
    )
    print(
        f"{os.cpu_count()} cores, {args.workers} workers, {args.connections} connections, "
        f"{args.seconds} s, cached entry page ({len(entry_bytes):,} bytes)\n"
    )
    print("| server | rps | p50 ms | p99 ms |\n| --- | ---: | ---: | ---: |")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
