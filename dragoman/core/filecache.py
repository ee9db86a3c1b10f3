"""Django's file cache, counting its files once per hundredth of MAX_ENTRIES writes.

Django's `FileBasedCache.set` lists the whole cache folder before every write, to cull it
when it holds more than MAX_ENTRIES files. That cost grows with the folder (60 ms a write at
20,000 files here), which is why Django's default keeps only 300 entries: a page cache
holding 300 pages of a network of thousands. Here:
- a `set_many` lists the folder once and then writes its keys (the page cache marks pages
  stale by writing one key per page concerned, `pagecache.bump`: a batch of imported entries
  names hundreds, and listing the folder for each was 14 % of an import's time);
- each process lists the folder at one write in every MAX_ENTRIES / 100, so the folder may
  pass MAX_ENTRIES by about 1 % per writing process (and by one batch's keys) before it is
  culled, and a large MAX_ENTRIES costs a write nothing more. settings.py sets 10,000.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from typing import IO, TYPE_CHECKING, Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.files.move import file_move_safe

# Writes left before this process counts each folder's files again.
_writes_until_count: dict[str, int] = {}


class FileCache(FileBasedCache):
    if TYPE_CHECKING:  # Django's own, which its type stubs leave out
        _dir: str
        _max_entries: int

        def _createdir(self) -> None: ...
        def _key_to_file(self, key: str, version: Any = None) -> str: ...
        def _write_content(self, file: IO[bytes], timeout: Any, value: Any) -> None: ...

    def set_many(
        self, data: Mapping[str, Any], timeout: float | None = DEFAULT_TIMEOUT, version: Any = None
    ) -> list[str]:
        self._createdir()  # the folder can be deleted at any time
        self._cull(writes=len(data))
        for key, value in data.items():
            self._write(self._key_to_file(key, version), value, timeout)
        return []

    def _cull(self, writes: int = 1) -> None:
        left = _writes_until_count.get(self._dir, 0)
        if left >= writes:
            _writes_until_count[self._dir] = left - writes
            return
        _writes_until_count[self._dir] = self._max_entries // 100
        super()._cull()  # type: ignore[misc]  # Django's own, left out of its type stubs

    def _write(self, fname: str, value: Any, timeout: float | None) -> None:
        # As FileBasedCache.set writes: a temporary file moved into place, so that a reader
        # never sees half a value.
        fd, tmp_path = tempfile.mkstemp(dir=self._dir)
        renamed = False
        try:
            with open(fd, "wb") as f:
                self._write_content(f, timeout, value)
            file_move_safe(tmp_path, fname, allow_overwrite=True)
            renamed = True
        finally:
            if not renamed:
                os.remove(tmp_path)
