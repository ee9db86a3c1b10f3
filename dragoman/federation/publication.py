"""Entries going out: Create when an entry first becomes public, Update when it changes,
Delete when it is unpublished, made private or deleted.

The listener runs as a task after the commit of the change (``Moment.TASK``); it queues one
delivery per inbox (``deliveries.py``) and returns. Who is told: the followers of the entry's
blog and of its bloggers, each inbox once.
"""

from __future__ import annotations

from django.utils import timezone

from dragoman.blogs.announcements import EntryChanged
from dragoman.blogs.models import BlogPage, EntryPage

from . import activities, deliveries, moderation
from .models import Delivered, LocalActor
from .queries import delivery_inboxes
from .remote import domain_of


def _actors_of(entry: EntryPage) -> tuple[LocalActor | None, list[LocalActor]]:
    blog = BlogPage.objects.filter(pk=entry.blog_id).first() if entry.blog_id else None
    blog_actor = LocalActor.objects.filter(blog=blog).first() if blog else None
    authors = [credit.blogger_id for credit in entry.entry_authors.all()]
    blogger_actors = list(LocalActor.objects.filter(blogger_id__in=authors))
    return blog_actor, blogger_actors


def entry_changed_federate(announcement: EntryChanged) -> None:
    """Tell the followers what became of the entry (a TASK listener of EntryChanged)."""
    entry = EntryPage.objects.visible(None).filter(pk=announcement.entry_id).first()
    delivered = Delivered.objects.filter(entry_id=announcement.entry_id).first()
    if entry is None:
        if delivered is None or delivered.deleted or delivered.actor is None:
            return  # never sent, or already withdrawn
        actor = delivered.actor
        # Everyone told of the entry: the followers of its bloggers as well as its blog's.
        blogger_actors = list(
            LocalActor.objects.filter(pk__in=delivered.audience).exclude(pk=actor.pk)
        )
        document = activities.activity(
            "Delete", actor, activities.tombstone(announcement.entry_id), to=[activities.PUBLIC]
        )
        delivered.deleted = True
    else:
        blog_actor, blogger_actors = _actors_of(entry)
        if blog_actor is None and not blogger_actors:
            return  # nobody can follow it yet: no actor was ever asked for
        actor = blog_actor or blogger_actors[0]
        authors = [activities.actor_id(a) for a in blogger_actors]
        article = activities.article(entry, authors=authors)
        kind = "Create" if delivered is None or delivered.deleted else "Update"
        document = activities.activity(
            kind, actor, article, to=article["to"], cc=article["cc"], published=article["published"]
        )
        if delivered is None:
            delivered = Delivered(entry_id=entry.pk, object_id=article["id"])
        delivered.deleted = False
        delivered.audience = sorted({a.pk for a in [actor, *blogger_actors]})
    delivered.actor = actor
    delivered.updated_at = timezone.now()
    delivered.save()
    inboxes = [
        inbox
        for inbox in delivery_inboxes([actor, *blogger_actors])
        if not moderation.domain_blocked(domain_of(inbox))
    ]
    deliveries.send_after_commit(actor=actor, inboxes=inboxes, document=document)


def create_of(entry: EntryPage, actor: LocalActor) -> dict[str, object]:
    """The Create of an entry as the outbox lists it."""
    article = activities.article(entry, authors=[])
    document = activities.activity("Create", actor, article, to=article["to"], cc=article["cc"])
    document["id"] = article["id"] + "#create"
    document["published"] = article["published"]
    return document
