"""What nginx does more for a page file than for a static file, one thing at a time.

`python -m bench.spike_nginx` starts one nginx with a server per variant (each on its own
loopback port), all serving the same bytes: a static file in an exact location (the reference
of bench/spike.py), and the page file of an entry address through variants of the locations
`dragoman page_files_nginx` generates. wrk loads each in turn, in rounds, each round in
another order; the report gives the requests per second and nginx's processor time per
request (its workers' user and system time over the requests answered: robust against other
load on a shared machine), as medians, and each variant's ratio to the static file.

Before measuring, every variant that claims to keep the guarantees (`guarded`) is checked:
a plain GET gets the file with the page's headers; a cookie with the session's name, a query
string, a POST, Authorization and an ActivityPub Accept header reach the app (here a named
location answering 299).
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import statistics
import subprocess
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench.common import HOST, free_port, nginx_conf, wait_ready, wrk
from bench.spike import descendants_cpu, uptime

ENTRY = "/blogs/ministry-news/opening-of-the-trade-office/"
COOKIE = "sessionid"
# The headers a public page carries (production settings, a plain http server), as
# `dragoman page_files_nginx --http` writes them for `location /`.
HEADERS = {
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cache-Control": "public, max-age=0, s-maxage=60",
    "Vary": "Accept, Accept-Encoding",
    "X-Content-Type-Options": "nosniff",
    "Content-Language": "en",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "font-src 'self'; media-src 'self' https:; frame-src https://www.youtube-nocookie.com "
        "https://player.vimeo.com; object-src 'none'; base-uri 'self'; form-action 'self'; "
        "frame-ancestors 'none'"
    ),
}
IFS = [
    "if ($request_method !~ ^(GET|HEAD)$) { return 418; }",
    'if ($args != "") { return 418; }',
    f'if ($http_cookie ~ "{COOKIE}=") {{ return 418; }}',
    'if ($http_authorization != "") { return 418; }',
    'if ($http_accept ~* "activity\\+json|activitystreams") { return 418; }',
]
# One variable for all five conditions, from maps that look the usual values up in a hash
# (no regular expression for a request without a cookie or an Accept header).
MAPS = f"""
  map $request_method $bench_method {{ GET ""; HEAD ""; default 1; }}
  map $http_cookie $bench_cookie {{ "" ""; "~{COOKIE}=" 1; default ""; }}
  map $http_accept $bench_accept {{ "" ""; "~*activity\\+json|activitystreams" 1; default ""; }}
  map "$bench_method$bench_cookie$bench_accept$args$http_authorization" $bench_to_app {{
    "" "";
    default ".app/";
  }}
