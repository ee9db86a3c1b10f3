"""A spike without a CDN: nginx serving the page files, and the app's cache-hit path, each
beside nginx serving the same bytes as a plain static file, in one run.

`python -m bench.spike` (after `make bench SIZES=1000` has seeded var/bench/1000/) starts
`dragoman serve` (granian, production settings) with DRAGOMAN_PAGE_FILES_DIR set, and one nginx
with the locations `dragoman page_files_nginx` generates plus an exact location for a static
copy of the entry page's bytes. Then, in rounds, wrk loads in turn:

- nginx, the static file (the physical reference);
- nginx, the entry page's address: served from its page file (the generated locations);
- the app directly, the same address (a page-cache hit, `dragoman.publishing.wsgi`).

It prints each round's requests per second and the ratios to the static file, and the
medians. The machine may be shared: the ratios are measured side by side, and `uptime` is
printed before and after.
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import (
    BIN,
    HOST,
    ROOT,
    dragoman_serve,
    fetch,
    free_port,
    nginx_serving,
    production_env,
    running,
    wrk,
)


def descendants_cpu() -> dict[str, float]:
    """Processor seconds (user and system) used so far by this process's descendants still
    running, nginx's apart from the app's (wrk has ended when this is read)."""
    ticks = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    used: dict[int, tuple[str, float]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat.rsplit(")", 1)[1].split()
        parents[int(entry.name)] = int(fields[1])
        used[int(entry.name)] = (name, (int(fields[11]) + int(fields[12])) / ticks)
    mine = os.getpid()
    totals = {"nginx": 0.0, "app": 0.0}
    for pid, (name, seconds) in used.items():
        ancestor = parents.get(pid, 0)
        while ancestor not in (0, 1, mine):
            ancestor = parents.get(ancestor, 0)
        if ancestor == mine:
            totals["nginx" if name.startswith("nginx") else "app"] += seconds
    return totals


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--out", default="", help="also write the report to this file")
    args = parser.parse_args()
    data = ROOT / "var" / "bench" / str(args.size)
    if not (data / "dragoman.sqlite3").exists():
        sys.exit(f"No network in {data}: run `make bench SIZES={args.size}` first.")
    lines = [f"uptime before: {uptime()}"]
    with tempfile.TemporaryDirectory(prefix="dragoman-pagefiles-") as pages:
        os.chmod(pages, 0o755)  # nginx's workers may run as another user
        env = production_env(data, DRAGOMAN_PAGE_FILES_DIR=pages)
        app_port = free_port()
        app = f"http://{HOST}:{app_port}"
        locations = subprocess.run(
            # A plain http server on loopback: no Strict-Transport-Security.
            [str(BIN / "dragoman"), "page_files_nginx", "--http"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        maps = subprocess.run(
            [str(BIN / "dragoman"), "page_files_nginx", "--maps"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        locations += f"""
    location @dragoman {{
      proxy_pass {app};
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
    }}
