"""Reads for the digital team's access pages."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from dragoman.blogs.models import Blogger, BlogPage

from .models import BlogAccess


@dataclass
class BloggerAccess:
    blogger: Blogger
    blogs: list[BlogPage] = field(default_factory=list)

    @property
    def invitation_pending(self) -> bool:
        invitation = getattr(self.blogger.user, "invitation", None)
        return invitation is not None and invitation.accepted_at is None


def blogs_of_user(user: Any) -> QuerySet[BlogPage]:
    """The blogs a user may write on (through their per-blog groups)."""
    return BlogPage.objects.filter(access__group__user=user).order_by("title")


def access_overview() -> list[BloggerAccess]:
    """Every blogger with an account, and the blogs each may write on (three queries)."""
    bloggers = (
        Blogger.objects.filter(user__isnull=False)
        .select_related("user", "user__invitation", "mission")
        .order_by("display_name")
    )
    membership = get_user_model().groups.through.objects.filter(group__blog_access__isnull=False)
    blogs_by_group = {
        access.group_id: access.blog for access in BlogAccess.objects.select_related("blog")
    }
    blogs_by_user: dict[int, list[BlogPage]] = defaultdict(list)
    for user_id, group_id in membership.values_list("user_id", "group_id"):
        blogs_by_user[user_id].append(blogs_by_group[group_id])
    return [
        BloggerAccess(
            blogger=blogger,
            blogs=sorted(blogs_by_user.get(blogger.user_id or 0, []), key=lambda b: b.title),
        )
        for blogger in bloggers
    ]


def blogs_with_review() -> list[tuple[BlogPage, bool]]:
    """Every blog, and whether it asks for review before publishing."""
    from .services import REVIEW_WORKFLOW_NAME

    reviewed = set(
        BlogPage.objects.filter(workflowpage__workflow__name=REVIEW_WORKFLOW_NAME).values_list(
            "pk", flat=True
        )
    )
    return [(blog, blog.pk in reviewed) for blog in BlogPage.objects.order_by("title")]
