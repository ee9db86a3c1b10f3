"""Structured logs: one JSON object a line when DRAGOMAN_LOG_FORMAT=json, each line of a
request carrying its request id, and no personal data.

The request id is the front server's X-Request-ID when it passes a well-formed one (nginx:
`proxy_set_header X-Request-ID $request_id;`), so that its access log and ours join up;
otherwise one is made here. It lives in a context variable, so that every line logged while
the request is answered (ours, Django's, Wagtail's) carries it, threads and async alike.

JSON lines are written by python-json-logger (`pythonjsonlogger.json.JsonFormatter`): a
small, long-kept library that escapes every value and formats exceptions as one field,
which a few lines on the standard library would have to get right again.

What we log never holds a reader's address, email or query string: the access line names
the route (the URL pattern), not the path, and Django's own messages name the path only.
"""

from __future__ import annotations

import contextvars
import logging
import re
import uuid
from typing import Any

REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
# Letters, digits, dash, underscore, dot, colon; 8 to 128 of them (nginx's $request_id is 32
# hex digits, a load balancer's often a UUID). Anything else is replaced, never logged.
VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")


def request_id_from(header: str | None) -> str:
    """The front server's id when well formed, else a new one."""
    if header and VALID_REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Add the current request's id (or "") to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        # Django passes the request itself with its messages ("Not Found: ..."); a JSON line
        # would hold its repr, query string and all (a reader's email, search words).
        record.__dict__.pop("request", None)
        return True


JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def logging_config(*, json_format: bool, level: str, access_log: bool) -> dict[str, Any]:
    """The LOGGING setting (dictConfig)."""
    formatter: dict[str, Any] = (
        {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": JSON_FIELDS,
            "rename_fields": {"levelname": "level", "name": "logger", "asctime": "time"},
            "timestamp": False,
        }
        if json_format
        else {"format": TEXT_FORMAT}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "dragoman.operations.logs.RequestIdFilter"}},
        "formatters": {"dragoman": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_id"],
                "formatter": "dragoman",
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "INFO"},
            "wagtail": {"level": "WARNING"},
            "dragoman.access": {"level": "INFO" if access_log else "WARNING"},
        },
    }
