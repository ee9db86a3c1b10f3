"""Which engine answers: OpenSearch when OPENSEARCH_URL is set, else the database's own."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from .base import SearchEngine, SearchFilters, SearchRequest, SearchResults

__all__ = ["SearchEngine", "SearchFilters", "SearchRequest", "SearchResults", "get_engine"]


def get_engine() -> SearchEngine:
    if settings.OPENSEARCH_URL:
        from .opensearch import opensearch_engine

        return opensearch_engine(settings.OPENSEARCH_URL, settings.OPENSEARCH_INDEX)
    if connection.vendor == "postgresql":
        from .postgres import PostgresEngine

        return PostgresEngine()
    if connection.vendor == "sqlite":
        from .sqlite import SqliteEngine

        return SqliteEngine()
    raise ImproperlyConfigured(
        f"Search needs SQLite, PostgreSQL or OPENSEARCH_URL; the database is {connection.vendor}."
    )
