"""The test run's private data folder is removed when the run ends, with or without xdist
workers, and a folder given in the environment is left alone."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Run by the pytest started below: each test writes in the data folder of its process.
WRITER = """
import os


def test_writes_in_its_data_folder():
    with open(os.path.join(os.environ["DRAGOMAN_DATA_DIR"], "written"), "w") as file:
        file.write("x")
"""


def run_pytest(tmp_path: Path, *options: str, **environment: str) -> subprocess.CompletedProcess:
    test = tmp_path / "test_writer.py"
    test.write_text(WRITER)
    env = {key: value for key, value in os.environ.items() if key != "DRAGOMAN_DATA_DIR"}
    env.pop("PYTEST_XDIST_WORKER", None)
    env.update(environment)
    config = ["-c", str(ROOT / "pyproject.toml"), "--rootdir", str(ROOT)]
    return subprocess.run(
        [sys.executable, "-m", "pytest", *config, "-q", *options, str(test)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_a_run_with_workers_leaves_no_data_folder_behind(tmp_path):
    temporary = tmp_path / "tmp"
    temporary.mkdir()

    run = run_pytest(tmp_path, "-n", "2", TMPDIR=str(temporary))

    assert run.returncode == 0, run.stdout + run.stderr
    # pytest keeps its own temporary folders (pytest-of-<user>) on purpose: not ours to clean.
    assert list(temporary.glob("dragoman-test-*")) == []


def test_a_data_folder_given_in_the_environment_is_kept(tmp_path):
    given = tmp_path / "data"
    given.mkdir()

    run = run_pytest(tmp_path, "-n", "0", DRAGOMAN_DATA_DIR=str(given))

    assert run.returncode == 0, run.stdout + run.stderr
    assert (given / "written").read_text() == "x"
