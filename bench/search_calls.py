"""The search page's Python work on a seeded network: calls and CPU per page, steady state.

    python -m bench.search_calls --data-dir DIR [--database-url URL] --queries 60

on a network `dragoman seed` made (its data folder, and its database unless SQLite), with
bench/scale.py's settings for its searches: production, page cache off.

Two random words of a random indexed entry's body make each query (as bench/scale.py's
searches), five pages first to warm the process, then each query twice through Django's test
client for the CPU (median, mean, p95: this process only, so an in-process SQLite's
statements count too), then once more under cProfile for the Python calls a page makes and
the share of them in each template (exclusive of the templates it includes). Asserts nothing.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import os
import pstats
import random
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from bench.scale import network_env, static_ready


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True, help="the network's")
    parser.add_argument("--database-url", default="", help="the network's (empty: SQLite)")
    parser.add_argument("--queries", type=int, default=60)
    arguments = parser.parse_args()
    static_ready(arguments.data_dir, arguments.database_url)
    os.environ.update(
        network_env(
            arguments.data_dir,
            arguments.database_url,
            DRAGOMAN_PAGE_CACHE="false",
            CACHE_URL="locmemcache://",
        )
    )
    if not arguments.database_url:
        os.environ.pop("DATABASE_URL", None)

    import django

    django.setup()
    from django.template import base
    from django.test import Client

    from dragoman.search.models import EntryDocument

    rng = random.Random(1)
    client = Client()
    documents = EntryDocument.objects.order_by("entry_id").values_list("entry_id", flat=True)
    low, high = documents.first(), documents.reverse().first()
    queries: list[str] = []
    while len(queries) < arguments.queries:
        body = (
            EntryDocument.objects.filter(entry_id__gte=rng.randint(low, high))
            .order_by("entry_id")
            .values_list("body", flat=True)
            .first()
        )
        words = re.findall(r"[A-Za-z]{5,}", body or "")
        if len(words) >= 2:
            queries.append(" ".join(rng.sample(words, 2)))

    def search(words: str) -> None:
        client.get("/search/", {"q": words}, HTTP_HOST="127.0.0.1")

    for words in queries[:5]:
        search(words)
    cpu = []
    for _round in range(2):
        for words in queries:
            started = time.process_time()
            search(words)
            cpu.append((time.process_time() - started) * 1000)
    cpu.sort()
    print(
        f"CPU per page: median {statistics.median(cpu):.1f} ms, mean {statistics.mean(cpu):.1f}"
        f" ms, p95 {cpu[int(len(cpu) * 0.95) - 1]:.1f} ms"
    )

    profile = cProfile.Profile()
    profile.enable()
    for words in queries:
        search(words)
    profile.disable()
    print(f"Python calls per page: {pstats.Stats(profile).total_calls / len(queries):.0f}")

    # Calls by template, each counted in the innermost template rendering at the time.
    calls: collections.Counter[str] = collections.Counter()
    rendering = ["(no template: the view, the engine, the middleware)"]
    render = base.Template._render

    def counted_render(template: Any, context: Any) -> Any:
        rendering.append(str(template.origin.template_name))
        try:
            return render(template, context)
        finally:
            rendering.pop()

    def count(_frame: Any, event: str, _argument: Any) -> None:
        if event in ("call", "c_call"):
            calls[rendering[-1]] += 1

    base.Template._render = counted_render  # type: ignore[method-assign]
    sys.setprofile(count)
    for words in queries:
        search(words)
    sys.setprofile(None)
    base.Template._render = render  # type: ignore[method-assign]
    for name, number in calls.most_common():
        print(f"  {name:55} {number / len(queries):7.0f}")


if __name__ == "__main__":
    main()
