"""How one app tells the others that something changed: announcements, and who listens.

A change of state is made by one action (a function in its app's ``services.py``). The action
validates, writes, keeps its own copies, then ``announce``s what changed. Other apps listen,
each registering in its own ``AppConfig.ready``; the action knows none of them.

An announcement reaches its listeners at one of three moments, in this order:

1. ``Moment.IN_TRANSACTION``: at once, inside the action's transaction, in the order the apps
   registered (the order of ``INSTALLED_APPS``). For copies another app keeps of the changed
   thing (the search document) and for marks that must hold before the commit (the page
   cache's staleness tokens). An error here is the action's error: the change rolls back
   rather than leave a copy behind.
2. ``Moment.AFTER_COMMIT``: once the change is committed (never for a change rolled back).
   For quick work such as refreshing cached pages. A listener that raises is logged and the
   others still run: a listener never undoes or blocks the change.
3. ``Moment.TASK``: as a task (django-tasks) enqueued after the commit, for slow work
   (email, deliveries to other servers). A task that raises is tried again later, with a
   growing delay, up to ``TASK_ATTEMPTS`` times, then logged as failed.

Announcements are small frozen dataclasses of plain values (numbers, strings, tuples of them),
so that a task can carry them through the database.
"""

from __future__ import annotations

import dataclasses
import enum
import importlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone
from django_tasks import default_task_backend, task

from .replicas import fence_raise

logger = logging.getLogger(__name__)

# A task listener that keeps failing is tried this many times in all, the n-th retry waiting
# TASK_FIRST_DELAY * 4**(n-1): 30 s, 2 min, 8 min, 32 min, about 2 h.
TASK_ATTEMPTS = 6
TASK_FIRST_DELAY = timedelta(seconds=30)


@dataclass(frozen=True, order=True)
class Dependency:
    """Something public pages show: ``Dependency("entry", "12")``, ``Dependency("home")``.

    Pages name what they show with dependencies; a change names what it touched. The kinds
    belong to the apps that own the content (``blogs`` names entries, blogs, tags, ...); the
    page cache only compares them, and asks the owning app for their addresses.
    """

    kind: str
    key: str = ""

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}" if self.key else self.kind

    @classmethod
    def parse(cls, text: str) -> Dependency:
        kind, _, key = text.partition(":")
        return cls(kind, key)


# Every page shows the site's frame (names of blogs, bloggers, missions in menus and
# sidebars): a change to that refreshes every page.
SITE = Dependency("site")


def shown_on(dependencies: Iterable[Dependency]) -> tuple[str, ...]:
    """What a ``ContentChanged`` carries: the dependencies as text, in a stable order."""
    return tuple(sorted({str(dependency) for dependency in dependencies}))


# The ``shown_on`` of a change that every page shows.
EVERY_PAGE = shown_on([SITE])


@dataclass(frozen=True)
class Announcement:
    """Something changed; subclasses say what, with plain values."""


@dataclass(frozen=True)
class ContentChanged(Announcement):
    """Content that public pages show changed: ``shown_on`` names what those pages show,
    before the change and after it (an entry moved from one blog to another refreshes both)."""

    shown_on: tuple[str, ...] = field(default=())


class Moment(enum.Enum):
    IN_TRANSACTION = "in transaction"
    AFTER_COMMIT = "after commit"
    TASK = "task"


A = TypeVar("A", bound=Announcement)


@dataclass(frozen=True)
class Listener:
    kind: type[Announcement]
    handler: Callable[[Any], object]
    moment: Moment

    @property
    def name(self) -> str:
        return f"{self.handler.__module__}.{self.handler.__qualname__}"


_listeners: list[Listener] = []


def listen(
    kind: type[A], handler: Callable[[A], object], *, moment: Moment = Moment.AFTER_COMMIT
) -> None:
    """Call ``handler`` with every announcement of ``kind`` (or of a subclass of it).

    Call it from the listening app's ``AppConfig.ready``. Registering the same handler for
    the same kind and moment twice keeps one (``ready`` may run again in tests).
    """
    if moment is Moment.TASK and "<" in handler.__qualname__:
        raise ValueError(f"A task listener must be importable by name: {handler!r}")
    listener = Listener(kind, handler, moment)
    if listener not in _listeners:
        _listeners.append(listener)


def unlisten(handler: Callable[[Any], object]) -> None:
    """Stop calling ``handler`` (a test's listener, at its end)."""
    _listeners[:] = [listener for listener in _listeners if listener.handler is not handler]


def listeners(announcement: Announcement, moment: Moment) -> list[Listener]:
    return [
        listener
        for listener in _listeners
        if listener.moment is moment and isinstance(announcement, listener.kind)
    ]


def announce(announcement: Announcement) -> None:
    """Tell the listeners: those inside the transaction now, the others after the commit."""
    for listener in listeners(announcement, Moment.IN_TRANSACTION):
        listener.handler(announcement)
    transaction.on_commit(lambda: _after_commit(announcement))


def _after_commit(announcement: Announcement) -> None:
    try:
        # Before the listeners refresh any page: a page rendered again from a read replica
        # must show this change (see core/replicas.py).
        fence_raise()
    except Exception:
        logger.exception("Could not raise the read replicas' fence for %r", announcement)
    for listener in listeners(announcement, Moment.AFTER_COMMIT):
        try:
            listener.handler(announcement)
        except Exception:
            logger.exception("Listener %s failed on %r", listener.name, announcement)
    for listener in listeners(announcement, Moment.TASK):
        try:
            _task_enqueue(listener.name, announcement, attempt=1)
        except Exception:  # the queue's database away: the change itself stands
            logger.exception("Could not queue %s for %r", listener.name, announcement)


def _class_name(kind: type) -> str:
    return f"{kind.__module__}.{kind.__qualname__}"


def _named(name: str) -> Any:
    module, _, attribute = name.rpartition(".")
    return getattr(importlib.import_module(module), attribute)


def _task_enqueue(listener_name: str, announcement: Announcement, *, attempt: int) -> None:
    arguments = {
        "listener_name": listener_name,
        "kind": _class_name(type(announcement)),
        "values": _plain(dataclasses.asdict(announcement)),
        "attempt": attempt,
    }
    if attempt > 1 and default_task_backend.supports_defer:
        delay = TASK_FIRST_DELAY * 4 ** (attempt - 2)
        announcement_deliver.using(run_after=timezone.now() + delay).enqueue(**arguments)
    else:
        announcement_deliver.enqueue(**arguments)


def _plain(value: Any) -> Any:
    """Tuples as lists, for JSON; they come back as tuples in ``_rebuilt``."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _rebuilt(kind: type[Announcement], values: dict[str, Any]) -> Announcement:
    return kind(
        **{key: tuple(item) if isinstance(item, list) else item for key, item in values.items()}
    )


@task()
def announcement_deliver(
    *, listener_name: str, kind: str, values: dict[str, Any], attempt: int
) -> None:
    """Run one task listener on one announcement; on failure, queue the next attempt."""
    announcement = _rebuilt(_named(kind), values)
    try:
        _named(listener_name)(announcement)
    except Exception:
        if attempt >= TASK_ATTEMPTS:
            logger.exception(
                "Listener %s failed %d times on %r; giving up.",
                listener_name,
                attempt,
                announcement,
            )
            return
        logger.warning(
            "Listener %s failed on %r (attempt %d); trying again later.",
            listener_name,
            announcement,
            attempt,
            exc_info=True,
        )
        _task_enqueue(listener_name, announcement, attempt=attempt + 1)
