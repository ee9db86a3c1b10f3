"""Prometheus metrics: requests and latency by route, page-cache answers, renders, the task
queue and the moderation queues (comments, questions).

With several server processes (`dragoman serve` runs one per core), each process writes its
counters to files in PROMETHEUS_MULTIPROC_DIR, which `serve` creates empty at start, and a
scrape of any process sums them (prometheus-client's multiprocess mode). The queue figures
are read from the database at scrape time, once, by the process that answers.

Routes are URL pattern names (`blogs:tag`, `wagtail_serve`), never raw paths: a path may carry
a reader's search words, and every distinct label is a new series.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from dragoman.publishing.served import CACHE_RESULT

REQUESTS = Counter(
    "dragoman_http_requests",
    "Requests answered by Django (page-cache hits are counted in dragoman_page_cache).",
    ["route", "method", "status"],
)
LATENCY = Histogram(
    "dragoman_http_request_duration_seconds",
    "Time to answer a request that reached Django, by route.",
    ["route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
PAGE_CACHE = Counter(
    "dragoman_page_cache",
    "Public pages the page cache answered: hit, miss (rendered, stored), bypass (rendered, "
    "not stored).",
    ["result"],
)
RENDERS = Counter(
    "dragoman_renders", "HTML pages rendered by a view (page-cache hits excluded).", ["route"]
)

# Bound once: a page-cache hit pays for a look-up and an increment of an already-labelled
# counter. (Binding at import also creates this process's file in multiprocess mode.)
_page_cache_children = {result: PAGE_CACHE.labels(result) for result in ("hit", "miss", "bypass")}


def page_served(environ: Mapping[str, Any], path: str, status: int, shows: Iterable[str]) -> None:
    """Count the page cache's answer (a watcher of ``publishing.served``, as the evaluation's
    counting is: one hook on the hit path). Nothing is counted with the page cache off."""
    child = _page_cache_children.get(environ.get(CACHE_RESULT, ""))
    if child is not None:
        child.inc()


class QueueCollector(Collector):
    """The queues as the database holds them now, read at scrape time."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from django.db.models import Count
        from django_tasks_db.models import DBTaskResult

        from dragoman.conversations.models import Comment
        from dragoman.questions.models import Question

        tasks = GaugeMetricFamily(
            "dragoman_tasks", "Tasks in the database queue, by status.", labels=["status"]
        )
        by_status = dict(
            DBTaskResult.objects.values_list("status").annotate(n=Count("id")).order_by()
        )
        for status in ("READY", "RUNNING", "SUCCESSFUL", "FAILED"):
            tasks.add_metric([status.lower()], by_status.get(status, 0))
        yield tasks
        yield GaugeMetricFamily(
            "dragoman_tasks_ready",
            "Tasks ready to run now and not yet taken by a worker (the backlog).",
            value=DBTaskResult.objects.ready().count(),
        )
        yield GaugeMetricFamily(
            "dragoman_comments_waiting",
            "Comments waiting for a moderator.",
            value=Comment.objects.filter(status=Comment.Status.PENDING).count(),
        )
        yield GaugeMetricFamily(
            "dragoman_questions_waiting",
            "Readers' questions to question sessions waiting for a moderator.",
            value=Question.objects.filter(status=Question.Status.PENDING).count(),
        )


def exposition() -> tuple[bytes, str]:
    """The metrics of every server process, and the queues; (body, content type)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
    else:
        registry = CollectorRegistry()
        for collector in (REQUESTS, LATENCY, PAGE_CACHE, RENDERS):
            registry.register(collector)
    registry.register(QueueCollector())
    return generate_latest(registry), CONTENT_TYPE_LATEST
