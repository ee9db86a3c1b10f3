"""The JSON documents we publish: actors, entries as Articles, and the activities that carry
them. Pure functions of our models; nothing here writes or talks to the network."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from dragoman.blogs.models import BlogPage, EntryPage
from dragoman.blogs.queries import entry_image
from dragoman.channels.queries import blog_channels, blogger_channels

from .models import LocalActor

CONTEXT = [
    "https://www.w3.org/ns/activitystreams",
    "https://w3id.org/security/v1",
    {
        "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
        "PropertyValue": "schema:PropertyValue",
        "schema": "http://schema.org#",
        "value": "schema:value",
        "Hashtag": "as:Hashtag",
    },
]
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


def absolute(path: str) -> str:
    return f"{settings.BASE_URL}{path}"


def actor_id(actor: LocalActor) -> str:
    if actor.kind == LocalActor.Kind.INSTANCE:
        return absolute(reverse("federation:instance_actor"))
    return absolute(reverse("federation:actor", kwargs={"username": actor.username}))


def key_id(actor: LocalActor) -> str:
    return actor_id(actor) + "#main-key"


def shared_inbox() -> str:
    return absolute(reverse("federation:shared_inbox"))


def entry_object_id(entry_id: int) -> str:
    """An entry's id in the fediverse: its permanent address, which never changes."""
    # Under the default language's address (no prefix), whatever language is active.
    with translation.override(settings.LANGUAGE_CODE):
        return absolute(reverse("blogs:entry_permalink", kwargs={"pk": entry_id}))


def new_activity_id() -> str:
    return absolute(reverse("federation:activity", kwargs={"key": uuid.uuid4().hex}))


def host() -> str:
    return settings.BASE_URL.split("://", 1)[1].split("/", 1)[0]


def _image(image: Any) -> dict[str, Any] | None:
    if image is None:
        return None
    rendition = image.get_rendition("fill-1200x630")
    return {"type": "Image", "mediaType": "image/jpeg", "url": absolute_url(rendition.url)}


def absolute_url(url: str) -> str:
    return url if "://" in url else absolute(url)


def _property(name: str, url: str) -> dict[str, str]:
    """A profile field as Mastodon shows it: a link with rel="me" is checked, and marked."""
    link = escape(url)
    return {
        "type": "PropertyValue",
        "name": name,
        "value": f'<a href="{link}" rel="me nofollow noopener" target="_blank">{link}</a>',
    }


def instance_document(actor: LocalActor) -> dict[str, Any]:
    """The server's own actor: only a key (its inbox is the shared one; it follows nobody)."""
    base = actor_id(actor)
    return {
        "@context": CONTEXT,
        "id": base,
        "type": "Application",
        "preferredUsername": host(),
        "name": settings.SITE_NAME,
        "url": absolute("/"),
        "inbox": shared_inbox(),
        "outbox": base + "/outbox",
        "endpoints": {"sharedInbox": shared_inbox()},
        "manuallyApprovesFollowers": True,
        "discoverable": False,
        "publicKey": {"id": key_id(actor), "owner": base, "publicKeyPem": actor.public_key_pem},
    }


def actor_document(actor: LocalActor) -> dict[str, Any]:
    if actor.kind == LocalActor.Kind.INSTANCE:
        return instance_document(actor)
    base = actor_id(actor)
    document: dict[str, Any] = {
        "@context": CONTEXT,
        "id": base,
        "preferredUsername": actor.username,
        "inbox": base + "/inbox",
        "outbox": base + "/outbox",
        "followers": base + "/followers",
        "following": base + "/following",
        "endpoints": {"sharedInbox": shared_inbox()},
        "manuallyApprovesFollowers": actor.manually_approves_followers,
        "discoverable": True,
        "publicKey": {"id": key_id(actor), "owner": base, "publicKeyPem": actor.public_key_pem},
        "published": actor.created_at.isoformat(),
    }
    fields: list[dict[str, str]] = []
    if actor.kind == LocalActor.Kind.BLOG and actor.blog is not None:
        blog: BlogPage = actor.blog
        document.update(
            type="Service",
            name=blog.title,
            summary=f"<p>{escape(blog.description)}</p>",
            url=blog.full_url or absolute(blog.url or "/"),
        )
        icon = _image(blog.top_image)
        if icon:
            document["image"] = icon
        fields = [_property(c.platform_label, c.url) for c in blog_channels(blog) if c.url]
    elif actor.kind == LocalActor.Kind.BLOGGER and actor.blogger is not None:
        blogger = actor.blogger
        document.update(
            type="Person",
            name=blogger.display_name,
            summary=f"<p>{escape(blogger.job_title)}</p><p>{escape(blogger.bio)}</p>",
            url=absolute(blogger.get_absolute_url()),
        )
        icon = _image(blogger.photo)
        if icon:
            document["icon"] = icon
        fields = [_property(c.platform_label, c.url) for c in blogger_channels(blogger) if c.url]
    else:
        document.update(
            type="Group",
            name=actor.name or actor.username,
            summary=f"<p>{escape(actor.summary)}</p>",
            url=base,
            # Lemmy and Guppe mark groups so; posts to the group are relayed as Announces.
            postingRestrictedToMods=False,
        )
    if fields:
        document["attachment"] = fields
    return document


def article(entry: EntryPage, *, authors: list[str]) -> dict[str, Any]:
    """An entry as an ActivityPub Article (title, summary, content, language, tags, image)."""
    object_id = entry_object_id(entry.pk)
    blog = entry.get_parent().specific
    blog_actor = LocalActor.objects.filter(blog_id=blog.pk).first()
    attributed = [actor_id(blog_actor)] if blog_actor else []
    followers = [actor_id(blog_actor) + "/followers"] if blog_actor else []
    tags = [
        {
            "type": "Hashtag",
            "name": "#" + tag.name.replace(" ", ""),
            "href": absolute(reverse("blogs:tag_detail", kwargs={"tag": tag.slug})),
        }
        for tag in entry.tags.all()
    ]
    content = f"<h2>{escape(entry.title)}</h2>" + str(entry.body)
    document: dict[str, Any] = {
        "id": object_id,
        "type": "Article",
        "name": entry.title,
        "summary": entry.summary,
        "content": content,
        "contentMap": {entry.language: content},
        "url": entry.reader_url(),
        "published": entry.date.isoformat(),
        "updated": (entry.last_published_at or entry.date).isoformat(),
        "attributedTo": attributed + authors,
        "to": [PUBLIC],
        "cc": followers,
        "tag": tags,
        "replies": object_id,
    }
    image = _image(entry_image(entry, blog))
    if image:
        document["image"] = image
        document["attachment"] = [image]
    if entry.translation_of_id:
        document["translationOf"] = entry_object_id(entry.translation_of_id)
    translations = [
        entry_object_id(version.pk)
        for version in entry.language_versions()
        if version.pk != entry.pk
    ]
    if translations:
        document["translations"] = translations
    return document


def tombstone(entry_id: int) -> dict[str, Any]:
    return {"id": entry_object_id(entry_id), "type": "Tombstone"}


def activity(kind: str, actor: LocalActor, obj: Any, **extra: Any) -> dict[str, Any]:
    document = {
        "@context": CONTEXT[0],
        "id": new_activity_id(),
        "type": kind,
        "actor": actor_id(actor),
        "object": obj,
    }
    document.update(extra)
    return document
