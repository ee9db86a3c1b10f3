"""The writer thread: batches handed to it are written, a batch the database refuses is kept
and written once it accepts again, and the thread stops cleanly after writing what waits."""

import logging
import time

import pytest
from django.db import OperationalError, connection
from django.db.models import Sum

from dragoman.evaluation import counting
from dragoman.evaluation.models import Figure

pytestmark = pytest.mark.django_db(transaction=True)

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"


def served(count: int, path: str = "/") -> None:
    environ = {
        "REQUEST_METHOD": "GET",
        "HTTP_USER_AGENT": FIREFOX,
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "192.0.2.7",
    }
    for _ in range(count):
        counting.page_served(environ, path, 200, [])


def views() -> int:
    try:
        figures = Figure.objects.filter(metric="view", dimension="")
        return figures.aggregate(n=Sum("count"))["n"] or 0
    except OperationalError:
        # SQLite's shared in-memory test database locks the table while the writer's thread
        # writes it (the file Dragoman runs on lets readers read): ask again.
        return -1


def until(condition, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


@pytest.fixture
def writer(counting_on, settings, monkeypatch):
    # Handed to the writer every 5 pages; retried after 50 ms (the delays are settings of
    # the writer, not its behaviour).
    settings.DRAGOMAN_COUNTING_BATCH = 5
    counting.forget()
    monkeypatch.setattr(counting.Writer, "RETRY_SECONDS", (0.05,))
    yield counting.Writer
    assert counting.Writer.stop(timeout=10)


def test_batches_handed_to_the_writer_are_written_by_its_thread(writer):
    served(15)

    assert until(lambda: views() == 15)
    assert writer.thread is not None
    assert writer.thread.name == "evaluation-writer"
    assert writer.thread.is_alive()


def test_a_batch_the_database_refuses_is_kept_and_written_once_it_accepts(writer, caplog):
    table = Figure._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table} RENAME TO evaluation_figure_away")
    try:
        with caplog.at_level(logging.WARNING, logger="dragoman.evaluation.counting"):
            served(5)
            refused = until(lambda: "could not write a batch" in caplog.text)
            served(5)  # waits behind the refused one
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE evaluation_figure_away RENAME TO {table}")

    assert refused
    assert until(lambda: views() == 10)
    assert "lost" not in caplog.text


def test_stopping_writes_what_waits_and_ends_the_thread(writer):
    served(10)
    served(3)  # not yet a batch: still in the process's list
    counting.flush(wait=False)
    thread = writer.thread

    stopped = writer.stop(timeout=10)

    assert stopped
    assert thread is not None
    assert not thread.is_alive()
    assert views() == 13


def test_the_exit_writes_what_was_noted_and_not_yet_handed(writer):
    served(7)  # one batch handed, two pages noted

    counting.at_exit()

    assert views() == 7
    assert not writer.running()
