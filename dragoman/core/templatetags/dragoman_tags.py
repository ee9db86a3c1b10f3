import json
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# The characters that could close the script element or open a comment inside it.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def ld_json(data: dict[str, Any] | None) -> SafeString:
    """A schema.org JSON-LD block; a data block, not a script, so the CSP does not apply."""
    if not data:
        return mark_safe("")
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True).translate(_JSON_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308 - escaped above


@register.filter(expects_localtime=True)
def html_datetime(value: Any) -> str:
    """A date and time as HTML's `datetime` attribute takes it: to the second, with the offset.

    The `date` filter's "c" keeps microseconds, which HTML does not accept, and spelling the
    format out ('Y-m-d\\TH:i:sO') costs a dozen calls a character on every comment.
    """
    if not value:
        return ""
    return str(value.strftime("%Y-%m-%dT%H:%M:%S%z"))
