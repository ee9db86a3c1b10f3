"""Loaded as a pytest plugin (see pyproject.toml) before Django reads its settings.

Each test run gets a private data folder (media, cache) and a memory cache, so runs never
share files with a demo or with each other. Under pytest-xdist each worker gets a folder of its
own inside the run's: workers inherit the environment of the process that started them, so
they would otherwise share one.
"""

import os
import shutil
import tempfile
from collections.abc import Iterator

import pytest

# The folder this process made, and so must remove: not one given in the environment (a
# person's own DRAGOMAN_DATA_DIR), and not in an xdist worker, which inherits the folder of
# the process that started it and must leave it to that process, the last one to finish.
_made_data_dir: str | None = None
if "DRAGOMAN_DATA_DIR" not in os.environ:
    _made_data_dir = tempfile.mkdtemp(prefix="dragoman-test-")
    os.environ["DRAGOMAN_DATA_DIR"] = _made_data_dir
if xdist_worker := os.environ.get("PYTEST_XDIST_WORKER"):  # gw0, gw1, ...
    os.environ["DRAGOMAN_DATA_DIR"] = os.path.join(os.environ["DRAGOMAN_DATA_DIR"], xdist_worker)
os.environ.setdefault("CACHE_URL", "locmemcache://")
# Tests sign people in with force_login, which opens no second factor: the digital team's
# requirement is proved on its own in tests/communities/test_middleware.py.
os.environ.setdefault("DRAGOMAN_MFA_REQUIRED_GROUPS", "")
# Counting served pages (dragoman/evaluation) is switched on by the tests that check it
# (tests/evaluation/conftest.py), so that no other test's query count includes a flush.
os.environ.setdefault("DRAGOMAN_COUNTING", "false")
os.makedirs(os.path.join(os.environ["DRAGOMAN_DATA_DIR"], "static"), exist_ok=True)


def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove the run's data folder when the run ends: in the process that made it, after
    its xdist workers (and their folders inside it) have finished."""
    if _made_data_dir is not None:
        shutil.rmtree(_made_data_dir, ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing() -> Iterator[None]:
    """Passwords hashed with MD5 in tests: Django's PBKDF2 takes about half a second a hash
    on purpose, and the suite creates and signs in users hundreds of times. No test is about
    the hash itself; the servers started in subprocesses keep the real hasher."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _empty_caches() -> None:
    """Each test starts with empty caches: a page stored by one test never answers another."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    from dragoman.publishing.pagecache import SITE, bump, local_forget

    for alias in caches:
        if isinstance(caches[alias], LocMemCache):
            caches[alias].clear()
    # A shared cache (CACHE_URL=redis://... in the environment) is never flushed: making every
    # stored page stale is enough.
    bump([SITE])
    local_forget()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts and ends in the site's default language.

    A request under /fr/ activates French for the rest of the thread (LocaleMiddleware does
    not switch back); without this, addresses built by later tests (`page.url`) would carry
    the /fr/ prefix.
    """
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()
