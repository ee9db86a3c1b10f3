"""Every change of federation state: our actors, follows, replies, reactions, blocks.

The inbox (``inbox.py``) verifies a request, then calls one of these. Deliveries to other
servers are queued (``deliveries.py``) after the commit, so a slow server never holds a
transaction, and nothing is sent for a change that rolled back.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify
from wagtail.models import PageViewRestriction

from dragoman.blogs.dependencies import entry as entry_dependency
from dragoman.blogs.models import Blogger, BlogPage, EntryPage
from dragoman.conversations.models import BlogConversationSettings, Comment
from dragoman.conversations.queries import conversation_state
from dragoman.conversations.services import comment_revise, comment_submit, comment_withdraw
from dragoman.core.changes import EVERY_PAGE, ContentChanged, announce, shown_on

from . import activities, deliveries, moderation
from .announcements import ReactionsChanged
from .models import (
    FederationSettings,
    Follow,
    LocalActor,
    Reaction,
    Reactions,
    Received,
    RemoteActor,
    RemoteReply,
)
from .remote import domain_of
from .signatures import key_pair_new

logger = logging.getLogger(__name__)


class Refused(Exception):
    """An activity we understood and will not act on (the inbox answers 4xx)."""


# Our actors -------------------------------------------------------------------------------------
def _free_username(wanted: str) -> str:
    username, n = wanted[:140] or "actor", 1
    while LocalActor.objects.filter(username=username).exists():
        n += 1
        username = f"{wanted[:140]}-{n}"
    return username


def blog_actor(blog: BlogPage) -> LocalActor:
    """The blog's actor, made with its key pair the first time it is asked for."""
    actor = LocalActor.objects.filter(blog=blog).first()
    if actor is None:
        private, public = key_pair_new()
        try:
            with transaction.atomic():
                actor = LocalActor.objects.create(
                    kind=LocalActor.Kind.BLOG,
                    blog=blog,
                    username=_free_username(blog.slug),
                    private_key_pem=private,
                    public_key_pem=public,
                )
        except IntegrityError:  # made at the same moment by another request
            actor = LocalActor.objects.get(blog=blog)
    return actor


def blog_actors_ensure() -> int:
    """Make the actor of every public blog that has none yet, so that the digital team can
    set one (say, to approve each follower) before anyone has looked the blog up. A key
    pair takes tens of milliseconds: made here, when the team lists the actors, rather than
    at every blog's publication. Private and unpublished blogs are no actors. How many were
    made."""
    missing = BlogPage.objects.live().exclude(
        pk__in=LocalActor.objects.filter(blog__isnull=False).values("blog_id")
    )
    # A private blog never gets an actor: left out here in the one query, not checked one by
    # one at every listing.
    for path in PageViewRestriction.objects.values_list("page__path", flat=True):
        missing = missing.exclude(path__startswith=path)
    made = 0
    for blog in missing:
        blog_actor(blog)
        made += 1
    return made


def blogger_actor(blogger: Blogger) -> LocalActor:
    actor = LocalActor.objects.filter(blogger=blogger).first()
    if actor is None:
        private, public = key_pair_new()
        try:
            with transaction.atomic():
                actor = LocalActor.objects.create(
                    kind=LocalActor.Kind.BLOGGER,
                    blogger=blogger,
                    username=_free_username(blogger.slug),
                    private_key_pem=private,
                    public_key_pem=public,
                )
        except IntegrityError:
            actor = LocalActor.objects.get(blogger=blogger)
    return actor


def _group_username(name: str) -> str:
    """A group's username from its name, taken by no actor, and by no blog or blogger either:
    theirs are made only when first asked for, under their slug, which must stay theirs."""
    wanted = slugify(name)[:140] or "group"
    username, n = wanted, 1
    while (
        LocalActor.objects.filter(username=username).exists()
        or BlogPage.objects.filter(slug=username).exists()
        or Blogger.objects.filter(slug=username).exists()
    ):
        n += 1
        username = f"{wanted}-{n}"
    return username


