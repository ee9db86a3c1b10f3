"""Reads for the federation's documents and the inbox: visible entries, followers."""

from __future__ import annotations

from django.db.models import QuerySet

from dragoman.blogs.models import EntryPage
from dragoman.publishing.fragments import remembered

from .models import FederationSettings, Follow, LocalActor, Reactions, RemoteActor


def outbox_entries(actor: LocalActor) -> QuerySet[EntryPage]:
    """What an actor's outbox lists: the entries every anonymous reader may see."""
    entries = EntryPage.objects.visible(None)
    if actor.kind == LocalActor.Kind.BLOG and actor.blog is not None:
        entries = entries.for_blog(actor.blog)
    elif actor.kind == LocalActor.Kind.BLOGGER and actor.blogger is not None:
        entries = entries.by_blogger(actor.blogger)
    else:
        return EntryPage.objects.none()
    return entries.newest_first()


def followers(actors: list[LocalActor]) -> QuerySet[RemoteActor]:
    return RemoteActor.objects.filter(
        follows__local__in=actors,
        follows__direction=Follow.Direction.INCOMING,
        follows__status=Follow.Status.ACCEPTED,
    ).distinct()


def follower_count(actor: LocalActor) -> int:
    return Follow.objects.filter(
        local=actor, direction=Follow.Direction.INCOMING, status=Follow.Status.ACCEPTED
    ).count()


def delivery_inboxes(actors: list[LocalActor]) -> list[str]:
    """Each follower's shared inbox (or own inbox), once."""
    rows = followers(actors).values_list("shared_inbox", "inbox")
    return sorted({shared or own for shared, own in rows})


# Saving the setting refreshes the whole site (`reactions_setting_changed`), which forgets this.
@remembered(lambda: [])
def reactions_counted() -> bool:
    """Whether the digital team counts likes and boosts (the "Federation" setting).

    Every entry page asks, so it is remembered; and a read never writes (Wagtail's `load()`
    creates the row on first use, which the first readers of a new network would race to do).
    """
    found = FederationSettings.objects.first()
    return found is not None and found.count_reactions


def entry_reactions(entry_id: int) -> Reactions | None:
    """The likes and boosts an entry's page shows: none unless the digital team counts them,
    and none while both are zero."""
    if not reactions_counted():
        return None
    found = Reactions.objects.filter(entry_id=entry_id).first()
    return found if found is not None and (found.likes or found.announces) else None
