"""Which private sections of the page tree are communities' (their blogs)."""

from __future__ import annotations

from django.http import HttpRequest
from wagtail.models import PageViewRestriction

from dragoman.blogs.models import PrivateSection, private_sections

PRIVATE_ATTRIBUTE = "_dragoman_member_page"


def community_section_of(path: str) -> PrivateSection | None:
    """The community section a page at this tree path lies in, if any.

    Free for public pages while no section of the tree is private (the usual case: the
    sections are remembered in memory); one query otherwise.
    """
    sections = [
        section
        for section in private_sections()
        if path.startswith(section.path) and section.restriction_type == PageViewRestriction.GROUPS
    ]
    if not sections:
        return None
    from .models import Community

    paths = set(
        Community.objects.filter(blog__path__in=[s.path for s in sections]).values_list(
            "blog__path", flat=True
        )
    )
    return next((s for s in sections if s.path in paths), None)


def mark_private(request: HttpRequest) -> None:
    setattr(request, PRIVATE_ATTRIBUTE, True)


def is_marked_private(request: HttpRequest) -> bool:
    return bool(getattr(request, PRIVATE_ATTRIBUTE, False))
