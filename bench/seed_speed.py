"""How fast `dragoman seed` adds entries: `python -m bench.seed_speed --entries 10000 100000`.

Each size seeds a fresh network in a temporary data folder (SQLite), or in a fresh PostgreSQL
database when --postgres names a server (postgres://postgres@127.0.0.1:5432). Prints wall
time, entries and comments (replies included) per second, the seeding process's processor
time and peak memory, and the load average before and after (the machine may be shared: a
busy machine stretches the wall time, not the processor time). Figures only.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def run(argv: list[str], env: dict[str, str]) -> str:
    return subprocess.run(argv, env=env, check=True, stdout=subprocess.PIPE, text=True).stdout


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def postgres_database_fresh(server: str, name: str) -> str:
    for statement in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
        subprocess.run(["psql", server + "/postgres", "-qc", statement], check=True)
    return f"{server}/{name}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, nargs="+", default=[10_000])
    parser.add_argument("--postgres", default="", help="server URL, without a database name")
    options = parser.parse_args()
    print(
        "| database | entries | comments | seconds | entries/s | comments/s "
        "| seeding process CPU (s) | peak memory (MB) | load before / after |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for size in options.entries:
        with tempfile.TemporaryDirectory(prefix="dragoman-seed-") as data_dir:
            env = {
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "dragoman.settings",
                "DRAGOMAN_DATA_DIR": data_dir,
            }
            database = "SQLite"
            if options.postgres:
                env["DATABASE_URL"] = postgres_database_fresh(
                    options.postgres.rstrip("/"), "dragoman_bench_seed"
                )
                database = "PostgreSQL"
            dragoman = str(BIN / "dragoman")
            run([dragoman, "migrate", "-v0"], env)
            load_before = os.getloadavg()[0]
            cpu = children_cpu()
            started = time.perf_counter()
            output = run([dragoman, "seed", "--entries", str(size), "--no-progress"], env)
            seconds = time.perf_counter() - started
            cpu = children_cpu() - cpu
            found = re.search(r"with (\d+) comments", output)
            comments = int(found.group(1)) if found else 0
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            print(
                f"| {database} | {size} | {comments} | {seconds:.1f} | {size / seconds:.0f} "
                f"| {comments / seconds:.0f} | {cpu:.0f} | {peak:.0f} "
                f"| {load_before:.1f} / {os.getloadavg()[0]:.1f} |"
            )


if __name__ == "__main__":
    main()
