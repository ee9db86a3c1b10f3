"""Who is told that a public page was served: a hook for counting, knowing no domain app.

The page cache serves hits before Django builds a request (``wsgi.py``) and in its middleware;
an app that counts readers (``evaluation``) registers a watcher here in its ``AppConfig.ready``
and is called once per public page served, hit or render, with the request's WSGI environ
(``request.META`` is the same mapping), the path, the status and the dependencies the page
shows (``entry:42``, ``blog:<slug>``, ``feeds``...). A watcher must be cheap (note the request
in memory, count later, in batches) and must never break serving: what it raises is logged.
With no watcher registered, serving pays one list test.

The page cache says how it answered in the environ it passes, under ``CACHE_RESULT``: "hit"
(served from the cache), "miss" (rendered and stored) or "bypass" (rendered for an anonymous
reader and not stored: a form with errors, a HEAD); absent when the page cache is off. The
operations' metrics count the page cache's answers from it, with the same one call per hit
as any watcher (``make bench-instructions-cached`` measures a hit).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any

logger = logging.getLogger(__name__)

# A WSGI extension key (dotted, as the specification asks of such keys).
CACHE_RESULT = "dragoman.page_cache"

Watcher = Callable[[Mapping[str, Any], str, int, Iterable[str]], None]

watchers: list[Watcher] = []


def watch(watcher: Watcher) -> None:
    """Call ``watcher(environ, path, status, shows)`` for every public page served."""
    if watcher not in watchers:
        watchers.append(watcher)


def unwatch(watcher: Watcher) -> None:
    if watcher in watchers:
        watchers.remove(watcher)


def notify(environ: Mapping[str, Any], path: str, status: int, shows: Iterable[str]) -> None:
    for watcher in watchers:
        try:
            watcher(environ, path, status, shows)
        except Exception:
            # Counting is never worth a reader's page.
            logger.exception("A watcher of served pages failed; the page was served.")
