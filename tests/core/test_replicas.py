"""Which reads may go to a read replica (dragoman/core/replicas.py). The cluster itself, with a
real streaming replica, is proved by tests/operations/test_cluster.py."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, OperationalError, ProgrammingError, connection
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.urls import resolve

from dragoman.core import replicas
from dragoman.core.replicas import (
    REPLICA_DB_ALIAS,
    Reads,
    ReplicaReadsMiddleware,
    ReplicaRouter,
    current_reads,
    lsn_format,
    lsn_parse,
)
from tests.factories import EntryFactory


def reads_during(request: HttpRequest) -> Reads | None:
    """Run the middleware around a stand-in for the view and say where its reads went."""
    seen: list[Reads | None] = []

    def view_stand_in(request: HttpRequest) -> HttpResponse:
        match = resolve(request.path_info)
        middleware.process_view(request, match.func, match.args, match.kwargs)
        reads = current_reads()
        seen.append(None if reads is None else Reads(reads.may_lag, reads.pinned))
        return HttpResponse()

    middleware = ReplicaReadsMiddleware(view_stand_in)
    middleware(request)
    return seen[0]


def resolved(request: HttpRequest) -> HttpRequest:
    request.resolver_match = resolve(request.path_info)
    return request


@pytest.mark.django_db
def test_an_anonymous_reader_of_an_entry_may_read_the_replica():
    entry = EntryFactory()

    reads = reads_during(resolved(RequestFactory().get(entry.url)))

    assert reads is not None and reads.may_lag


@pytest.mark.parametrize("path", ["/feed/", "/search/"])
def test_anonymous_feeds_and_search_may_read_the_replica(path):
    reads = reads_during(resolved(RequestFactory().get(path)))

    assert reads is not None and reads.may_lag


@pytest.mark.django_db
def test_a_signed_in_reader_reads_the_primary():
    entry = EntryFactory()
    request = RequestFactory().get(entry.url)
    request.COOKIES[settings.SESSION_COOKIE_NAME] = "some-session"

    reads = reads_during(resolved(request))

    assert reads is not None and not reads.may_lag


def test_a_request_with_credentials_reads_the_primary():
    request = RequestFactory().get("/search/", HTTP_AUTHORIZATION="Bearer x")

    assert not replicas.request_may_lag(request, "search:search", is_page_view=False)


def test_a_form_sent_reads_the_primary():
    request = RequestFactory().post("/search/")

    assert not replicas.request_may_lag(request, "search:search", is_page_view=True)


def test_a_route_not_registered_reads_the_primary():
    # A confirmation link must find the subscription its email was sent for a moment ago.
    request = RequestFactory().get("/subscriptions/confirm/x/")

    assert not replicas.request_may_lag(request, "subscriptions:confirm", is_page_view=False)


def test_the_registered_routes_include_the_cached_pages_and_search():
    routes = replicas.lagging_routes()

    assert {"search:search", "search:feed", "blogs:network_rss", "sitemap"} <= routes


def test_outside_a_request_every_read_goes_to_the_primary():
    # The task workers, commands and the scheduler have no request.
    assert current_reads() is None
    assert ReplicaRouter().db_for_read(object) == DEFAULT_DB_ALIAS


def test_a_request_that_may_lag_reads_the_replica():
    reads = Reads(may_lag=True)
    token = replicas._reads.set(reads)
    try:
        alias = ReplicaRouter().db_for_read(object)
    finally:
        replicas._reads.reset(token)

    assert alias == REPLICA_DB_ALIAS


def test_after_a_write_the_request_reads_the_primary():
    reads = Reads(may_lag=True)
    token = replicas._reads.set(reads)
    try:
        router = ReplicaRouter()
        written = router.db_for_write(object)
        alias = router.db_for_read(object)
    finally:
        replicas._reads.reset(token)

    assert written == DEFAULT_DB_ALIAS
    assert alias == DEFAULT_DB_ALIAS


def test_migrations_run_on_the_primary_only():
    router = ReplicaRouter()

    assert router.allow_migrate(DEFAULT_DB_ALIAS, "blogs")
    assert not router.allow_migrate(REPLICA_DB_ALIAS, "blogs")


@pytest.mark.parametrize("text", ["0/0", "16/B374D848", "FFFFFFFF/FFFFFFFF"])
def test_wal_positions_read_back_as_written(text):
    assert lsn_format(lsn_parse(text)) == text


def test_positions_compare_as_postgresql_orders_them():
    assert lsn_parse("1/0") > lsn_parse("0/FFFFFFFF")


def postgresql_only(db: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("WAL positions exist on PostgreSQL only (make test-postgres)")


@pytest.mark.django_db
def test_a_replica_behind_the_fence_is_not_read(settings):
    postgresql_only(connection)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        now = lsn_parse(cursor.fetchone()[0])
    settings.DATABASE_REPLICA_URL = "postgres://replica.invalid/x"

    cache.set(replicas.FENCE_KEY, lsn_format(now), timeout=None)
    caught_up = replicas.replica_has_replayed_fence(DEFAULT_DB_ALIAS)
    cache.set(replicas.FENCE_KEY, lsn_format(now + 2**40), timeout=None)
    behind = replicas.replica_has_replayed_fence(DEFAULT_DB_ALIAS)
    cache.delete(replicas.FENCE_KEY)

    assert caught_up
    assert not behind


@pytest.mark.django_db
def test_a_change_raises_the_fence_to_the_primarys_position(settings):
    postgresql_only(connection)
    settings.DATABASE_REPLICA_URL = "postgres://replica.invalid/x"
    cache.set(replicas.FENCE_KEY, "0/1", timeout=None)

    replicas.fence_raise()
    raised = lsn_parse(cache.get(replicas.FENCE_KEY))
    cache.set(replicas.FENCE_KEY, "FFFF/0", timeout=None)
    replicas.fence_raise()
    kept = cache.get(replicas.FENCE_KEY)
    cache.delete(replicas.FENCE_KEY)

    assert raised > 1
    assert kept == "FFFF/0"  # the fence never moves back


def test_without_a_replica_the_fence_is_not_raised(settings):
    settings.DATABASE_REPLICA_URL = ""
    cache.delete(replicas.FENCE_KEY)

    replicas.fence_raise()

    assert cache.get(replicas.FENCE_KEY) is None


def replica_failing(table: str, error: type[Exception] = OperationalError) -> Any:
    """A replica that fails every read of this table: Django's hook on the test database (one
    database here, which the replica alias mirrors) raises for each query made while the
    request reads the replica, as PostgreSQL does for a query it cancels."""

    def execute(run: Any, sql: str, parameters: Any, many: bool, context: Any) -> Any:
        reads = current_reads()
        if table in sql and reads is not None and reads.read_alias() == REPLICA_DB_ALIAS:
            raise error("terminating connection due to conflict with recovery")
        return run(sql, parameters, many, context)

    return connection.execute_wrapper(execute)


# The entry's authors are read by the view; its comments, as its template renders.
@pytest.mark.parametrize("table", ["blogs_entryauthor", "conversations_comment"])
@pytest.mark.django_db
def test_a_read_the_replica_fails_is_answered_from_the_primary(client, table, caplog):
    entry = EntryFactory(title="Answered all the same")

    with replica_failing(table):
        response = client.get(entry.url)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Answered all the same" in page
    assert "answering from the primary" in caplog.text


@pytest.mark.django_db
def test_an_error_that_is_not_the_replicas_is_not_hidden(client):
    # A mistake in a query fails on the primary too: the reader gets the error page, and the
    # error is logged as one, not retried.
    entry = EntryFactory()

    with replica_failing("blogs_entryauthor", ProgrammingError), pytest.raises(ProgrammingError):
        client.get(entry.url)
