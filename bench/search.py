"""Search latency on SQLite FTS5 at 1,000, 10,000 and 100,000 entries: `make bench-search`.

    python -m bench.search --sizes 1000 10000 100000              # the whole page and the engine
    python -m bench.search --sizes 1000 10000 100000 --synthetic  # index rows only: the engine
    python -m bench.search --sizes 100000 --data-dir var/bench-search/100000  # kept between runs

A kept --data-dir grows only what it lacks: a copy of a network `make bench` seeded
(var/bench/100000/dragoman.sqlite3) has its live entries indexed and given prose, not seeded
again; a second run on it times the same queries (their generator is seeded per size).

At each size the network grows to that many entries (`dragoman seed`, then indexed as
publishing indexes them), and two sets of 200 two-word queries with one filter each
(language, blog, year or tag, in turn) are timed:

- ordinary: the words skip the corpus's 100 most frequent words (its stop words), as readers
  search for content words rather than "the" or "of";
- stop-word: the words may be stop words too, so one query can match most of the network.

The words come from random indexed entries, so every query finds something. Each query is
timed through the search engine (the matches ranked, one page of ten with highlights, the
total and every facet) and as the whole page (/search/ through Django's test client: the
form, the engine, entries loaded, facets and filters rendered). Prints median and p95 of
both sets side by side at each size, and how each grows from the smallest size to the
largest; asserts nothing. The load average before and after tells what else was running;
the page's processor time (this process only) what it costs when it has a core to itself.

The seed writes ten stock sentences, so each of its words is either in most entries or in
one. The index text (title, summary, body) is therefore replaced with prose whose words
follow a Zipf distribution over a 20,000-word vocabulary: a 7-word title, a 25-word summary
and a 200-word body. Everything else indexed (blog, mission, language, date, tags, authors)
is the seeded entry's own. --synthetic skips the entries and writes such index rows for
40 blogs directly: much faster to build, but there is no page to time.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

QUERIES = 200
WARM_UP = 20
# Readers search for content words, not for "the" or "of": ordinary query words skip the
# corpus's most frequent words, as many as a language's stop word list.
STOP_WORDS = 100
BATCH = 5000
INDEX_BATCH = 500
LANGUAGES = ["en"] * 6 + ["fr", "es", "ar", "fa", "ru", "de"]
SYLLABLES = [
    "ba", "ko", "ri", "sta", "men", "lo", "dra", "vi", "ne", "sul", "tor", "an", "gu",
    "pe", "chi", "ma", "tel", "ro", "di", "plo", "sa", "ke", "zu", "fo", "li", "ter",
]  # fmt: skip
TITLE_WORDS, SUMMARY_WORDS, BODY_WORDS = 7, 25, 200
QUERY_SETS = ("ordinary", "stop-word")

Query = tuple[str, dict[str, str]]


def setup_django(data_dir: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "dragoman.settings"
    os.environ["DRAGOMAN_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("CACHE_URL", "locmemcache://")
    os.environ.setdefault("DRAGOMAN_LOG_LEVEL", "WARNING")
    os.environ.pop("OPENSEARCH_URL", None)
    (data_dir / "static").mkdir(parents=True, exist_ok=True)
    import django

    django.setup()


def vocabulary(rng: random.Random, size: int = 20_000) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


class Prose:
    """Titles, summaries and bodies whose words follow a Zipf distribution."""

    def __init__(self, rng: random.Random, words: list[str]) -> None:
        self.rng = rng
        self.words = words
        self.weights = [1 / rank for rank in range(1, len(words) + 1)]

    def texts(self) -> tuple[str, str, str]:
        text = self.rng.choices(
            self.words, self.weights, k=TITLE_WORDS + SUMMARY_WORDS + BODY_WORDS
        )
        summary_end = TITLE_WORDS + SUMMARY_WORDS
        return (
            " ".join(text[:TITLE_WORDS]),
            " ".join(text[TITLE_WORDS:summary_end]),
            " ".join(text[summary_end:]),
        )


def add_synthetic(start: int, count: int, rng: random.Random, prose: Prose) -> None:
    """Index rows for entries start+1 .. start+count, written as reindex writes them."""
    from django.db import connection, transaction

    from dragoman.search.engines.sqlite import document_filter_words

    tags = [f"topic-{number}" for number in range(100)]
    now = datetime.now(UTC)
    for first in range(start + 1, start + count + 1, BATCH):
        last = min(first + BATCH, start + count + 1)
        documents, tag_rows, author_rows = [], [], []
        for entry_id in range(first, last):
            title, summary, body = prose.texts()
            date = now - timedelta(days=rng.randint(1, 3650), seconds=rng.randint(0, 86_400))
            entry_tags = rng.sample(tags, rng.randint(1, 4))
            language = rng.choice(LANGUAGES)
            blog, blogger = 1 + entry_id % 40, 1 + entry_id % 80
            words = document_filter_words(
                language=language, year=date.year, blog_id=blog, mission_id=blog,
                country_code="TL", tag_slugs=entry_tags, blogger_ids=[blogger],
            )  # fmt: skip
            documents.append(
                (
                    entry_id, blog, blog, "TL", language, date, date.year, title, summary, body,
                    " ".join(entry_tags), f"Blogger {entry_id % 80}", "simple",
                    " ".join(entry_tags), words,
                )
            )  # fmt: skip
            tag_rows += [(entry_id, slug, slug) for slug in entry_tags]
            author_rows.append((entry_id, blogger))
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_entrydocument (entry_id, blog_id, mission_id, country_code,"
                " language, date, year, title, summary, body, tags, authors, text_config, tag_slugs,"
                " filter_words) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                documents,
            )
            cursor.executemany(
                "INSERT INTO search_indexedtag (document_id, slug, name) VALUES (%s, %s, %s)",
                tag_rows,
            )
            cursor.executemany(
                "INSERT INTO search_indexedauthor (document_id, blogger_id) VALUES (%s, %s)",
                author_rows,
            )


def add_seeded(count: int, random_seed: int, prose: Prose) -> int:
    """`count` more live entries (none: only those already there), then every live entry
    not yet indexed indexed as publishing indexes it and given Zipf prose; how many."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from dragoman.search.models import EntryDocument
    from dragoman.search.services import entries_index, indexable_entries

    if count > 0:
        call_command(
            "seed", entries=count, random_seed=random_seed, no_progress=True, stdout=io.StringIO()
        )
    indexed = set(EntryDocument.objects.values_list("pk", flat=True))
    new = [
        pk
        for pk in indexable_entries().order_by("pk").values_list("pk", flat=True)
        if pk not in indexed
    ]
    for start in range(0, len(new), INDEX_BATCH):
        batch = new[start : start + INDEX_BATCH]
        entries_index(entry_ids=batch)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE search_entrydocument SET title = %s, summary = %s, body = %s"
                " WHERE entry_id = %s",
                [(*prose.texts(), pk) for pk in batch],
            )
    return len(new)


