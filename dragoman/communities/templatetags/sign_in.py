"""Small helpers for django-allauth's pages inside our frame."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import get_adapter
from django import template

register = template.Library()


@register.filter
def squash(value: str) -> str:
    """Text with its runs of white space made one space (allauth's titles come indented)."""
    return " ".join(str(value).split())


@register.simple_tag(takes_context=True)
def signup_open(context: dict[str, Any]) -> bool:
    """Whether people may sign up by themselves here (never: they join by invitation)."""
    request = context.get("request")
    return request is not None and bool(get_adapter(request).is_open_for_signup(request))
