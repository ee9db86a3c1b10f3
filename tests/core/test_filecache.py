"""The file cache: `set_many` writes every key and still makes room, once per call."""

import os
import subprocess
import sys
from pathlib import Path

from django.core.cache.backends.filebased import FileBasedCache

from dragoman.core.filecache import FileCache


def file_cache(folder: Path, max_entries: int = 300) -> FileCache:
    return FileCache(str(folder), {"OPTIONS": {"MAX_ENTRIES": max_entries, "CULL_FREQUENCY": 2}})


def files_in(folder: Path) -> int:
    return len(list(folder.glob(f"*{FileBasedCache.cache_suffix}")))


def test_a_filecache_address_gives_this_backend(tmp_path):
    # The tests run on the in-memory cache: the settings are read in a process of their own.
    script = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    env = {
        **os.environ,
        "CACHE_URL": f"filecache://{tmp_path}",
        "DJANGO_SETTINGS_MODULE": "dragoman.settings",
    }
    backend = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert backend == "dragoman.core.filecache.FileCache"


def test_set_many_writes_every_key_readable_by_django_own_file_cache(tmp_path):
    cache = file_cache(tmp_path)
    assert cache.set_many({f"page:{number}": f"token {number}" for number in range(50)}) == []
    theirs = FileBasedCache(str(tmp_path), {})
    assert theirs.get_many([f"page:{number}" for number in range(50)]) == {
        f"page:{number}": f"token {number}" for number in range(50)
    }
    assert not list(tmp_path.glob("tmp*")), "a temporary file was left behind"


def test_set_many_with_a_timeout_lets_values_expire(tmp_path):
    cache = file_cache(tmp_path)
    cache.set_many({"gone": 1}, timeout=-1)
    cache.set_many({"kept": 2}, timeout=None)
    assert cache.get("gone") is None
    assert cache.get("kept") == 2


def test_set_many_makes_room_before_writing_when_the_folder_is_full(tmp_path):
    cache = file_cache(tmp_path, max_entries=20)
    cache.set_many({f"first:{number}": number for number in range(20)})
    assert files_in(tmp_path) == 20
    # Full: half the files go (CULL_FREQUENCY 2), then the batch is written whole.
    cache.set_many({f"second:{number}": number for number in range(15)})
    assert files_in(tmp_path) == 10 + 15
    assert cache.get_many([f"second:{number}" for number in range(15)]) == {
        f"second:{number}": number for number in range(15)
    }
