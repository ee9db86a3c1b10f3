"""Real sites in folders of their own, for the operations tests: built with `dragoman seed`,
driven by `dragoman` commands and small scripts in their own processes."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DRAGOMAN = Path(sys.executable).parent / "dragoman"


def site_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dragoman.settings",
        "DRAGOMAN_DATA_DIR": str(data_dir),
        "DRAGOMAN_SCHEDULER": "off",
        "DRAGOMAN_LOG_LEVEL": "WARNING",
        "CACHE_URL": "locmemcache://",
        "DJANGO_SUPERUSER_PASSWORD": "a-long-test-password",
        **extra,
    }
    env.pop("DATABASE_URL", None) if "DATABASE_URL" not in extra else None
    env.pop("PROMETHEUS_MULTIPROC_DIR", None) if "PROMETHEUS_MULTIPROC_DIR" not in extra else None
    return env


def dragoman(env: dict[str, str], *arguments: str, check: bool = True) -> str:
    result = subprocess.run(
        [str(DRAGOMAN), *arguments],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"dragoman {' '.join(arguments)} failed:\n{result.stderr}")
    return result.stdout + result.stderr


def python(env: dict[str, str], script: str, *arguments: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", script, *arguments],
        env={**env, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if result.returncode != 0:
        raise AssertionError(f"script failed:\n{result.stderr}")
    return result.stdout


def site_build(data_dir: Path) -> None:
    env = site_env(data_dir)
    dragoman(env, "seed", "--entries", "8", "--random-seed", "7", "--no-progress", "--plain")
    dragoman(env, "reindex", "--no-progress")  # seed leaves the search index to it
    dragoman(
        env, "createsuperuser", "--noinput", "--username", "editor", "--email", "e@example.org"
    )


def site_copy(source: Path, destination: Path) -> Path:
    shutil.copytree(source, destination)
    return destination


def port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def wait_for_port(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not port_open(port):
        if time.monotonic() > deadline:
            raise AssertionError(f"nothing listens on {port} after {timeout} s")
        time.sleep(0.2)


SNAPSHOT = r"""
import hashlib, json, re, sys
import django
django.setup()
from django.test import Client
from django.db.models import Count
from dragoman.conversations.models import Comment

client = Client()
SKIP = ("/admin/", "/static/", "/media/", "/documents/", "/_util/")
# Signed, timed values in the comment form differ between any two renders.
STAMP = re.compile(r'(<input[^>]*?\bvalue=")[^"]*("[^>]*>)')
# Dated when rendered, on any site: a feed with no entry, the channels' register.
NOW = re.compile(r'(<lastBuildDate>|<updated>|"generated_at": ")[^<"]*(</|")')
seen, queue, pages = set(), ["/"], {}
while queue and len(seen) < 600:
    path = queue.pop(0)
    if path in seen:
        continue
    seen.add(path)
    response = client.get(path, HTTP_HOST="127.0.0.1")
    body = response.content.decode("utf-8", "replace") if response.status_code == 200 else ""
    if response.status_code == 200 and "html" in response.get("Content-Type", ""):
        for link in re.findall(r'href="(/[^"#?]*)"', body):
            if not link.startswith(SKIP) and link not in seen:
                queue.append(link)
    pages[path] = [response.status_code, hashlib.sha256(NOW.sub(r"\1\2", STAMP.sub(r"\1\2", body)).encode()).hexdigest()]
counts = {
    str(row["entry_id"]): row["n"]
    for row in Comment.objects.filter(status="approved").values("entry_id").annotate(n=Count("id")).order_by()
}
words = sys.argv[1:] or ["the"]
search = {w: hashlib.sha256(client.get("/search/", {"q": w}, HTTP_HOST="127.0.0.1").content).hexdigest() for w in words}
admin = Client()
assert admin.login(username="editor", password="a-long-test-password")
admin_status = {p: admin.get(p, HTTP_HOST="127.0.0.1").status_code for p in ("/admin/", "/admin/pages/")}
print(json.dumps({"pages": pages, "counts": counts, "search": search, "admin": admin_status}))
"""


def site_snapshot(data_dir: Path, *words: str) -> dict:
    """Every public page reached from the home page (its status and a digest of its bytes,
    the form's signed stamps blanked), the published comments per entry, search answers,
    and the admin's pages for the editor; rendered without the page cache."""
    env = site_env(data_dir, DRAGOMAN_PAGE_CACHE="false", DRAGOMAN_FRAGMENT_CACHE="false")
    return json.loads(python(env, SNAPSHOT, *words).strip().splitlines()[-1])
