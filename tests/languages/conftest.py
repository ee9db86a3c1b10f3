"""Shared fixtures for the language tests."""

import pytest


@pytest.fixture(autouse=True)
def uncached(settings) -> None:
    """Pages rendered by Django every time: these tests change content under the same
    addresses, and the page cache (the publishing app's concern) is proved elsewhere."""
    settings.DRAGOMAN_PAGE_CACHE = False
