"""Counting switched on for these tests only (tests/environment.py keeps it off elsewhere)."""

from collections.abc import Iterator

import pytest

from dragoman.blogs.sharing import _share_watchers, share_watch
from dragoman.evaluation import counting, services
from dragoman.publishing import served
from dragoman.search.queries import _search_watchers, search_watch


@pytest.fixture
def counting_on(settings) -> Iterator[None]:
    """Served pages, searches and share clicks noted; written only when a test flushes."""
    settings.DRAGOMAN_COUNTING = True
    settings.DRAGOMAN_COUNTING_BATCH = 10**9
    settings.DRAGOMAN_COUNTING_INTERVAL = 10**9
    counting.forget()
    services.salts_forget()
    served.watch(counting.page_served)
    search_watch(counting.searched)
    share_watch(counting.share_clicked)
    yield
    served.unwatch(counting.page_served)
    _search_watchers.remove(counting.searched)
    _share_watchers.remove(counting.share_clicked)
    counting.forget()
    services.salts_forget()
