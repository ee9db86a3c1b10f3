"""Likes and boosts from the fediverse under an entry, when the digital team counts them.

The same for every reader (no request data), so the entry's page stays cacheable; a change of
a count announces ``ReactionsChanged``, which refreshes the page.
"""

from __future__ import annotations

from typing import Any

from django import template

from .. import queries

register = template.Library()


@register.inclusion_tag("federation/includes/reactions.html")
def reactions(*, entry: Any) -> dict[str, Any]:
    return {"reactions": queries.entry_reactions(entry.pk)}
