"""The reads of community pages. Every one starts from a membership: nothing of a community
is read for someone who is not an active member of it (the caller gets a 404 instead)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from wagtail.models import Page

from dragoman.blogs.models import Blogger, EntryPage

from . import rights
from .models import AuditEntry, Community, Event, Invitation, JoinRequest, Membership, Reply, Topic


def community_of_page(*, page: Page) -> Community | None:
    """The community whose private blog holds this page (or is it), if any."""
    paths = [page.path[:end] for end in range(Page.steplen, len(page.path) + 1, Page.steplen)]
    return Community.objects.filter(blog__path__in=paths).first()


def entry_author_default(user: Any, parent_page: Any) -> Blogger | None:
    """The author a new entry of a community's blog starts with, for one of its managers who
    has no profile of their own: the shared one (rights.py), which names nobody."""
    if parent_page is None:
        return None
    community = community_of_page(page=parent_page)
    if community is None:
        return None
    manages = Membership.objects.filter(
        community=community,
        user_id=user.pk,
        role=Membership.Role.MANAGER,
        status=Membership.Status.ACTIVE,
    ).exists()
    if not manages:
        return None
    return Blogger.objects.filter(slug=rights.COMMUNITY_AUTHOR_SLUG).first()


def listed_communities() -> QuerySet[Community]:
    return Community.objects.filter(listed=True).order_by("name")


def listed_community(slug: str) -> Community:
    community = listed_communities().filter(slug=slug).first()
    if community is None:
        raise Http404("No such community")
    return community


def membership_of(*, user: Any, slug: str) -> Membership:
    """The reader's active membership of this community, or 404 for everyone else (anonymous
    readers, members of other communities, staff, removed members: the same answer)."""
    if user is None or not user.is_authenticated:
        raise Http404("No such community")
    membership = (
        Membership.objects.select_related("community", "community__blog", "user")
        .filter(community__slug=slug, user=user, status=Membership.Status.ACTIVE)
        .first()
    )
    if membership is None:
        raise Http404("No such community")
    return membership


def memberships_of(user: Any) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user, status=Membership.Status.ACTIVE).select_related(
        "community"
    )


def blog_entries(*, membership: Membership, limit: int = 10) -> list[EntryPage]:
    blog = membership.community.blog
    if blog is None:
        return []
    return list(EntryPage.objects.visible(membership.user).for_blog(blog).newest_first()[:limit])


def topics(*, membership: Membership) -> QuerySet[Topic]:
    shown = Topic.objects.filter(community=membership.community)
    if not membership.is_manager:
        shown = shown.filter(hidden=False)
    return shown.select_related("author").annotate(
        reply_count=Count("replies", filter=Q(replies__hidden=False))
    )


def topic(*, membership: Membership, topic_id: int) -> Topic:
    found = topics(membership=membership).filter(pk=topic_id).first()
    if found is None:
        raise Http404("No such thread")
    return found


def replies(*, membership: Membership, topic: Topic) -> list[Reply]:
    shown = Reply.objects.filter(topic=topic)
    if not membership.is_manager:
        shown = shown.filter(hidden=False)
    return list(shown.select_related("author").prefetch_related("attachments"))


def authors_names(*, community: Community, user_ids: set[int]) -> dict[int, str]:
    return dict(
        Membership.objects.filter(community=community, user_id__in=user_ids).values_list(
            "user_id", "display_name"
        )
    )


def events(*, membership: Membership, past: bool = False) -> QuerySet[Event]:
    now = timezone.now()
    found = Event.objects.filter(community=membership.community)
    if past:
        return found.filter(starts_at__lt=now).order_by("-starts_at")
    return found.filter(starts_at__gte=now).order_by("starts_at")


def event(*, membership: Membership, event_id: int) -> Event:
    found = Event.objects.filter(community=membership.community, pk=event_id).first()
    if found is None:
        raise Http404("No such event")
    return found


def directory(*, membership: Membership) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(
            community=membership.community, status=Membership.Status.ACTIVE, in_directory=True
        )
        .select_related("user")
        .order_by("display_name")
    )


def management(*, membership: Membership) -> dict[str, Any]:
    community = membership.community
    return {
        "members": Membership.objects.filter(community=community)
        .select_related("user")
        .order_by("status", "display_name"),
        "requests": JoinRequest.objects.filter(
            community=community, status=JoinRequest.Status.PENDING
        ),
        "invitations": Invitation.objects.filter(community=community, revoked=False)[:50],
        "audit": AuditEntry.objects.filter(community=community)[:100],
    }


def export(*, user: Any) -> dict[str, Any]:
    """Everything written by this person and everything held about them, as plain values."""
    from allauth.account.models import EmailAddress

    def when(value: Any) -> str | None:
        return value.isoformat() if value else None

    return {
        "account": {
            "username": user.username,
            "email": user.email,
            "name": user.get_full_name(),
            "date_joined": when(user.date_joined),
            "last_login": when(user.last_login),
            "email_addresses": list(
                EmailAddress.objects.filter(user=user).values("email", "verified", "primary")
            ),
        },
        "memberships": [
            {
                "community": m.community.name,
                "role": m.role,
                "status": m.status,
                "joined_at": when(m.joined_at),
                "display_name": m.display_name,
                "organisation": m.organisation,
                "city": m.city,
                "bio": m.bio,
                "in_directory": m.in_directory,
                "shown_fields": m.shown_fields,
                "notify_replies": m.notify_replies,
                "has_private_feed": bool(m.feed_token_digest),
            }
            for m in Membership.objects.filter(user=user).select_related("community")
        ],
        "topics": [
            {"community": t.community.name, "title": t.title, "created_at": when(t.created_at)}
            for t in Topic.objects.filter(author=user).select_related("community")
        ],
        "replies": [
            {
                "community": r.topic.community.name,
                "topic": r.topic.title,
                "body": r.body,
                "created_at": when(r.created_at),
                "attachments": [a.name for a in r.attachments.all()],
            }
            for r in Reply.objects.filter(author=user)
            .select_related("topic__community")
            .prefetch_related("attachments")
        ],
        "join_requests": list(
            JoinRequest.objects.filter(email__iexact=user.email).values(
                "community__name", "name", "message", "status"
            )
        )
        if user.email
        else [],
    }
