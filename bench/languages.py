"""What the language switcher and the hreflang links cost on every page, in-process.

`python -m bench.languages` prints the median time to build both (six interface languages)
for a page that is not an entry, as part of every page's render; an entry's versions come from
one query, counted by the render benchmark (bench/render.py). Figures only: nothing is asserted.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dragoman.settings")
    os.environ.setdefault("DRAGOMAN_DATA_DIR", tempfile.mkdtemp(prefix="dragoman-bench-"))
    os.environ.setdefault("CACHE_URL", "locmemcache://")
    import django

    django.setup()
    from django.template import Context
    from django.test import RequestFactory
    from django.urls import resolve
    from django.utils import translation

    from dragoman.core.templatetags import languages as tags

    factory = RequestFactory()
    for language, path in (
        ("en", "/tags/"),
        ("ar", "/ar/archive/2025/03/"),
        ("fa", "/fa/blogs/x/"),
    ):
        timings = []
        for _ in range(2000):
            request = factory.get(path)
            started = time.perf_counter()
            request.resolver_match = resolve(path)
            with translation.override(language):
                context = Context({"request": request})
                tags.language_switcher(context)
                tags.language_alternates(context)
            timings.append((time.perf_counter() - started) * 1e6)
        print(
            f"{path:28} switcher + hreflang: {statistics.median(timings):6.0f} µs (median of 2000)"
        )


if __name__ == "__main__":
    main()
