"""The conversation under an entry, and "Recent comments" for sidebars.

Both render the same for every visitor (no request data), so the pages that hold them stay
cacheable; the comment form carries a signed timestamp instead of a CSRF cookie.
"""

from __future__ import annotations

from typing import Any

from django import template

from dragoman.blogs.models import BlogPage, EntryPage

from .. import queries
from ..forms import CommentForm

register = template.Library()


@register.inclusion_tag("conversations/includes/conversation.html")
def conversation(*, entry: EntryPage, blog: BlogPage | None = None) -> dict[str, Any]:
    from dragoman.blogs.queries import blog_of

    blog = blog or blog_of(entry)
    state = queries.conversation_state(entry=entry, blog=blog)
    return {
        "entry": entry,
        "comments": queries.entry_conversation(entry_id=entry.pk),
        "state": state,
        "form": CommentForm(entry_id=entry.pk) if state.is_open else None,
    }


@register.inclusion_tag("conversations/includes/recent_comments.html")
def recent_comments(*, blog: BlogPage | None = None, limit: int = 5) -> dict[str, Any]:
    return {"comments": queries.recent_comments(blog=blog, limit=limit), "blog": blog}
