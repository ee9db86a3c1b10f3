"""Members-only communities: who belongs, how they join, and what they share inside.

A community owns a Django group (its members, managers included), a second one for its
managers' rights in the Wagtail admin (`rights.py`), and, when it has one, a
private blog: a `BlogPage` with a Wagtail view restriction for that group, so the one rule of
what a reader may see (`dragoman.blogs.models.visible_q`) keeps its entries out of every
public list, feed, count and search without knowing communities exist. Everything else of a
community (threads, events, the directory, attachments) lives in these tables and is only
ever read through `queries.py`, which asks for a membership first.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.storage import FileSystemStorage, Storage
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The profile fields a member may choose to show in the directory.
PROFILE_FIELDS = {
    "organisation": _("organisation"),
    "city": _("city"),
    "bio": _("about me"),
    "email": _("email address"),
}

# What a member sets about themselves (their settings page; `services.profile_update`).
MEMBER_SETTINGS = (
    "display_name",
    "organisation",
    "city",
    "bio",
    "in_directory",
    "shown_fields",
    "notify_replies",
)


def token_new() -> str:
    """A random secret for an address (invitation link, private feed): 256 bits."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What is stored of a secret: a leaked table gives no working address."""
    return hashlib.sha256(token.encode()).hexdigest()


class Community(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), max_length=2000)
    languages = models.JSONField(
        _("languages"), default=list, help_text=_("Language codes the community writes in.")
    )
    listed = models.BooleanField(
        _("listed"),
        default=False,
        help_text=_("A listed community has a public page where people may ask to join."),
    )
    how_to_join = models.TextField(_("how to join"), blank=True, max_length=2000)
    group = models.OneToOneField(
        Group, verbose_name=_("group"), on_delete=models.PROTECT, related_name="community"
    )
    # Its managers' rights in the Wagtail admin (rights.py); its managers are also members.
    managers = models.OneToOneField(
        Group,
        verbose_name=_("managers' group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_community",
    )
    blog = models.OneToOneField(
        "blogs.BlogPage",
        verbose_name=_("private blog"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="community",
    )
    # Where its images and documents go: restricted to its group, kept outside the public
    # media (media.py).
    collection = models.OneToOneField(
        "wagtailcore.Collection",
        verbose_name=_("images and documents"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="community",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("communities:home", args=[self.slug])


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("member")
        MANAGER = "manager", _("manager")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        REMOVED = "removed", _("removed")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    joined_at = models.DateTimeField(default=timezone.now)
    display_name = models.CharField(_("name shown to members"), max_length=120)
    organisation = models.CharField(_("organisation"), max_length=120, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    bio = models.TextField(_("about me"), max_length=1000, blank=True)
    in_directory = models.BooleanField(_("appear in the member directory"), default=False)
    shown_fields = models.JSONField(_("fields shown in the directory"), default=list, blank=True)
    notify_replies = models.BooleanField(_("email me when someone replies to me"), default=False)
    # A digest of the private feed's token; empty when the member has none (or revoked it).
    feed_token_digest = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "user"], name="one_membership_each")
        ]
        ordering = ["display_name"]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.community})"

    @property
    def is_manager(self) -> bool:
        return self.role == self.Role.MANAGER

    def shown_profile(self) -> list[tuple[str, str]]:
        """(label, value) of each profile field this member chose to show."""
        shown = []
        for name, label in PROFILE_FIELDS.items():
            if name not in self.shown_fields:
                continue
            value = self.user.email if name == "email" else getattr(self, name)
            if value:
                shown.append((str(label), value))
        return shown


class Invitation(models.Model):
    """A personal invitation (one email address, used once) or a shareable link."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"), blank=True)
    token_digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("expires"))
    max_uses = models.PositiveIntegerField(_("use limit"), default=1)
    uses = models.PositiveIntegerField(default=0)
    revoked = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.email or f"link {self.pk}"

    @property
    def is_link(self) -> bool:
        return not self.email

    def usable(self, now: Any = None) -> bool:
        return (
            not self.revoked
            and self.uses < self.max_uses
            and self.expires_at > (now or timezone.now())
        )


class JoinRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="requests")
    name = models.CharField(_("your name"), max_length=120)
    email = models.EmailField(_("your email address"))
    message = models.TextField(_("why you would like to join"), max_length=2000, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class Topic(models.Model):
    """A discussion thread: a title and the replies under it (the opening one first)."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="topics")
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="topics"
    )
    language = models.CharField(max_length=10, choices=settings.CONTENT_LANGUAGES, default="en")
    created_at = models.DateTimeField(default=timezone.now)
    last_reply_at = models.DateTimeField(default=timezone.now)
    hidden = models.BooleanField(default=False)
    locked = models.BooleanField(default=False)

    class Meta:
        ordering = ["-last_reply_at"]

    def __str__(self) -> str:
        return self.title


class Reply(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="replies"
    )
    # The reply this one answers (its author may be told by email).
    answers = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="answered_by"
    )
    body = models.TextField(_("message"), max_length=10000)
    created_at = models.DateTimeField(default=timezone.now)
    hidden = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"reply {self.pk} in {self.topic_id}"


class PrivateFileStorage(FileSystemStorage):
    """Where attachments are kept: outside MEDIA_ROOT, so no front server or public address
    ever serves them; only the members' view reads them. Read from the setting each time."""

    @property  # type: ignore[override]
    def base_location(self) -> str:
        return str(settings.DRAGOMAN_COMMUNITY_FILES_ROOT)

    @property  # type: ignore[override]
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    @property  # type: ignore[override]
    def base_url(self) -> str:
        return ""  # no public address: never served as a URL


def private_storage() -> Storage:
    return PrivateFileStorage()


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"communities/{instance.reply.topic.community_id}/{token_new()}/{filename}"


class Attachment(models.Model):
    """A file added to a reply: kept in the private storage, never under the public media."""

    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, storage=private_storage, max_length=300)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    def __str__(self) -> str:
        return self.name


class Event(models.Model):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="events")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    link = models.URLField(_("online link"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return self.title


class AuditEntry(models.Model):
    """One manager action, kept after the people it names have left."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="audit")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150)
    action = models.CharField(max_length=40)
    detail = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.actor_name}: {self.action}"