def group_create(
    *,
    name: str,
    username: str = "",
    summary: str = "",
    manually_approves_followers: bool = False,
) -> LocalActor:
    """A practitioners' discussion group (an ActivityPub Group), with its key pair; its
    username, when not given, is made from its name."""
    private, public = key_pair_new()
    actor = LocalActor(
        kind=LocalActor.Kind.GROUP,
        username=username or _group_username(name),
        name=name,
        summary=summary,
        manually_approves_followers=manually_approves_followers,
        private_key_pem=private,
        public_key_pem=public,
    )
    actor.full_clean()
    actor.save()
    return actor


def actor_by_username(username: str) -> LocalActor | None:
    """Our actor named ``username``: a blog's or blogger's is made on first ask."""
    actor = LocalActor.objects.filter(username=username).first()
    if actor is not None:
        return actor
    blog = BlogPage.objects.live().filter(slug=username).first()
    if blog is not None and not blog.get_view_restrictions().exists():
        return blog_actor(blog)
    blogger = Blogger.objects.filter(slug=username).first()
    if blogger is not None:
        return blogger_actor(blogger)
    return None


def actor_is_public(actor: LocalActor) -> bool:
    """Whether the actor may be shown: a private or unpublished blog is not an actor."""
    if actor.kind == LocalActor.Kind.BLOG:
        blog = actor.blog
        return bool(blog and blog.live and not blog.get_view_restrictions().exists())
    return True


# Follows ---------------------------------------------------------------------------------------
@transaction.atomic
def follow_received(*, local: LocalActor, remote: RemoteActor, activity_id: str) -> Follow:
    """Someone follows one of our actors: accepted at once, unless the team approves each."""
    follow, _created = Follow.objects.update_or_create(
        local=local,
        remote=remote,
        direction=Follow.Direction.INCOMING,
        defaults={"activity_id": activity_id},
    )
    if follow.status == Follow.Status.ACCEPTED or not local.manually_approves_followers:
        _follow_accept(follow)
    return follow


def _follow_accept(follow: Follow) -> None:
    follow.status = Follow.Status.ACCEPTED
    follow.save(update_fields=["status"])
    accept = activities.activity(
        "Accept",
        follow.local,
        {
            "id": follow.activity_id,
            "type": "Follow",
            "actor": follow.remote.uri,
            "object": activities.actor_id(follow.local),
        },
    )
    deliveries.send_after_commit(actor=follow.local, inboxes=[follow.remote.inbox], document=accept)


@transaction.atomic
def follow_approve(*, follow: Follow, acting_user: Any) -> Follow:
    """The digital team lets a waiting follower in (a blog that asks for approval)."""
    follow = Follow.objects.select_for_update().get(pk=follow.pk)
    if follow.direction != Follow.Direction.INCOMING:
        raise Refused("Only a follower can be approved.")
    _follow_accept(follow)
    return follow


@transaction.atomic
def follow_reject(*, follow: Follow, acting_user: Any) -> None:
    reject = activities.activity(
        "Reject",
        follow.local,
        {"id": follow.activity_id, "type": "Follow", "actor": follow.remote.uri},
    )
    deliveries.send_after_commit(actor=follow.local, inboxes=[follow.remote.inbox], document=reject)
    follow.delete()


def follow_undone(*, local: LocalActor, remote: RemoteActor) -> None:
    Follow.objects.filter(local=local, remote=remote, direction=Follow.Direction.INCOMING).delete()


@transaction.atomic
def follow_send(*, local: LocalActor, remote: RemoteActor) -> Follow:
    """One of our actors (a group, a practitioner's blog) follows a remote actor."""
    activity_id = activities.new_activity_id()
    follow, _created = Follow.objects.update_or_create(
        local=local,
        remote=remote,
        direction=Follow.Direction.OUTGOING,
        defaults={"activity_id": activity_id, "status": Follow.Status.PENDING},
    )
    document = activities.activity("Follow", local, remote.uri)
    document["id"] = activity_id
    deliveries.send_after_commit(actor=local, inboxes=[remote.inbox], document=document)
    return follow