def frequent_words(rng: random.Random, ids: list[int], count: int = STOP_WORDS) -> set[str]:
    """The most frequent words of titles and summaries: the stop words of this corpus."""
    from collections import Counter

    from dragoman.search.models import EntryDocument

    sample = rng.sample(ids, min(2000, len(ids)))
    counts: Counter[str] = Counter()
    for title, summary in EntryDocument.objects.filter(pk__in=sample).values_list(
        "title", "summary"
    ):
        counts.update(f"{title} {summary}".casefold().split())
    return {word for word, _count in counts.most_common(count)}


def sample_queries(rng: random.Random, skipped: set[str]) -> list[Query]:
    """Two words of a random entry's title and summary, and one filter that entry passes."""
    from dragoman.blogs.models import BlogPage
    from dragoman.search.models import EntryDocument, IndexedTag

    ids = list(EntryDocument.objects.values_list("pk", flat=True))
    chosen = EntryDocument.objects.in_bulk(rng.sample(ids, min(QUERIES + WARM_UP, len(ids))))
    blog_slugs = dict(BlogPage.objects.values_list("pk", "slug"))
    queries = []
    for number, document in enumerate(chosen.values()):
        words = sorted(
            {
                word
                for word in f"{document.title} {document.summary}".casefold().split()
                if len(word) > 3 and word not in skipped
            }
        )
        pair = rng.sample(words, 2) if len(words) > 1 else words[:1] * 2
        kind = ("language", "blog", "year", "tag")[number % 4]
        if kind == "language":
            value = document.language
        elif kind == "blog":
            value = blog_slugs.get(document.blog_id, str(document.blog_id))
        elif kind == "year":
            value = str(document.year)
        else:
            tag = IndexedTag.objects.filter(document_id=document.pk).first()
            kind, value = ("tag", tag.slug) if tag else ("year", str(document.year))
        queries.append((" ".join(pair), {kind: value}))
    return queries


