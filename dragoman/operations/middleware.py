"""Per request: its id for the logs, its count and latency for the metrics, and an access line.

Placed just after the page cache in MIDDLEWARE: a page-cache hit never gets here (its cost
stays the cache's; it is counted by a watcher of served pages, `metrics.page_served`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

from . import logs, metrics

access_logger = logging.getLogger("dragoman.access")


def route_of(request: HttpRequest) -> str:
    """The URL pattern's name, never the path (no reader's words in a label or a log)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return match.view_name or "unnamed"


class RequestMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        token = logs.REQUEST_ID.set(logs.request_id_from(request.META.get("HTTP_X_REQUEST_ID")))
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            elapsed = time.perf_counter() - started
            route = route_of(request)
            status = response.status_code
            metrics.REQUESTS.labels(route, request.method, str(status)).inc()
            metrics.LATENCY.labels(route).observe(elapsed)
            if response.get("Content-Type", "").startswith("text/html"):
                metrics.RENDERS.labels(route).inc()
            access_logger.info(
                "%s %s %s %.1fms",
                request.method,
                route,
                status,
                elapsed * 1000,
                extra={"route": route, "status": status, "duration_ms": round(elapsed * 1000, 1)},
            )
            return response
        finally:
            logs.REQUEST_ID.reset(token)