def follow_answered(*, local: LocalActor, remote: RemoteActor, accepted: bool) -> None:
    status = Follow.Status.ACCEPTED if accepted else Follow.Status.REJECTED
    Follow.objects.filter(local=local, remote=remote, direction=Follow.Direction.OUTGOING).update(
        status=status
    )


# Replies ----------------------------------------------------------------------------------------
def _entry_of(object_id: str) -> EntryPage | None:
    """Our entry whose fediverse id (its permanent address) is ``object_id``."""
    prefix = activities.absolute("/entries/")
    if not object_id.startswith(prefix):
        return None
    number = object_id.removeprefix(prefix).strip("/")
    if not number.isdecimal():
        return None
    entry = EntryPage.objects.visible(None).filter(pk=int(number)).first()
    return entry


def _comment_of(object_id: str) -> Comment | None:
    prefix = activities.absolute("/federation/comments/")
    if object_id.startswith(prefix) and object_id.removeprefix(prefix).strip("/").isdecimal():
        return Comment.objects.filter(pk=int(object_id.removeprefix(prefix).strip("/"))).first()
    remote = RemoteReply.objects.filter(object_id=object_id).select_related("comment").first()
    return remote.comment if remote else None


_MEDIA_FIELDS = ("attachment", "image", "icon")
_IMG = re.compile(r"<(img|video|audio|source|picture|iframe)\b[^>]*>", re.IGNORECASE)


def _media_checked(note: dict[str, Any], *domains: str) -> dict[str, Any]:
    """The note as we keep and relay it: without its media (attachments, images, inline
    <img>) when the team rejects media from the server it comes from, or from its author's."""
    if not any(moderation.media_rejected(domain) for domain in domains if domain):
        return note
    kept = {key: value for key, value in note.items() if key not in _MEDIA_FIELDS}
    for field in ("content", "summary"):
        if isinstance(kept.get(field), str):
            kept[field] = _IMG.sub("", kept[field])
    if isinstance(kept.get("contentMap"), dict):
        kept["contentMap"] = {k: _IMG.sub("", str(v)) for k, v in kept["contentMap"].items()}
    return kept


def note_received(
    *, local: LocalActor | None, remote: RemoteActor, note: dict[str, Any]
) -> Comment | Received | None:
    """A Note or Article from another server: a reply to an entry becomes a comment waiting
    for moderation; anything else addressed to one of our actors is kept for it (without
    its media if the team rejects media from that server)."""
    object_id = str(note.get("id") or "")
    in_reply_to = note.get("inReplyTo")
    in_reply_to = in_reply_to if isinstance(in_reply_to, str) else ""
    entry = _entry_of(in_reply_to) if in_reply_to else None
    if entry is not None:
        return _reply_to_entry(entry=entry, remote=remote, note=note, object_id=object_id)
    if local is None:
        return None
    note = _media_checked(note, remote.domain)
    received, _created = Received.objects.get_or_create(
        object_id=object_id,
        local=local,
        defaults={
            "actor": remote,
            "kind": str(note.get("type", ""))[:40],
            "in_reply_to": in_reply_to[:600],
            "content": str(note.get("content", "")),
            "document": note,
        },
    )
    return received


@transaction.atomic
def _reply_to_entry(
    *, entry: EntryPage, remote: RemoteActor, note: dict[str, Any], object_id: str
) -> Comment | None:
    existing = RemoteReply.objects.filter(object_id=object_id).first()
    if existing is not None:
        return existing.comment
    blog = entry.get_parent().specific
    state = conversation_state(entry=entry, blog=blog)
    if not state.is_open:
        raise Refused("The conversation on this entry is closed.")
    text = strip_tags(str(note.get("content", ""))).strip()
    if not text:
        raise Refused("The reply is empty.")
    name = (remote.name or remote.preferred_username or remote.handle)[:60]
    comment = comment_submit(
        entry=entry,
        blog=blog,
        name=f"{name} ({remote.handle})"[:80] if len(remote.handle) < 60 else name,
        body=text[:5000],
        # Replies from other servers are always moderated first, whatever the blog's mode.
        mode=BlogConversationSettings.Mode.PRE_MODERATION,
    )
    RemoteReply.objects.create(object_id=object_id, actor=remote, comment=comment)
    return comment