"""


# No try_files: the static module's open() is the only test that the file is there (one
# system call less); a missing file's 404 goes to the app with the address as asked.
REWRITE = """location / {{
      root {root}/$host;
      error_page 418 = @app;
      error_page 403 404 = @page_missing;
      log_not_found off;
      {guards}
      rewrite /$ ${{uri}}index.html break;
      return 418;
      types {{ }}
      default_type "text/html; charset=utf-8";
      charset off;
      gzip_static on;
      {headers}
    }}
    location @page_missing {{
      rewrite ^(.*/)index\\.html$ $1 break;
      try_files "" @app;
    }}"""
HEADED = "\n      ".join(f'add_header {name} "{value}";' for name, value in HEADERS.items())


def add_headers() -> list[str]:
    return [f'add_header {name} "{value}";' for name, value in HEADERS.items()]


def page_location(
    root: str,
    *,
    ifs: list[str] | None = None,
    extras: bool = True,
    headers: bool = True,
    try_files: str = "try_files /$host${uri}index.html @app;",
    error_page: bool = True,
) -> str:
    lines = [f"root {root};"]
    if error_page:
        lines.append("error_page 418 = @app;")
    lines += IFS if ifs is None else ifs
    if extras:
        lines += ["types { }", 'default_type "text/html; charset=utf-8";', "charset off;"]
        lines.append("gzip_static on;")
    if headers:
        lines += add_headers()
    lines.append(try_files)
    return "location / {\n      " + "\n      ".join(lines) + "\n    }"


@dataclass
class Variant:
    name: str
    what: str
    location: str
    url: str
    guarded: bool  # keeps every guarantee the tests check


def variants(www: str) -> list[Variant]:
    static = "location = /same-bytes.html { }"
    headed = (
        "location = /same-bytes.html {\n      "
        + "\n      ".join(["types { }", 'default_type "text/html; charset=utf-8";', *add_headers()])
        + "\n    }"
    )
    deep_alias = f"location = /deep.html {{ alias {www}/{HOST}{ENTRY}index.html; }}"
    return [
        Variant("static", "the static file (reference)", static, "/same-bytes.html", False),
        Variant(
            "static+headers",
            "the static file with the page's add_header lines",
            headed,
            "/same-bytes.html",
            False,
        ),
        Variant(
            "static-deep",
            "the page file itself as a static file (exact location, alias)",
            deep_alias,
            "/deep.html",
            False,
        ),
        Variant(
            "before", "as generated before: five ifs, try_files", page_location(www), ENTRY, True
        ),
        Variant(
            "before-no-ifs",
            "before, without the five ifs",
            page_location(www, ifs=[]),
            ENTRY,
            False,
        ),
        Variant(
            "before-two-ifs",
            "before, only the two ifs without a regular expression",
            page_location(www, ifs=[IFS[1], IFS[3]]),
            ENTRY,
            False,
        ),
        Variant(
            "before-no-headers",
            "before, without the add_header lines",
            page_location(www, headers=False),
            ENTRY,
            False,
        ),
        Variant(
            "before-no-extras",
            "before, without types/default_type/charset/gzip_static",
            page_location(www, extras=False),
            ENTRY,
            False,
        ),
        Variant(
            "map-if",
            "maps in http, one `if ($bench_to_app)`",
            page_location(www, ifs=["if ($bench_to_app) { return 418; }"]),
            ENTRY,
            True,
        ),
        Variant(
            "map-try",
            "maps in http, no if: try_files /$bench_to_app$host...",
            page_location(
                www,
                ifs=[],
                error_page=False,
                try_files="try_files /$bench_to_app$host${uri}index.html @app;",
            ),
            ENTRY,
            True,
        ),
        Variant(
            "after",
            "as generated now: maps in http, one if, rewrite to index.html, 404 to the app",
            REWRITE.format(root=www, guards="if ($bench_to_app) { return 418; }", headers=HEADED),
            ENTRY,
            True,
        ),
        Variant(
            "after-no-headers",
            "after, without the add_header lines",
            REWRITE.format(root=www, guards="if ($bench_to_app) { return 418; }", headers=""),
            ENTRY,
            False,
        ),
        Variant(
            "after-no-guard",
            "after, without the if on the maps' variable",
            REWRITE.format(root=www, guards="", headers=HEADED),
            ENTRY,
            False,
        ),
        Variant(
            "after-const-root",
            "after, its root a constant folder (no $host)",
            REWRITE.format(
                root=www, guards="if ($bench_to_app) { return 418; }", headers=HEADED
            ).replace(f"root {www}/$host;", f"root {www}/{HOST};"),
            ENTRY,
            False,
        ),
        Variant(
            "after-no-extras",
            "after, without types/default_type/charset/gzip_static",
            "\n".join(
                line
                for line in REWRITE.format(
                    root=www, guards="if ($bench_to_app) { return 418; }", headers=HEADED
                ).splitlines()
                if not line.strip().startswith(("types", "default_type", "charset", "gzip_static"))
            ),
            ENTRY,
            False,
        ),
        Variant(
            "after-index",
            "after, the index module instead of the rewrite (an internal redirect)",
            REWRITE.format(
                root=www, guards="if ($bench_to_app) { return 418; }", headers=HEADED
            ).replace("rewrite /$ ${uri}index.html break;\n      return 418;", "index index.html;"),
            ENTRY,
            False,
        ),
        Variant(
            "ifs-rewrite",
            "the five ifs, rewrite to index.html, 404 to the app (no try_files)",
            REWRITE.format(root=www, guards="\n      ".join(IFS), headers=HEADED),
            ENTRY,
            True,
        ),
        Variant(
            "map-try-bare",
            "map-try without types/charset/gzip_static",
            page_location(
                www,
                ifs=[],
                error_page=False,
                extras=False,
                try_files="try_files /$bench_to_app$host${uri}index.html @app;",
            ),
            ENTRY,
            False,
        ),
    ]


def config(folder: Path, servers: dict[int, Variant], workers: int, jit: bool) -> str:
    blocks = []
    for port, variant in servers.items():
        blocks.append(
            f"""  server {{
    listen {HOST}:{port};
    root {folder}/www;
    {variant.location}
    location @app {{ return 299 "app $uri"; }}
  }}"""
        )
    return nginx_conf(
        folder, workers, MAPS + "\n" + "\n".join(blocks), main="pcre_jit on;" if jit else ""
    )


def ask(url: str, method: str = "GET", **headers: str) -> tuple[int, dict[str, str], bytes]:
    data = b"a=1" if method == "POST" else None
    request = urllib.request.Request(url, headers=headers, method=method, data=data)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def check(base: str, variant: Variant, body: bytes) -> None:
    status, headers, served = ask(base + variant.url)
    assert status == 200 and served == body, (variant.name, status)
    if not variant.guarded:
        return
    for name, value in HEADERS.items():
        assert headers.get(name) == value, (variant.name, name, headers.get(name))
    assert headers["Content-Type"] == "text/html; charset=utf-8", variant.name
    to_app = [
        ask(base + variant.url, Cookie=f"lang=fr; {COOKIE}=abc"),
        ask(base + variant.url + "?utm_source=x"),
        ask(base + variant.url, "POST"),
        ask(base + variant.url, Authorization="Bearer x"),
        ask(base + variant.url, Accept="application/activity+json"),
        ask(
            base + variant.url,
            Accept='application/ld+json; profile="https://www.w3.org/ns/activitystreams"',
        ),
    ]
    assert all(answer[0] == 299 for answer in to_app), (variant.name, [a[0] for a in to_app])
    missing = ask(base + "/blogs/ministry-news/no-file-yet/")
    assert missing[0] == 299 and missing[2] == b"app /blogs/ministry-news/no-file-yet/", missing
    bare = ask(base + ENTRY.rstrip("/"))
    assert bare[0] == 299, (variant.name, "no slash", bare[0])
    # Ordinary readers' headers still get the file.
    for extra in (
        {"Cookie": "lang=fr"},
        {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
        {"Accept-Encoding": "br"},
    ):
        assert ask(base + variant.url, **extra)[0] == 200, (variant.name, extra)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bytes", type=int, default=24_000, help="the page's size")
    parser.add_argument("--seconds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--only", default="", help="comma-separated variant names")
    parser.add_argument("--jit", action="store_true", help="pcre_jit on")
    parser.add_argument("--out", default="")
    args = parser.parse_args()
    body = (b"<!DOCTYPE html><html><body>" + b"x" * args.bytes)[: args.bytes]
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    lines = [f"uptime before: {uptime()}"]
    with tempfile.TemporaryDirectory(prefix="dragoman-spike-nginx-") as name:
        folder = Path(name)
        os.chmod(folder, 0o755)
        www = folder / "www"
        page = www / HOST / ENTRY.strip("/") / "index.html"
        page.parent.mkdir(parents=True)
        page.write_bytes(body)
        (www / "same-bytes.html").write_bytes(body)
        chosen = [v for v in variants(str(www)) if not args.only or v.name in args.only.split(",")]
        servers = {free_port(): variant for variant in chosen}
        (folder / "nginx.conf").write_text(config(folder, servers, args.workers, args.jit))
        process = subprocess.Popen([nginx, "-c", str(folder / "nginx.conf"), "-p", str(folder)])
        try:
            first = next(iter(servers))
            wait_ready(f"http://{HOST}:{first}{servers[first].url}")
            for port, variant in servers.items():
                check(f"http://{HOST}:{port}", variant, body)
            rps: dict[str, list[float]] = {v.name: [] for v in chosen}
            cpu: dict[str, list[float]] = {v.name: [] for v in chosen}
            order = list(servers.items())
            for number in range(args.rounds):
                shift = number % len(order)
                for port, variant in order[shift:] + order[:shift]:
                    before = descendants_cpu()["nginx"]
                    load = wrk(
                        f"http://{HOST}:{port}{variant.url}",
                        seconds=args.seconds,
                        connections=args.connections,
                    )
                    after = descendants_cpu()["nginx"]
                    assert load.errors == 0, (variant.name, load)
                    rps[variant.name].append(load.rps)
                    cpu[variant.name].append((after - before) / (load.rps * args.seconds) * 1e6)
        finally:
            process.terminate()
            process.wait(timeout=20)
    lines.append(f"uptime after: {uptime()}")
    reference = "static" if "static" in rps else chosen[0].name
    static_rps = statistics.median(rps[reference])
    static_cpu = statistics.median(cpu[reference])
    report = [
        f"# nginx: page file variants ({datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC)",
        "",
        f"{os.cpu_count()} cores, {args.workers} nginx workers{' (pcre_jit on)' if args.jit else ''}, "
        f"{args.connections} connections, {args.seconds} s a load, {args.rounds} rounds, "
        f"{args.bytes:,} bytes, `python -m bench.spike_nginx`.",
        "",
        *[f"    {line}" for line in lines],
        "",
        "| variant | what | guarded | rps (median) | / static | us of nginx a request "
        "(median) | static / variant |",
        "| --- | --- | :---: | ---: | ---: | ---: | ---: |",
    ]
    for variant in chosen:
        median_rps = statistics.median(rps[variant.name])
        median_cpu = statistics.median(cpu[variant.name])
        report.append(
            f"| {variant.name} | {variant.what} | {'yes' if variant.guarded else ''} "
            f"| {median_rps:,.0f} | {median_rps / static_rps:.2f} | {median_cpu:.2f} "
            f"| {static_cpu / median_cpu:.2f} |"
        )
    text = "\n".join(report) + "\n"
    print(text)
    if args.out:
        Path(args.out).write_text(text)


if __name__ == "__main__":
    main()
