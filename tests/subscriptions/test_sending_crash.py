"""A real worker process killed (SIGKILL) in the middle of sending an entry, against a real
SMTP server (aiosmtpd) on loopback; then the minutely job, in another process, goes on.

What SMTP allows, and what the issue asks: nobody gets the entry twice. What a crash may cost
(see ``sending.py``): at most one delivery per dead worker is UNCERTAIN, never sent again;
its reader misses the entry only if the worker died after handing it over and before the
server accepted it.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from dragoman.subscriptions import services
from tests.factories import BlogFactory, EntryFactory
from tests.ports import free_port

from .conftest import MailServer, confirmed

ROOT = Path(__file__).resolve().parents[2]
READERS = 30

SEND = """
import django
django.setup()
from dragoman.subscriptions import sending
while sending.deliveries_send().remaining:
    pass
"""
# The minutely job, once the dead worker's lease has run out.
RECOVER = """
import django
django.setup()
from django.conf import settings
from django.core.management import call_command
settings.DRAGOMAN_SUBSCRIPTIONS_LEASE = 0
call_command("subscriptions-send", batches=10)
"""


class KillingServer(MailServer):
    """Kills the worker (SIGKILL) when the `kill_at`-th message has arrived, before it
    answers "250": the server has it, the worker never hears so."""

    worker: subprocess.Popen[bytes] | None = None
    kill_at: int = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        answer = await super().handle_DATA(server, session, envelope)
        if self.worker is not None and len(self.received) == self.kill_at:
            os.kill(self.worker.pid, signal.SIGKILL)
        return answer


def worker_env(database: str, port: int, data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dragoman.settings",
        "DATABASE_URL": database,
        "DRAGOMAN_DATA_DIR": str(data_dir),
        "CACHE_URL": "locmemcache://",
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "DRAGOMAN_SUBSCRIPTIONS_RATE": "40",
        "DRAGOMAN_SUBSCRIPTIONS_BATCH": "8",
        "DRAGOMAN_SUBSCRIPTIONS_FROM_EMAIL": "news@dragoman.test",
        "DRAGOMAN_BASE_URL": "http://testserver",
        "DRAGOMAN_LOG_LEVEL": "WARNING",
    }


STATUSES = (
    "SELECT s.email, d.status FROM subscriptions_delivery d"
    " JOIN subscriptions_subscriber s ON s.id = d.subscriber_id"
)


def shared_database(tmp_path: Path) -> tuple[str, Callable[[], dict[str, str]]]:
    """The DATABASE_URL the worker processes use, and how to read the deliveries' states.
    PostgreSQL: this test's own database (a transactional test commits). SQLite: a copy of
    this test's in-memory database, in a file."""
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        url = (
            f"postgres://{urllib.parse.quote(db['USER'] or '')}:"
            f"{urllib.parse.quote(db['PASSWORD'] or '')}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )

        def read() -> dict[str, str]:
            with connection.cursor() as cursor:
                cursor.execute(STATUSES)
                return dict(cursor.fetchall())

        return url, read
    database = tmp_path / "db.sqlite3"
    with sqlite3.connect(database) as copy:
        connection.ensure_connection()
        connection.connection.backup(copy)

    def read_file() -> dict[str, str]:
        with sqlite3.connect(database) as db:
            return dict(db.execute(STATUSES).fetchall())

    return f"sqlite:///{database}", read_file


@pytest.mark.parametrize("moment", ["as the server takes a message", "at any moment"])
def test_a_worker_killed_mid_send_sends_nobody_twice(transactional_db, tmp_path, settings, moment):
    from aiosmtpd.controller import Controller

    blog = BlogFactory()
    addresses = [f"reader{n}@example.org" for n in range(READERS)]
    for address in addresses:
        confirmed(address, kind="blog", value=blog.pk)
    # Published with its tasks left in the queue: the worker below does the sending.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    entry = EntryFactory(blog=blog, title="Sent to all", date=timezone.now() - timedelta(minutes=1))
    assert services.entry_deliveries_queue(entry_id=entry.pk) == READERS
    database, statuses = shared_database(tmp_path)

    server = KillingServer()
    server.port = free_port()
    controller = Controller(server, hostname="127.0.0.1", port=server.port)
    controller.start()
    try:
        env = worker_env(database, server.port, tmp_path)
        worker = subprocess.Popen([sys.executable, "-c", SEND], cwd=ROOT, env=env)
        if moment == "as the server takes a message":
            server.kill_at, server.worker = 11, worker
        else:
            # A kill from outside, whenever it lands, once some messages went out.
            def kill_later() -> None:
                while len(server.received) < 11 and worker.poll() is None:
                    time.sleep(0.005)
                time.sleep(0.013)
                if worker.poll() is None:
                    os.kill(worker.pid, signal.SIGKILL)

            threading.Thread(target=kill_later, daemon=True).start()
        assert worker.wait(timeout=240) == -signal.SIGKILL
        killed_after = len(server.received)
        assert 0 < killed_after < READERS
        left = statuses()
        assert Counter(left.values())["in_flight"] <= 1  # one row in flight per worker

        subprocess.run([sys.executable, "-c", RECOVER], cwd=ROOT, env=env, check=True, timeout=240)
    finally:
        controller.stop()

    final = statuses()
    received = Counter(address for r in server.received for address in r.rcpt_tos)
    assert max(received.values()) == 1, "somebody got the entry twice"
    uncertain = {address for address, status in final.items() if status == "uncertain"}
    assert len(uncertain) <= 1
    # Everyone else got it once, and is marked SENT.
    assert {a for a in addresses if a not in received} <= uncertain
    assert {a for a, status in final.items() if status == "sent"} == set(received) - uncertain
    if moment == "as the server takes a message":
        # The worst moment: the server had the eleventh message, the worker never noted it.
        assert uncertain == {server.received[10].rcpt_tos[0]}
        assert len(received) == READERS  # so everyone got it exactly once
