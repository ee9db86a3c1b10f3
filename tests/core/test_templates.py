"""Templates stay readable: one element per line, no line a reader has to scroll across."""

import re
from pathlib import Path

import pytest

import dragoman

PACKAGE = Path(dragoman.__file__).resolve().parent
TEMPLATES = sorted(
    path
    for path in PACKAGE.rglob("*")
    if path.is_file() and "templates" in path.relative_to(PACKAGE).parts
)
MAX_LINE = 200
MULTILINE_BLOCKTRANSLATE = re.compile(r"\{%\s*blocktranslate\b([^%]*)%\}(?:(?!\{%\s*endblock).)*\n")


def test_the_templates_are_found():
    assert len(TEMPLATES) > 50
    assert PACKAGE / "templates" / "base.html" in TEMPLATES


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: str(path.relative_to(PACKAGE)))
def test_no_template_line_is_longer_than_200_characters(path):
    long_lines = [
        number
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if len(line) > MAX_LINE
    ]

    assert not long_lines, f"lines over {MAX_LINE} characters: {long_lines}"


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: str(path.relative_to(PACKAGE)))
def test_a_blocktranslate_written_on_several_lines_is_trimmed(path):
    # The loader joins the lines of our HTML templates; makemessages reads the file as written.
    # Only with `trimmed` do both see the same message.
    untrimmed = [
        match.group(0).split("\n")[0]
        for match in MULTILINE_BLOCKTRANSLATE.finditer(path.read_text())
        if "trimmed" not in match.group(1).split()
    ]

    assert not untrimmed, untrimmed
