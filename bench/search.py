"""Search latency on SQLite FTS5 at 1,000, 10,000 and 100,000 entries: `make bench-search`.

    python -m bench.search --sizes 1000 10000 100000            # synthetic index rows (fast)
    python -m bench.search --sizes 1000 10000 --seed            # real entries: dragoman seed + reindex

For each size the index grows to that many entries, then 200 two-word queries with one filter
(language, blog, year or tag, in turn) are timed through the search engine: the matching
entries ranked, one page of ten with highlights, the total and every facet (blog, tag,
language, year). The words come from random indexed entries, so every query finds something; they skip the
corpus's 100 most frequent words (its stop words) unless --stop-words is given.
With --seed the whole page (/search/ through Django's test client, entries loaded and
rendered) is timed too. Prints median and p95 and how they grow; asserts nothing.

Synthetic rows are what `dragoman reindex` would write for entries of a 7-word title, a
25-word summary, a 200-word body, 1 to 4 tags and one author, over 40 blogs and ten years;
words follow a Zipf distribution over a 20,000-word vocabulary.
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
from datetime import UTC, datetime, timedelta
from pathlib import Path

QUERIES = 200
WARM_UP = 20
# Readers search for content words, not for "the" or "of": query words skip the corpus's most
# frequent words, as many as a language's stop word list (--stop-words keeps them).
STOP_WORDS = 100
BATCH = 5000
LANGUAGES = ["en"] * 6 + ["fr", "es", "ar", "fa", "ru", "de"]
SYLLABLES = [
    "ba", "ko", "ri", "sta", "men", "lo", "dra", "vi", "ne", "sul", "tor", "an", "gu",
    "pe", "chi", "ma", "tel", "ro", "di", "plo", "sa", "ke", "zu", "fo", "li", "ter",
]  # fmt: skip


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


def add_synthetic(start: int, count: int, rng: random.Random, words: list[str]) -> None:
    """Index rows for entries start+1 .. start+count, written as reindex writes them."""
    from django.db import connection, transaction

    weights = [1 / rank for rank in range(1, len(words) + 1)]
    tags = [f"topic-{number}" for number in range(100)]
    now = datetime.now(UTC)
    for first in range(start + 1, start + count + 1, BATCH):
        last = min(first + BATCH, start + count + 1)
        documents, tag_rows, author_rows = [], [], []
        for entry_id in range(first, last):
            text = rng.choices(words, weights, k=232)
            date = now - timedelta(days=rng.randint(1, 3650), seconds=rng.randint(0, 86_400))
            entry_tags = rng.sample(tags, rng.randint(1, 4))
            language = rng.choice(LANGUAGES)
            documents.append(
                (
                    entry_id, 1 + entry_id % 40, 1 + entry_id % 40, "TL", language, date,
                    date.year, " ".join(text[:7]), " ".join(text[7:32]), " ".join(text[32:]),
                    " ".join(entry_tags), f"Blogger {entry_id % 80}", "simple", " ".join(entry_tags),
                )
            )  # fmt: skip
            tag_rows += [(entry_id, slug, slug) for slug in entry_tags]
            author_rows.append((entry_id, 1 + entry_id % 80))
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_entrydocument (entry_id, blog_id, mission_id, country_code,"
                " language, date, year, title, summary, body, tags, authors, text_config, tag_slugs)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
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


def sample_queries(rng: random.Random, stop_words: bool) -> list[tuple[str, dict[str, str]]]:
    """Two words of a random entry's title and summary, and one filter that entry passes."""
    from dragoman.search.models import EntryDocument, IndexedTag

    ids = list(EntryDocument.objects.values_list("pk", flat=True))
    skipped = set() if stop_words else frequent_words(rng, ids)
    chosen = EntryDocument.objects.in_bulk(rng.sample(ids, min(QUERIES + WARM_UP, len(ids))))
    blog_slugs = dict(
        __import__("dragoman.blogs.models", fromlist=["BlogPage"]).BlogPage.objects.values_list(
            "pk", "slug"
        )
    )
    queries = []
    for number, document in enumerate(chosen.values()):
        words = [
            word
            for word in f"{document.title} {document.summary}".casefold().split()
            if len(word) > 3 and word not in skipped
        ]
        pair = rng.sample(sorted(set(words)), 2) if len(set(words)) > 1 else words[:1] * 2
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


