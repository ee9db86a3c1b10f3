"""Wagtail's cache of image renditions, without writing back what it has just read.

Wagtail (8.0.1) looks renditions up in the cache named "renditions" and then writes every one
it found back to that cache, on every render: a figure's nine on each entry page, each a file
written under the file cache. Only renditions from a prefetch are flagged as already held
(`_from_cache`); upstream has since flagged cache hits too (wagtail/wagtail#14541, not yet in
a release). This cache stands for the default one under the name Wagtail reads, flags what it
returns, and skips writes of what is flagged, so a rendition is written once, when it is made
or first missed. Remove it once the fix is released.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache


def _held(value: Any) -> bool:
    return bool(getattr(value, "_from_cache", False))


def _flagged(value: Any) -> Any:
    if value is not None:
        with contextlib.suppress(AttributeError):  # not a rendition: nothing to flag
            value._from_cache = True
    return value


class RenditionsCache(BaseCache):
    """The cache named by LOCATION (an alias of `CACHES`, "default"), as Wagtail should use it."""

    def __init__(self, location: str, params: dict[str, Any]) -> None:
        super().__init__(params)
        self.alias = location or "default"

    @property
    def store(self) -> BaseCache:
        return caches[self.alias]

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return _flagged(self.store.get(key, default, version=version))

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        return {k: _flagged(v) for k, v in self.store.get_many(keys, version=version).items()}

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        if not _held(value):
            self.store.set(key, value, timeout=timeout, version=version)

    def set_many(
        self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[Any]:
        fresh = {key: value for key, value in data.items() if not _held(value)}
        return self.store.set_many(fresh, timeout=timeout, version=version) if fresh else []

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        return bool(self.store.add(key, value, timeout=timeout, version=version))

    def delete(self, key: Any, version: int | None = None) -> bool:
        return bool(self.store.delete(key, version=version))

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        self.store.delete_many(keys, version=version)

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return bool(self.store.has_key(key, version=version))

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return bool(self.store.touch(key, timeout=timeout, version=version))

    def clear(self) -> None:
        self.store.clear()
