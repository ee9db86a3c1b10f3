"""Form widgets for the public pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString


class InputMarkup(forms.widgets.Input):
    """Django's <input> markup, written in Python instead of two templates per input.

    Mixed into an input widget of a form shown on every search or entry page: through
    Django's templates its inputs took as long as the rest of the search form's markup
    (bench/search.py). Same attributes as Django writes.
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        attributes: dict[str, Any] = {"type": self.input_type, "name": name}
        shown = self.format_value(value)
        if shown is not None:
            attributes["value"] = shown
        attributes.update(self.build_attrs(self.attrs, attrs))
        return format_html("<input{}>", flatatt(attributes))


class HiddenInputMarkup(InputMarkup, forms.HiddenInput):
    """A hidden input written without templates: the follow form's, on every blog's,
    blogger's and tag's page."""