def engine_filters(filters: dict[str, str]):  # type: ignore[no-untyped-def]
    from dragoman.search.engines import SearchFilters

    name, value = next(iter(filters.items()))
    if name == "blog":
        from dragoman.blogs.models import BlogPage

        page = BlogPage.objects.filter(slug=value).values_list("pk", flat=True).first()
        return SearchFilters(blog_id=page if page is not None else int(value))
    if name == "year":
        return SearchFilters(year=int(value))
    if name == "tag":
        return SearchFilters(tag=value)
    return SearchFilters(language=value)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def time_engine(queries: list[tuple[str, dict[str, str]]]) -> tuple[list[float], float]:
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


def time_pages(queries: list[tuple[str, dict[str, str]]]) -> list[float]:
    from django.test import Client

    client = Client()
    timings = []
    for number, (text, filters) in enumerate(queries):
        started = time.perf_counter()
        response = client.get("/search/", {"q": text, **filters}, HTTP_HOST="127.0.0.1")
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (text, filters, response.status_code)
        if number >= WARM_UP:
            timings.append(elapsed)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--seed", action="store_true", help="Real entries (dragoman seed).")
    parser.add_argument("--data-dir", type=Path, default=None, help="Kept; default temporary.")
    parser.add_argument("--random-seed", type=int, default=8)
    parser.add_argument(
        "--stop-words", action="store_true", help="Let queries use the most frequent words too."
    )
    args = parser.parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="dragoman-bench-search-"))
    setup_django(data_dir)

    from django.core.management import call_command
    from django.db import connection

    from dragoman.search.models import EntryDocument

    call_command("migrate", interactive=False, verbosity=0)
    if connection.vendor != "sqlite":
        sys.exit("This benchmark measures SQLite FTS5: unset DATABASE_URL.")
    rng = random.Random(args.random_seed)
    words = vocabulary(rng)
    rows = []
    print(f"Search latency, SQLite {__import__('sqlite3').sqlite_version} FTS5, "
          f"{os.cpu_count()} cores, {'seeded entries' if args.seed else 'synthetic index rows'}; "
          f"{QUERIES} two-word queries with one filter each"
          f"{' (stop words allowed)' if args.stop_words else ' (stop words skipped)'}, "
          "page of 10 + total + 4 facets.")  # fmt: skip
    for size in sorted(args.sizes):
        have = EntryDocument.objects.count()
        started = time.perf_counter()
        if size > have:
            if args.seed:
                call_command("seed", entries=size - have, random_seed=args.random_seed + size,
                             no_progress=True, stdout=io.StringIO())  # fmt: skip
                call_command("reindex", no_progress=True, stdout=io.StringIO())
            else:
                add_synthetic(have, size - have, rng, words)
                from dragoman.search.engines import get_engine

                get_engine().rebuild()
        build = time.perf_counter() - started
        queries = sample_queries(rng, args.stop_words)
        timings, found = time_engine(queries)
        pages = time_pages(queries) if args.seed else []
        rows.append((size, timings, found, pages, build))
        print(
            f"  {size:>7,} entries: engine median {statistics.median(timings):6.1f} ms, "
            f"p95 {percentile(timings, 0.95):6.1f} ms, max {max(timings):6.1f} ms; "
            f"{found:,.0f} results on average; index grown in {build:.0f} s"
            + (
                f"; whole page median {statistics.median(pages):.1f} ms, "
                f"p95 {percentile(pages, 0.95):.1f} ms"
                if pages
                else ""
            )
        )
    print("\n| entries | median ms | p95 ms | p95 growth vs previous | results per query |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    previous = None
    for size, timings, found, _pages, _build in rows:
        p95 = percentile(timings, 0.95)
        growth = f"×{p95 / previous:.1f}" if previous else "–"
        print(
            f"| {size:,} | {statistics.median(timings):.1f} | {p95:.1f} | {growth} | {found:,.0f} |"
        )
        previous = p95
    print("\nTarget: p95 under 50 ms at 100,000 entries (two words, one filter).")


if __name__ == "__main__":
    main()