def note_updated(*, remote: RemoteActor, note: dict[str, Any]) -> str:
    """An ``Update`` of a Note or Article we hold: only its author may change it. A reply
    that became a comment is judged again (``comment_revise``: a rejected one stays hidden);
    a post kept for one of our actors takes the new text."""
    object_id = str(note.get("id") or "")
    reply = RemoteReply.objects.filter(object_id=object_id).select_related("comment").first()
    if reply is not None:
        if reply.actor_id != remote.pk:
            raise Refused("Only its author may change a reply.")
        text = strip_tags(str(note.get("content", ""))).strip()
        if not text:
            raise Refused("The reply is empty.")
        comment_revise(comment=reply.comment, body=text[:5000])
        return "reply updated"
    note = _media_checked(note, remote.domain)
    updated = Received.objects.filter(object_id=object_id, actor=remote).update(
        content=str(note.get("content", "")), document=note
    )
    return "updated" if updated else "ignored"


def object_deleted(*, remote: RemoteActor, object_id: str) -> str:
    """A ``Delete`` from another server: of a reply (its comment is withdrawn, as when a
    reader takes theirs back: off the page, out of the queue), of a kept post, or of the
    account itself (its follows end). Only what the sender wrote is touched."""
    if object_id == remote.uri:
        Follow.objects.filter(remote=remote).delete()
        return "account deleted"
    reply = RemoteReply.objects.filter(object_id=object_id, actor=remote).first()
    if reply is not None:
        comment_withdraw(comment=reply.comment)
        return "reply deleted"
    deleted, _kinds = Received.objects.filter(object_id=object_id, actor=remote).delete()
    return "deleted" if deleted else "ignored"


def official_reply_deliver(*, reply: Comment) -> None:
    """An official reply to a comment that came from another server goes back to its author,
    as a Note from the blog's actor."""
    if reply.parent_id is None:
        return
    remote = RemoteReply.objects.filter(comment_id=reply.parent_id).select_related("actor").first()
    if remote is None:
        return
    blog = BlogPage.objects.get(pk=reply.blog_id)
    actor = blog_actor(blog)
    note_id = activities.absolute(f"/federation/comments/{reply.pk}")
    note = {
        "id": note_id,
        "type": "Note",
        "attributedTo": activities.actor_id(actor),
        "inReplyTo": remote.object_id,
        "content": reply.body_html,
        "published": (reply.published_at or timezone.now()).isoformat(),
        "to": [remote.actor.uri],
        "cc": [activities.PUBLIC],
        "tag": [{"type": "Mention", "href": remote.actor.uri, "name": remote.actor.handle}],
        "url": activities.absolute(f"/entries/{reply.entry_id}/#comment-{reply.pk}"),
    }
    document = activities.activity("Create", actor, note, to=note["to"], cc=note["cc"])
    deliveries.send_after_commit(actor=actor, inboxes=[remote.actor.inbox], document=document)


@transaction.atomic
def note_send(
    *, local: LocalActor, to: RemoteActor, content_html: str, in_reply_to: str = ""
) -> str:
    """One of our actors posts a Note: a reply on another server, or (without
    ``in_reply_to``) a post to a remote group."""
    note_id = activities.new_activity_id()
    note: dict[str, Any] = {
        "id": note_id,
        "type": "Note",
        "attributedTo": activities.actor_id(local),
        "content": content_html,
        "published": timezone.now().isoformat(),
        "to": [to.uri],
        "cc": [activities.PUBLIC],
    }
    if in_reply_to:
        note["inReplyTo"] = in_reply_to
    document = activities.activity("Create", local, note, to=note["to"], cc=note["cc"])
    deliveries.send_after_commit(actor=local, inboxes=[to.inbox], document=document)
    return note_id