"""
        # The Host nginx passes on (no port): the one page files are written for.
        host = {"Host": HOST}
        with running(
            dragoman_serve(app_port, args.workers), env, app + "/healthz", ready_seconds=300
        ):
            home = fetch(app + "/", host)[2].decode()
            found = re.search(r'href="(/blogs/[^"/]+/[^"/]+/)"', home)
            assert found, "no entry on the home page"
            entry = found.group(1)
            fetch(app + entry, host)  # rendered, stored, written as a file
            status, headers, body = fetch(app + entry, host)
            cache = {name.lower(): value for name, value in headers.items()}.get("x-cache")
            assert status == 200 and cache == "HIT", headers
            page_file = Path(pages) / "www" / HOST / entry.lstrip("/") / "index.html"
            assert page_file.read_bytes() == body, "the page file is not the page"
            with nginx_serving(
                {"same-bytes.html": body}, args.workers, locations=locations, http=maps
            ) as port:
                nginx = f"http://{HOST}:{port}"
                _status, served, from_file = fetch(nginx + entry)
                assert from_file == body, "nginx did not serve the page"
                assert "X-Cache" not in served, "nginx passed the page's address to the app"
                rows = []
                cpus: list[dict[str, float]] = []
                loads = [
                    ("static", nginx + "/same-bytes.html", None),
                    ("file", nginx + entry, None),
                    ("app", app + entry, host),
                ]
                for number in range(args.rounds):
                    load = {}
                    cpu = {}
                    # Each round in another order: a burst of load from elsewhere on the
                    # machine falls on each server in turn.
                    for name, url, extra in loads[number % 3 :] + loads[: number % 3]:
                        before = descendants_cpu()
                        load[name] = wrk(
                            url,
                            seconds=args.seconds,
                            connections=args.connections,
                            headers=extra,
                        )
                        after = descendants_cpu()
                        server = "app" if name == "app" else "nginx"
                        requests = load[name].rps * args.seconds
                        cpu[name] = (after[server] - before[server]) / requests * 1e6
                        assert load[name].errors == 0, (name, load[name])
                    rows.append(load)
                    cpus.append(cpu)
    lines.append(f"uptime after: {uptime()}")
    static = [row["static"].rps for row in rows]
    file_ratio = [row["file"].rps / row["static"].rps for row in rows]
    app_ratio = [row["app"].rps / row["static"].rps for row in rows]
    report = [
        f"# A spike without a CDN ({datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC)",
        "",
        f"{os.cpu_count()} cores, {args.workers} nginx and granian workers, "
        f"{args.connections} connections, {args.seconds} s a load, {args.rounds} rounds, "
        f"cached entry page of the {args.size:,}-entry network ({len(body):,} bytes), "
        f"`python -m bench.spike`.",
        "",
        *[f"    {line}" for line in lines],
        "",
        "| round | nginx static rps | nginx page file rps | file / static "
        "| app cache hit rps | app / static | app p99 ms |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for number, row in enumerate(rows, 1):
        report.append(
            f"| {number} | {row['static'].rps:,.0f} | {row['file'].rps:,.0f} "
            f"| {row['file'].rps / row['static'].rps:.2f} | {row['app'].rps:,.0f} "
            f"| {row['app'].rps / row['static'].rps:.2f} | {row['app'].p99_ms:.2f} |"
        )
    report.append(
        f"| median | {statistics.median(static):,.0f} | "
        f"{statistics.median(row['file'].rps for row in rows):,.0f} "
        f"| {statistics.median(file_ratio):.2f} "
        f"| {statistics.median(row['app'].rps for row in rows):,.0f} "
        f"| {statistics.median(app_ratio):.2f} | |"
    )
    report += [
        "",
        "Processor time the server spent per request (user and system, its processes only; "
        "robust against other load on the machine, unlike the rates above), microseconds:",
        "",
        "| round | nginx static | nginx page file | static / file | app cache hit | static / app |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for number, cpu in enumerate(cpus, 1):
        report.append(
            f"| {number} | {cpu['static']:.1f} | {cpu['file']:.1f} "
            f"| {cpu['static'] / cpu['file']:.2f} | {cpu['app']:.1f} "
            f"| {cpu['static'] / cpu['app']:.2f} |"
        )
    report.append(
        "| median | "
        + " | ".join(
            f"{statistics.median(values):.{2 if ratio else 1}f}"
            for values, ratio in (
                ([cpu["static"] for cpu in cpus], False),
                ([cpu["file"] for cpu in cpus], False),
                ([cpu["static"] / cpu["file"] for cpu in cpus], True),
                ([cpu["app"] for cpu in cpus], False),
                ([cpu["static"] / cpu["app"] for cpu in cpus], True),
            )
        )
        + " |"
    )
    report.append("")
    report.append("Targets: page file / static >= 0.95; app cache hit / static >= 0.9.")
    text = "\n".join(report) + "\n"
    print(text)
    if args.out:
        Path(args.out).write_text(text)


if __name__ == "__main__":
    main()
