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


def test_a_large_folder_is_counted_once_in_a_hundredth_of_its_size_and_still_culled(tmp_path):
    cache = file_cache(tmp_path, max_entries=1000)
    for number in range(1001):
        cache.set(f"page:{number}", number)
    # Django's own cache would have counted 1,000 files at the last write and culled half.
    assert files_in(tmp_path) == 1001
    for number in range(11):
        cache.set(f"more:{number}", number)
    assert files_in(tmp_path) < 1000
    assert cache.get("more:10") == 10


def test_the_default_file_cache_holds_the_pages_of_a_network_not_300(tmp_path):
    script = "from django.conf import settings; print(settings.CACHES['default']['OPTIONS'])"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "dragoman.settings"}
    env.pop("CACHE_URL", None)
    env["DRAGOMAN_DATA_DIR"] = str(tmp_path)
    options = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert options == "{'MAX_ENTRIES': 10000}"
    env["CACHE_URL"] = f"filecache://{tmp_path}?max_entries=500"
    options = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert options == "{'MAX_ENTRIES': 500}"
