"""Remember costly parts of pages (tag clouds, archive months) until what they show changes.

They use the page cache's dependencies: a remembered value is kept with the version token
of each dependency it was computed from, and recomputed once any of them is bumped. The
aggregates behind them read every entry, so without this a page's render time would grow
with the network; with it, it grows only on the first render after a change.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.conf import settings

from . import pagecache

T = TypeVar("T")


def remember(name: str, dependencies: list[str], compute: Callable[[], T]) -> T:
    """The value computed by `compute`, reused while its dependencies are unchanged.

    The value is shared through the page cache's store; this process also holds its own copy
    while the shared epoch is unchanged (as it does pages), so a remembered value usually
    costs a dictionary lookup rather than a read and an unpickling.
    """
    key = "dragoman:pc:f:" + hashlib.blake2b(name.encode(), digest_size=16).hexdigest()
    held = pagecache.local_fragments()
    epoch = pagecache.current_epoch()
    found_here = held.get(key)
    if found_here is not None and found_here[0] == epoch:
        return found_here[1]  # type: ignore[no-any-return]
    store = pagecache.cache()
    found = store.get(key)
    if found is not None:
        versions, value = found
        tokens = store.get_many([pagecache.version_key(dep) for dep in versions])
        if all(tokens.get(pagecache.version_key(dep)) == tok for dep, tok in versions.items()):
            held[key] = (epoch, value)
            return value  # type: ignore[no-any-return]
    # Versions first: a change during the computation makes this value stale at once.
    versions = pagecache.versions_of(dependencies)
    value = compute()
    store.set(key, (versions, value), timeout=settings.DRAGOMAN_PAGE_CACHE_TIMEOUT)
    held[key] = (epoch, value)
    return value


def remembered(
    dependencies: Callable[..., Iterable[Any]],
) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Decorate a keyword-only query: its result is remembered per arguments.

    `dependencies` receives the same keyword arguments and names what the result shows
    (``Dependency`` values, or their text).
    Arguments with a primary key (a blog) are keyed by it.
    """

    def decorate(function: Callable[..., T]) -> Callable[..., T]:
        @functools.wraps(function)
        def wrapper(**kwargs: Any) -> T:
            if not settings.DRAGOMAN_FRAGMENT_CACHE:
                return function(**kwargs)
            parts = [function.__module__, function.__qualname__]
            for name, value in sorted(kwargs.items()):
                parts.append(f"{name}={getattr(value, 'pk', value)!r}")
            shows = [str(dependency) for dependency in dependencies(**kwargs)]
            return remember("|".join(parts), shows, lambda: function(**kwargs))

        return wrapper

    return decorate