def engine_filters(filters: dict[str, str]) -> Any:
    from dragoman.blogs.models import BlogPage
    from dragoman.search.engines import SearchFilters

    name, value = next(iter(filters.items()))
    if name == "blog":
        page = BlogPage.objects.filter(slug=value).values_list("pk", flat=True).first()
        return SearchFilters(blog_id=page if page is not None else int(value))
    if name == "year":
        return SearchFilters(year=int(value))
    if name == "tag":
        return SearchFilters(tag=value)
    return SearchFilters(language=value)


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def time_engine(queries: list[Query]) -> tuple[list[float], float]:
    from dragoman.search.engines import SearchRequest, get_engine
    from dragoman.search.parsing import parse_query

    engine = get_engine()
    prepared = [(parse_query(text), engine_filters(filters)) for text, filters in queries]
    timings, found = [], 0
    for number, (query, filters) in enumerate(prepared):
        started = time.perf_counter()
        results = engine.search(SearchRequest(query=query, filters=filters))
        elapsed = (time.perf_counter() - started) * 1000
        if number >= WARM_UP:
            timings.append(elapsed)
            found += results.total
    return timings, found / max(1, len(timings))


def time_pages(queries: list[Query]) -> tuple[list[float], list[float]]:
    """Each page's time, and the processor time this process spent on it: on a machine
    shared with other work the second shows what the page costs when it has a core."""
    from django.test import Client

    client = Client()
    timings, processor = [], []
    for number, (text, filters) in enumerate(queries):
        started, started_processor = time.perf_counter(), time.process_time()
        response = client.get("/search/", {"q": text, **filters}, HTTP_HOST="127.0.0.1")
        elapsed = (time.perf_counter() - started) * 1000
        used = (time.process_time() - started_processor) * 1000
        assert response.status_code == 200, (text, filters, response.status_code)
        if number >= WARM_UP:
            timings.append(elapsed)
            processor.append(used)
    return timings, processor


@dataclass
class Measured:
    engine: list[float]
    pages: list[float]
    pages_processor: list[float]
    found: float


def figures(values: list[float]) -> str:
    if not values:
        return "– | –"
    return f"{statistics.median(values):.1f} | {percentile(values, 0.95):.1f}"


def growth(first: list[float], last: list[float]) -> str:
    if not first or not last:
        return "–"
    return f"×{percentile(last, 0.95) / percentile(first, 0.95):.1f}"


