"""The network's campaigns, for the home page's sidebar (the same for every visitor)."""

from __future__ import annotations

from typing import Any

from django import template

from .. import queries

register = template.Library()


@register.inclusion_tag("campaigns/includes/campaign_list.html")
def campaign_list(*, limit: int = 5) -> dict[str, Any]:
    return {"campaigns": queries.public_campaigns(limit=limit)}
