import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHECKED_PAGES = [
    "home",
    "blog",
    "entry",
    "right-to-left entry",
    "tag",
    "profile",
    "blog tag",
    "tags",
    "bloggers",
    "archive",
    "archive year",
    "archive month",
    "blogs",
    "mission",
    "home in Arabic",
    "not found",
    "server error",
]
STATUS = {"not found": 404, "server error": 500}


@pytest.fixture(scope="module")
def nu_checker_errors(demo_site, tmp_path_factory) -> dict[str, list[str]]:
    """Errors of the Nu HTML Checker on each demo page, by page name (one Java run for all)."""
    java = shutil.which("java")
    if java is None:
        pytest.skip(
            "java is not installed: the Nu HTML Checker needs it (apt-get install default-jre-headless)"
        )
    if not VNU_JAR.exists():
        pytest.skip(f"{VNU_JAR} is missing: run `npm ci` at the repository's root")
    folder = tmp_path_factory.mktemp("nu-html-checker")
    files = {}
    for name in CHECKED_PAGES:
        files[name] = folder / (name.replace(" ", "-") + ".html")
        files[name].write_text(demo_site[name].html, encoding="utf-8")

    # The checker writes its JSON report to stderr and exits 1 when it finds an error.
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--format", "json", *map(str, files.values())],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = json.loads(result.stderr)

    errors: dict[str, list[str]] = {name: [] for name in CHECKED_PAGES}
    for message in report["messages"]:
        if message["type"] == "error" or message.get("subType") == "fatal":
            name = next(n for n, f in files.items() if message["url"].endswith(f.name))
            errors[name].append(
                f"line {message.get('lastLine')}: {message['message']} in {message.get('extract', '')!r}"
            )
    return errors


@pytest.mark.django_db
@pytest.mark.parametrize("name", CHECKED_PAGES)
def test_demo_page_has_no_error_in_the_nu_html_checker(nu_checker_errors, demo_site, name):
    assert demo_site[name].status == STATUS.get(name, 200)

    assert nu_checker_errors[name] == []