def report(rows: list[tuple[int, dict[str, Measured]]]) -> None:
    heads = [f"{name} {what} {figure}" for name in QUERY_SETS for what in ("engine", "page")
             for figure in ("median ms", "p95 ms")]  # fmt: skip
    print(f"\n| entries | {' | '.join(heads)} | results per query, {' / '.join(QUERY_SETS)} |")
    print(f"| ---: |{' ---: |' * len(heads)} ---: |")
    for size, sets in rows:
        cells = [
            figures(sets[name].engine) + " | " + figures(sets[name].pages) for name in QUERY_SETS
        ]
        found = " / ".join(f"{sets[name].found:,.0f}" for name in QUERY_SETS)
        print(f"| {size:,} | {' | '.join(cells)} | {found} |")
    if any(sets[name].pages for _size, sets in rows for name in QUERY_SETS):
        print("\nWhole page, processor time of this process only (no waiting for a core):")
        heads = [f"{name} page {figure}" for name in QUERY_SETS for figure in ("median", "p95")]
        print(f"| entries | {' | '.join(heads)} |")
        print(f"| ---: |{' ---: |' * len(heads)}")
        for size, sets in rows:
            cells = [figures(sets[name].pages_processor) for name in QUERY_SETS]
            print(f"| {size:,} | {' | '.join(cells)} |")
    if len(rows) > 1:
        (small, first), (large, last) = rows[0], rows[-1]
        heads = [f"{name} {what}" for name in QUERY_SETS for what in ("engine", "page")]
        cells = [
            growth(getattr(first[name], what), getattr(last[name], what))
            for name in QUERY_SETS
            for what in ("engine", "pages")
        ]
        print(f"\np95 growth from {small:,} to {large:,} entries (×{large / small:,.0f} entries):")
        print(f"| {' | '.join(heads)} |")
        print(f"|{' ---: |' * len(heads)}")
        print(f"| {' | '.join(cells)} |")
    print("\nTarget: whole page p95 under 50 ms at 100,000 entries (two words, one filter).")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument(
        "--synthetic", action="store_true", help="Index rows only: the engine, no page."
    )
    # Seeded entries are the default now; the flag stays for older command lines.
    parser.add_argument("--seed", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="Kept between runs (default: a temporary folder); may hold a copy of a network"
        " `make bench` seeded, whose entries are then indexed, not seeded again.",
    )
    parser.add_argument("--random-seed", type=int, default=8)
    args = parser.parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="dragoman-bench-search-"))
    setup_django(data_dir)

    from django.core.management import call_command
    from django.db import connection

    from dragoman.search.engines import get_engine
    from dragoman.search.models import EntryDocument
    from dragoman.search.services import indexable_entries

    call_command("migrate", interactive=False, verbosity=0)
    if connection.vendor != "sqlite":
        sys.exit("This benchmark measures SQLite FTS5: unset DATABASE_URL.")
    rng = random.Random(args.random_seed)
    prose = Prose(rng, vocabulary(rng))
    load = os.getloadavg()
    print(
        f"Search latency, SQLite {__import__('sqlite3').sqlite_version} FTS5, "
        f"{os.cpu_count()} cores (load average {load[0]:.1f} at start), "
        f"{'synthetic index rows' if args.synthetic else 'seeded entries'}; "
        f"{QUERIES} two-word queries with one filter each, ordinary (stop words skipped) "
        "and stop-word (stop words allowed): page of 10 + total + 4 facets."
    )
    rows: list[tuple[int, dict[str, Measured]]] = []
    for size in sorted(args.sizes):
        # Seeded: the live entries, so that a copy of a network `make bench` seeded (in
        # var/bench/) is indexed rather than seeded again.
        have = (EntryDocument.objects if args.synthetic else indexable_entries()).count()
        started = time.perf_counter()
        if args.synthetic and size > have:
            add_synthetic(have, size - have, rng, prose)
            get_engine().rebuild()
        elif not args.synthetic and add_seeded(size - have, args.random_seed + size, prose):
            get_engine().rebuild()
        build = time.perf_counter() - started
        ids = list(EntryDocument.objects.values_list("pk", flat=True))
        # Queries of their own generator: a run on a kept --data-dir, which grows nothing,
        # times the same queries as the run that grew it.
        sampling = random.Random(args.random_seed + size)
        stop_words = frequent_words(sampling, ids)
        query_sets = {
            "ordinary": sample_queries(sampling, stop_words),
            "stop-word": sample_queries(sampling, set()),
        }
        sets = {}
        for name, queries in query_sets.items():
            timings, found = time_engine(queries)
            pages, processor = ([], []) if args.synthetic else time_pages(queries)
            sets[name] = Measured(timings, pages, processor, found)
        rows.append((size, sets))
        print(f"  {size:>7,} entries, index grown in {build:.0f} s:")
        for name, measured in sets.items():
            print(
                f"    {name:<9} engine median {statistics.median(measured.engine):6.1f} ms,"
                f" p95 {percentile(measured.engine, 0.95):6.1f} ms,"
                f" max {max(measured.engine):6.1f} ms"
                + (
                    f"; whole page median {statistics.median(measured.pages):6.1f} ms,"
                    f" p95 {percentile(measured.pages, 0.95):6.1f} ms,"
                    f" max {max(measured.pages):6.1f} ms"
                    f" (processor p95 {percentile(measured.pages_processor, 0.95):6.1f} ms)"
                    if measured.pages
                    else ""
                )
                + f"; {measured.found:,.0f} results on average"
            )
    report(rows)
    load = os.getloadavg()
    print(f"Load average at the end: {load[0]:.1f} (1 min), {load[1]:.1f} (5 min).")


if __name__ == "__main__":
    main()
