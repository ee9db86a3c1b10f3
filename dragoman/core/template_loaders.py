"""Template loaders that drop the indentation of our own HTML templates as they load them.

Templates are written one element per line, indented, so that the next reader sees their
structure; readers of the site should not download that indentation. It is removed once, when
a template is loaded (the cached loader keeps the result), so rendering costs nothing more.

The rule, applied to every `.html` template under `dragoman/` (never to Django's or Wagtail's,
nor to plain-text templates such as emails):

- each line loses its leading and trailing whitespace, and blank lines go;
- a line break between two pieces of markup (a line ending with a tag, `%}` or `#}`, and the
  next starting with `<`, `{%` or `{#`) disappears;
- any other line break (text or `{{ value }}` on either side) becomes one space, as a browser
  would show it.

So words that must touch a tag (punctuation after a link) stay on the tag's line, and two
inline elements that need a space between them are written on one line. Lines inside `<pre>`,
`<textarea>`, `<script>` and `<style>` are kept as written.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.template import Origin
from django.template.loaders import app_directories, filesystem

PACKAGE = Path(__file__).resolve().parent.parent
PRESERVED_OPEN = re.compile(r"<(pre|textarea|script|style)\b", re.IGNORECASE)
MARKUP_END = (">", "%}", "#}")
MARKUP_START = ("<", "{%", "{#")


def compact(source: str) -> str:
    """The template's source without its indentation and line breaks, as described above."""
    pieces: list[str] = []
    previous = ""
    preserving = ""
    for line in source.split("\n"):
        if preserving:
            pieces.append("\n" + line)
            if f"</{preserving}" in line.lower():
                preserving, previous = "", line.strip()
            continue
        stripped = line.strip()
        if not stripped:
            continue
        if previous:
            markup = previous.endswith(MARKUP_END) and stripped.startswith(MARKUP_START)
            pieces.append("" if markup else " ")
        pieces.append(stripped)
        previous = stripped
        opened = PRESERVED_OPEN.findall(stripped)
        if opened and f"</{opened[-1].lower()}" not in stripped.lower():
            preserving = opened[-1].lower()
    return "".join(pieces)


def compacts(origin: Origin) -> bool:
    """Only our own HTML templates are compacted."""
    path = Path(str(origin.name))
    return path.suffix == ".html" and PACKAGE in path.parents


class FilesystemLoader(filesystem.Loader):
    def get_contents(self, origin: Origin) -> str:
        contents = super().get_contents(origin)
        return compact(contents) if compacts(origin) else contents


class AppDirectoriesLoader(app_directories.Loader):
    def get_contents(self, origin: Origin) -> str:
        contents = super().get_contents(origin)
        return compact(contents) if compacts(origin) else contents
