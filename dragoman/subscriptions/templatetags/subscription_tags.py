"""The follow form that blog, blogger, tag and search pages include.

The same for every visitor (no request data), so the pages that hold it stay cacheable: the
form carries a signed timestamp instead of a CSRF cookie.
"""

from __future__ import annotations

from typing import Any

from django import template

from ..forms import FollowForm

register = template.Library()


@register.inclusion_tag("subscriptions/includes/follow_form.html")
def follow_form(kind: str, value: Any, label: str = "") -> dict[str, Any]:
    return {
        "form": FollowForm(initial={"kind": kind, "value": str(value)}),
        "label": label,
    }


@register.simple_tag
def follow_url(kind: str, value: Any) -> str:
    """The address of the follow form alone; for a search, ``value`` is its permalink."""
    from urllib.parse import urlencode, urlsplit

    from django.urls import reverse

    text = str(value)
    if kind == "search":
        text = urlsplit(text).query
    return reverse("subscriptions:follow") + "?" + urlencode({"kind": kind, "value": text})
