"""What the benchmarks share: starting servers on loopback, running wrk, reading memory."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"


def free_port() -> int:
    """A free loopback port; within BENCH_PORTS ("18500-18599") when set, for a machine whose
    ports are shared out."""
    wanted = os.environ.get("BENCH_PORTS", "")
    candidates = [0]
    if wanted:
        low, _, high = wanted.partition("-")
        candidates = list(range(int(low), int(high or low) + 1))
    for port in candidates:
        with socket.socket() as sock:
            try:
                sock.bind((HOST, port))
            except OSError:
                continue
            found = int(sock.getsockname()[1])
        if found not in _given:
            _given.add(found)
            return found
    raise RuntimeError(f"no free port in {wanted}")


_given: set[int] = set()


def production_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """A production configuration on loopback: no TLS, no scheduler, a throwaway key."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dragoman.settings",
        "DRAGOMAN_ENV": "production",
        "DRAGOMAN_SECRET_KEY": secrets.token_urlsafe(50),
        "DRAGOMAN_DATA_DIR": str(data_dir),
        "DRAGOMAN_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DRAGOMAN_BASE_URL": "http://127.0.0.1",
        "DRAGOMAN_SECURE_SSL_REDIRECT": "false",
        "DRAGOMAN_SILENCE_SSL_REDIRECT_CHECK": "true",
        "DRAGOMAN_SCHEDULER": "off",
        "DRAGOMAN_LOG_LEVEL": "WARNING",
        **extra,
    }


def wait_ready(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status < 500:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@contextlib.contextmanager
def running(
    command: Sequence[str],
    env: dict[str, str],
    ready_url: str,
    cwd: Path = ROOT,
    ready_seconds: float = 60.0,
) -> Iterator[int]:
    """Start a server, wait until it answers (``ready_seconds`` at most: a loaded machine
    starts slowly), stop it gracefully (SIGTERM) afterwards."""
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            list(command), env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            wait_ready(ready_url, ready_seconds)
            yield process.pid
        except Exception:
            log.seek(0)
            sys.stderr.write(log.read().decode(errors="replace")[-3000:])
            raise
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def dragoman_serve(port: int, workers: int) -> list[str]:
    return [str(BIN / "dragoman"), "serve", "--host", HOST, "--port", str(port),
            "--workers", str(workers), "--no-setup"]  # fmt: skip


@dataclass
class Load:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(
    url: str,
    *,
    seconds: int = 5,
    connections: int = 32,
    threads: int = 2,
    headers: dict[str, str] | None = None,
    timeout: int | None = None,
) -> Load:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if timeout is not None:
        command.append(f"--timeout={timeout}s")  # wrk's own is 2 s, counted as errors
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 30
    ).stdout

    def latency(percent: str) -> float:
        match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
        return float(match.group(1)) * UNITS[match.group(2)] if match else float("nan")

    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output)) + sum(
        int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output)
    )
    return Load(float(rps.group(1)) if rps else 0.0, latency("50"), latency("99"), errors)


def process_tree_rss(pid: int, field: str = "VmRSS") -> dict[int, int]:
    """Resident memory in bytes of a process and all its descendants (``field="Pss"``: each
    one's proportional share, shared pages divided among the processes that map them)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    sizes: dict[int, int] = {}
    todo = [pid]
    while todo:
        current = todo.pop()
        # Pss is in smaps_rollup (Linux 4.14), VmRSS in status.
        source = "status" if field.startswith("Vm") else "smaps_rollup"
        try:
            for line in Path(f"/proc/{current}/{source}").read_text().splitlines():
                if line.startswith(f"{field}:"):
                    sizes[current] = int(line.split()[1]) * 1024
        except OSError:
            continue
        todo.extend(children.get(current, []))
    return sizes


class PeakMemory:
    """Samples a server's process tree in the background; keeps the peaks."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_total = 0
        self.peak_process = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        while not self.stop.is_set():
            sizes = process_tree_rss(self.pid)
            if sizes:
                self.peak_total = max(self.peak_total, sum(sizes.values()))
                self.peak_process = max(self.peak_process, max(sizes.values()))
            self.stop.wait(0.25)

    def __enter__(self) -> PeakMemory:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()


def nginx_conf(folder: Path, workers: int, http: str, *, main: str = "") -> str:
    """An nginx configuration for a benchmark on loopback, its files under ``folder``: no
    access log, long keep-alive; ``http`` (servers, maps) goes in its http block and ``main``
    before it."""
    return f"""worker_processes {workers};
{main}
pid {folder}/nginx.pid;
error_log {folder}/error.log;
daemon off;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  default_type text/html;
  client_body_temp_path {folder};
  proxy_temp_path {folder};
  fastcgi_temp_path {folder};
  uwsgi_temp_path {folder};
  scgi_temp_path {folder};
{http}
}}
"""


@contextlib.contextmanager
def nginx_serving(
    files: dict[str, bytes], workers: int, port: int = 0, locations: str = "", http: str = ""
) -> Iterator[int]:
    """nginx on a loopback port serving these bytes as static files (the physical reference);
    ``locations``, if given, are added to its server and ``http`` to its http block
    (bench/spike.py: the page files' locations and maps)."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    port = port or free_port()
    with tempfile.TemporaryDirectory(prefix="dragoman-nginx-") as folder:
        root = Path(folder)
        (root / "www").mkdir()
        for name, body in files.items():
            (root / "www" / name).write_bytes(body)
        # Each static file its own exact location: `locations` may claim every other address.
        static = "".join(f"    location = /{name} {{ }}\n" for name in files)
        server = f"""  server {{
    listen {HOST}:{port};
    root {root}/www;
{static}{locations}
  }}"""
        (root / "nginx.conf").write_text(nginx_conf(root, workers, f"{http}\n{server}"))
        command = [nginx, "-c", str(root / "nginx.conf"), "-p", str(root)]
        with running(command, dict(os.environ), f"http://{HOST}:{port}/{next(iter(files))}"):
            yield port