# Likes and boosts --------------------------------------------------------------------------------
@transaction.atomic
def reaction_received(*, kind: str, activity_id: str, actor_uri: str, object_id: str) -> bool:
    """Count a Like or an Announce of one of our entries, if the team counts them."""
    if not FederationSettings.load().count_reactions:
        return False
    entry = _entry_of(object_id)
    if entry is None:
        return False
    _reaction, created = Reaction.objects.get_or_create(
        activity_id=activity_id,
        defaults={"actor_uri": actor_uri, "entry_id": entry.pk, "kind": kind},
    )
    if not created:
        return False
    Reactions.objects.get_or_create(entry_id=entry.pk)
    field = "likes" if kind == "Like" else "announces"
    Reactions.objects.filter(entry_id=entry.pk).update(**{field: F(field) + 1})
    _reactions_changed(entry.pk)
    return True


def _reactions_changed(entry_id: int) -> None:
    """The entry's page shows the counts: refresh it after the commit."""
    announce(ReactionsChanged(entry_id=entry_id, shown_on=shown_on([entry_dependency(entry_id)])))


def reactions_setting_changed() -> None:
    """The team turned the counts on or off: every entry page changes."""
    announce(ContentChanged(shown_on=EVERY_PAGE))


@transaction.atomic
def reaction_undone(*, activity_id: str, actor_uri: str) -> None:
    reaction = Reaction.objects.filter(activity_id=activity_id, actor_uri=actor_uri).first()
    if reaction is None:
        return
    field = "likes" if reaction.kind == "Like" else "announces"
    Reactions.objects.filter(entry_id=reaction.entry_id, **{f"{field}__gt": 0}).update(
        **{field: F(field) - 1}
    )
    reaction.delete()
    _reactions_changed(reaction.entry_id)


# The practitioners' group ----------------------------------------------------------------------
@transaction.atomic
def received_approve(*, received: Received, acting_user: Any) -> Received:
    """The hosting team approves a post to a group: the group relays it to its followers
    (an Announce, as Lemmy and Guppe do)."""
    received = Received.objects.select_for_update().select_related("local").get(pk=received.pk)
    if received.approved:
        return received
    received.approved = True
    received.save(update_fields=["approved"])
    group = received.local
    if group.kind != LocalActor.Kind.GROUP:
        return received
    from .queries import delivery_inboxes

    # The post itself travels inside the Announce (as Lemmy's relays do): a note on a
    # Dragoman or Mastodon server need not be fetchable by its id, and the team approved
    # exactly this text. Every follower's inbox gets it, the author's server too (it may
    # have other followers of the group behind the same shared inbox).
    announce = activities.activity(
        "Announce",
        group,
        received.document or received.object_id,
        to=[activities.PUBLIC],
        cc=[activities.actor_id(group) + "/followers"],
    )
    deliveries.send_after_commit(actor=group, inboxes=delivery_inboxes([group]), document=announce)
    return received


def relay_received(*, local: LocalActor, group: RemoteActor, note: dict[str, Any]) -> Received:
    """A post relayed by a group one of our actors follows (an ``Announce`` with the post
    inside): kept for that actor, as from the group, which vouches for it; never a comment,
    whatever it replies to."""
    author = domain_of(_text_id(note.get("attributedTo")))
    note = _media_checked(note, group.domain, author)
    received, _created = Received.objects.get_or_create(
        object_id=str(note.get("id") or "")[:600],
        local=local,
        defaults={
            "actor": group,
            "kind": str(note.get("type", ""))[:40],
            "in_reply_to": _text_id(note.get("inReplyTo"))[:600],
            "content": str(note.get("content", "")),
            "document": note,
        },
    )
    return received


def _text_id(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) else ""
