"""Markup written in Python where a template would cost too much (feeds' bodies, entry cards,
search facets), escaped as the templates escape it."""

from html import escape
from typing import Any


def escaped(value: Any) -> str:
    """A value as `{{ value }}` writes it: escaped unless already safe (Django's
    `conditional_escape`), without the lazy wrapper around Django's `escape`, which costs more
    than the escaping on a page's hundreds of values."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return escape(str(value))
