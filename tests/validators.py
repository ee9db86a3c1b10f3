"""The Nu HTML Checker (npm package vnu-jar), shared by every test that validates pages."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

VNU_JAR = Path(__file__).resolve().parent.parent / "node_modules/vnu-jar/build/dist/vnu.jar"


def nu_html_errors(pages: dict[str, str], folder: Path) -> dict[str, list[str]]:
    """The checker's errors for each page's HTML, by page name, in one Java run.

    Skips the calling test, with the reason, when Java or the checker is missing.
    """
    java = shutil.which("java")
    if java is None:
        pytest.skip(
            "java is not installed: the Nu HTML Checker needs it (apt-get install default-jre-headless)"
        )
    if not VNU_JAR.exists():
        pytest.skip(f"{VNU_JAR} is missing: run `npm ci` at the repository's root")
    files = {}
    for name, html in pages.items():
        files[name] = folder / (name.replace(" ", "-").replace(",", "") + ".html")
        files[name].write_text(html, encoding="utf-8")

    # The checker writes its JSON report to stderr and exits 1 when it finds an error.
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--format", "json", *map(str, files.values())],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    errors: dict[str, list[str]] = {name: [] for name in pages}
    for message in json.loads(result.stderr)["messages"]:
        if message["type"] == "error" or message.get("subType") == "fatal":
            name = next(n for n, f in files.items() if message["url"].endswith(f.name))
            errors[name].append(
                f"line {message.get('lastLine')}: {message['message']} in {message.get('extract', '')!r}"
            )
    return errors
