from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: Any) -> Any:
    return mapping.get(str(key), "") if mapping else ""


@register.filter
def percent(share: float) -> str:
    return number_format(share * 100, decimal_pos=1) + " %"
