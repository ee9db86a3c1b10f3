"""How fast `dragoman import-wordpress` reads a large export, and in how much memory:
`python -m bench.import_wxr --entries 10000 --comments 50000` (`make bench-import`).

Writes a WordPress export of that size (entries with paragraphs, a heading, a list, a quote
and an embedded video, tags, threaded comments with official replies) into a temporary
folder, migrates a fresh SQLite network there, then times the import in its own process and
reads that process's peak memory (its maximum resident set). Then it runs the import again
(nothing changed: every entry is skipped) and times that. The import writes entries in
batches (`--batch-size`, the command's default unless given); `--compare-one-by-one` also
imports into a second fresh network with `--batch-size 1` (each entry taking the one path
on its own, as an editor's change does) and prints the ratio. Figures only; the target is under
10 minutes and 500 MB on 2 cores for 10,000 entries and 50,000 comments.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from tests.migration.exports import WxrComment, WxrPost, wxr_write

BIN = Path(sys.executable).parent
TARGET_SECONDS = 600
TARGET_MB = 500

BODY = """The delegation met the minister this morning to talk about {topic}.

We agreed on three things, and disagreed on one, which is how it should be.

<h2>What was agreed</h2>
<ul><li>A working group on {topic}</li><li>A visit in the spring</li><li>Shared data</li></ul>
<blockquote><p>We will meet again before the summer.</p><cite>The minister</cite></blockquote>
[embed]https://www.youtube.com/watch?v=aqz-KE-bpKQ[/embed]

Thank you to everyone who came, and to the interpreters."""

TOPICS = ["water", "trade", "visas", "climate", "culture", "education", "health", "energy"]


def posts(entries: int, comments: int) -> Iterator[WxrPost]:
    per_entry, extra = divmod(comments, entries)
    comment_id = 0
    for number in range(1, entries + 1):
        count = per_entry + (1 if number <= extra else 0)
        thread = []
        for index in range(count):
            comment_id += 1
            # Every fifth comment is the author's reply to the one before it.
            if index % 5 == 4:
                thread.append(
                    WxrComment(
                        id=comment_id,
                        content=f"Thank you for your question {comment_id}.",
                        author="Ana Diplomat",
                        email="ana@example.org",
                        parent=comment_id - 1,
                        user_id=1,
                    )
                )
            else:
                thread.append(
                    WxrComment(
                        id=comment_id,
                        content=f"Comment {comment_id}: a reader's question about the visit?",
                        author=f"Reader {comment_id % 997}",
                        email=f"reader{comment_id % 997}@example.net",
                        approved="1" if index % 7 else "0",
                    )
                )
        topic = TOPICS[number % len(TOPICS)]
        year, month = 2010 + number % 14, 1 + number % 12
        yield WxrPost(
            id=number,
            title=f"Entry {number}: a meeting about {topic}",
            content=BODY.format(topic=topic),
            slug=f"entry-{number}",
            creator="ana" if number % 3 else "ben",
            date=f"{year}-{month:02d}-{1 + number % 28:02d} 10:{number % 60:02d}:00",
            excerpt=f"A meeting about {topic}.",
            tags=[topic, TOPICS[(number + 3) % len(TOPICS)]],
            comments=thread,
        )


def measured(argv: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user and system: what a busy shared machine does not
    inflate) and peak resident memory (MB) of one command."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    output = process.stdout.read().decode() if process.stdout else ""
    if status != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{output}")
    print("\n".join("    " + line for line in output.splitlines()[:3]))
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=50_000)
    parser.add_argument("--batch-size", type=int, default=None, help="default: the command's")
    parser.add_argument(
        "--compare-one-by-one",
        action="store_true",
        help="Also import into a second fresh network with --batch-size 1 (each entry taking "
        "the one path on its own), for the ratio.",
    )
    options = parser.parse_args()
    rows: list[tuple[str, float, float, float]] = []
    with tempfile.TemporaryDirectory(prefix="dragoman-import-") as folder:
        export = Path(folder) / "export.xml"
        with open(export, "w", encoding="utf-8") as out:
            wxr_write(out, posts(options.entries, options.comments))
        size_mb = export.stat().st_size / 1024 / 1024
        print(
            f"Export: {options.entries} entries, {options.comments} comments, {size_mb:.1f} MB",
            flush=True,
        )
        batch = [] if options.batch_size is None else ["--batch-size", str(options.batch_size)]
        runs = [("batched", batch)]
        if options.compare_one_by_one:
            runs.append(("one by one", ["--batch-size", "1"]))
        for name, extra in runs:
            data = Path(folder) / name.replace(" ", "-")
            data.mkdir()
            env = {
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "dragoman.settings",
                "DRAGOMAN_DATA_DIR": str(data),
                "DRAGOMAN_LOG_LEVEL": "WARNING",
            }
            dragoman = str(BIN / "dragoman")
            subprocess.run([dragoman, "migrate", "-v0"], env=env, check=True)
            command = [dragoman, "import-wordpress", str(export), "--no-progress", *extra]
            rows.append((f"first import, {name}", *measured(command, env)))
            print(f"    {rows[-1]}", flush=True)
            if name == "batched":
                rows.append(("second run (unchanged)", *measured(command, env)))
                print(f"    {rows[-1]}", flush=True)
    print("| run | wall seconds | CPU seconds | entries per CPU second | peak memory (MB) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, wall, cpu, peak in rows:
        print(f"| {name} | {wall:.1f} | {cpu:.1f} | {options.entries / cpu:.1f} | {peak:.0f} |")
    _name, first, first_cpu, first_mb = rows[0]
    if options.compare_one_by_one:
        one = rows[-1]
        print(
            f"Batched against one by one: {one[1] / first:.2f}x faster in wall time, "
            f"{one[2] / first_cpu:.2f}x in CPU time."
        )
    scale = 10_000 / options.entries
    print(
        f"Against the target (10,000 entries in {TARGET_SECONDS} s, {TARGET_MB} MB): "
        f"{first * scale / TARGET_SECONDS:.2f} of it in wall time, "
        f"{first_cpu * scale / TARGET_SECONDS:.2f} in CPU time (scaled to 10,000 entries); "
        f"memory {first_mb / TARGET_MB:.2f} of it."
    )


if __name__ == "__main__":
    main()
