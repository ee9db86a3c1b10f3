"""Django's file cache, making room once per `set_many` instead of once per key.

Django's `FileBasedCache.set` lists the whole cache folder before every write, to cull it
when it holds more than MAX_ENTRIES files. The page cache marks pages stale by writing one
key per page concerned (`pagecache.bump`): a batch of imported entries names hundreds, and
listing the folder for each was 14 % of an import's time. Here a `set_many` lists the folder
once and then writes its keys; the folder may pass MAX_ENTRIES by one batch's keys until the
next write culls it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from typing import IO, TYPE_CHECKING, Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.files.move import file_move_safe


class FileCache(FileBasedCache):
    if TYPE_CHECKING:  # Django's own, which its type stubs leave out
        _dir: str

        def _createdir(self) -> None: ...
        def _cull(self) -> None: ...
        def _key_to_file(self, key: str, version: Any = None) -> str: ...
        def _write_content(self, file: IO[bytes], timeout: Any, value: Any) -> None: ...

    def set_many(
        self, data: Mapping[str, Any], timeout: float | None = DEFAULT_TIMEOUT, version: Any = None
    ) -> list[str]:
        self._createdir()  # the folder can be deleted at any time
        self._cull()
        for key, value in data.items():
            self._write(self._key_to_file(key, version), value, timeout)
        return []

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
