"""Federation (ActivityPub): our actors and their keys, the remote actors and servers we talk
to, who follows whom, what arrived, and the digital team's blocks.

Our actors are the blogs, the bloggers and the practitioners' groups. Each keeps its RSA key
pair here, made once when the actor is first asked for; its ``username`` (the part before the
@ of ``acct:``) is fixed then, so that a blog renamed later keeps its followers.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


class LocalActor(models.Model):
    class Kind(models.TextChoices):
        BLOG = "blog", _("Blog")
        BLOGGER = "blogger", _("Blogger")
        GROUP = "group", _("Discussion group")
        # The server itself (Mastodon's "instance actor"): signs our fetches of other
        # servers' documents, which servers in authorized-fetch mode require.
        INSTANCE = "instance", _("This server")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    username = models.SlugField(_("username"), max_length=150, unique=True)
    blog = models.OneToOneField(
        "blogs.BlogPage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="federation_actor",
    )
    blogger = models.OneToOneField(
        "blogs.Blogger",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="federation_actor",
    )
    # A group's own name and description (blogs and bloggers take theirs from their page).
    name = models.CharField(_("name"), max_length=200, blank=True)
    summary = models.TextField(_("description"), max_length=2000, blank=True)
    manually_approves_followers = models.BooleanField(
        _("the digital team approves each follower"), default=False
    )
    private_key_pem = models.TextField(editable=False)
    public_key_pem = models.TextField(editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("federated actor")
        verbose_name_plural = _("federated actors")

    def __str__(self) -> str:
        return f"{self.username} ({self.get_kind_display()})"


class RemoteServer(models.Model):
    """Another server we deliver to: its health decides whether we try it now."""

    domain = models.CharField(_("domain"), max_length=255, unique=True)
    failures = models.PositiveIntegerField(default=0)
    failing_since = models.DateTimeField(null=True, blank=True)
    paused_until = models.DateTimeField(null=True, blank=True)
    dropped = models.BooleanField(
        _("dropped"), default=False, help_text=_("Failed for days: no more deliveries.")
    )
    last_success_at = models.DateTimeField(null=True, blank=True)
    # The signature scheme it accepted last ("rfc9421" or "cavage"; empty: not known yet).
    signature_scheme = models.CharField(max_length=10, blank=True)

    class Meta:
        verbose_name = _("remote server")
        verbose_name_plural = _("remote servers")

    def __str__(self) -> str:
        return self.domain


class RemoteActor(models.Model):
    """A copy of another server's actor document, refreshed when older than a day."""

    uri = models.URLField(max_length=500, unique=True)
    domain = models.CharField(max_length=255, db_index=True)
    kind = models.CharField(max_length=40, default="Person")
    preferred_username = models.CharField(max_length=200, blank=True)
    name = models.CharField(max_length=300, blank=True)
    url = models.URLField(max_length=500, blank=True)
    inbox = models.URLField(max_length=500)
    shared_inbox = models.URLField(max_length=500, blank=True)
    key_id = models.CharField(max_length=600, blank=True, db_index=True)
    public_key_pem = models.TextField(blank=True)
    fetched_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("remote actor")
        verbose_name_plural = _("remote actors")

    def __str__(self) -> str:
        return self.handle

    @property
    def handle(self) -> str:
        name = self.preferred_username or self.uri.rstrip("/").rsplit("/", 1)[-1]
        return f"@{name}@{self.domain}"

    @property
    def delivery_inbox(self) -> str:
        return self.shared_inbox or self.inbox


class Follow(models.Model):
    """A follow between one of our actors and a remote one, in either direction."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    class Direction(models.TextChoices):
        INCOMING = "in", _("They follow us")
        OUTGOING = "out", _("We follow them")

    local = models.ForeignKey(LocalActor, on_delete=models.CASCADE, related_name="follows")
    remote = models.ForeignKey(RemoteActor, on_delete=models.CASCADE, related_name="follows")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    activity_id = models.URLField(max_length=600)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(
                fields=["local", "remote", "direction"], name="federation_follow_once"
            )
        ]

    def __str__(self) -> str:
        arrow = "<-" if self.direction == self.Direction.INCOMING else "->"
        return f"{self.local.username} {arrow} {self.remote.handle} ({self.status})"


class Delivered(models.Model):
    """What the followers were last sent about an entry: decides Create, Update or Delete."""

    entry_id = models.BigIntegerField(unique=True)
    object_id = models.URLField(max_length=500)
    actor = models.ForeignKey(LocalActor, null=True, on_delete=models.SET_NULL, related_name="+")
    deleted = models.BooleanField(default=False)
    # The ids of the actors (blog and bloggers) whose followers were told: a Delete must
    # reach all of them, and once the entry is deleted its bloggers can no longer be read.
    audience = models.JSONField(default=list)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.object_id


class RemoteReply(models.Model):
    """A reply that came from another server, and the comment it became."""

    object_id = models.URLField(max_length=600, unique=True)
    actor = models.ForeignKey(RemoteActor, on_delete=models.CASCADE, related_name="replies")
    comment = models.OneToOneField(
        "conversations.Comment", on_delete=models.CASCADE, related_name="remote_reply"
    )
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reply from another server")
        verbose_name_plural = _("replies from other servers")

    def __str__(self) -> str:
        return f"{self.actor.handle}: {self.object_id}"


class Received(models.Model):
    """An object another server sent one of our actors (an entry of a followed blog, a post
    to a group, an answer to one of our replies): kept, and shown to the team."""

    object_id = models.URLField(max_length=600)
    local = models.ForeignKey(LocalActor, on_delete=models.CASCADE, related_name="received")
    actor = models.ForeignKey(RemoteActor, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    in_reply_to = models.URLField(max_length=600, blank=True)
    content = models.TextField(blank=True)
    document = models.JSONField(default=dict)
    approved = models.BooleanField(
        _("approved"), default=False, help_text=_("For a group: relayed to its followers.")
    )
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("received post")
        verbose_name_plural = _("received posts")
        constraints = [
            models.UniqueConstraint(fields=["object_id", "local"], name="federation_received_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


class Reactions(models.Model):
    """Likes and boosts of an entry, counted only (never who)."""

    entry_id = models.BigIntegerField(unique=True)
    likes = models.PositiveIntegerField(default=0)
    announces = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"entry {self.entry_id}: {self.likes} likes, {self.announces} boosts"


class Reaction(models.Model):
    """One Like or Announce, kept only so that an Undo or a repeat counts right."""

    activity_id = models.URLField(max_length=600, unique=True)
    actor_uri = models.URLField(max_length=500)
    entry_id = models.BigIntegerField()
    kind = models.CharField(max_length=10)

    def __str__(self) -> str:
        return f"{self.kind} {self.activity_id}"


class Severity(models.TextChoices):
    BLOCK = "suspend", _("Block: nothing in, nothing out")
    SILENCE = "silence", _("Silence: replies are refused")
    NOOP = "noop", _("No restriction (only reject media)")


class DomainBlock(models.Model):
    """A server the digital team blocks, or one from a subscribed blocklist."""

    domain = models.CharField(_("domain"), max_length=255)
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.BLOCK
    )
    reject_media = models.BooleanField(_("reject media"), default=False)
    public_comment = models.CharField(_("public reason"), max_length=500, blank=True)
    # Empty for the team's own; the subscription's address for an imported one.
    source = models.URLField(_("from blocklist"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("blocked server")
        verbose_name_plural = _("blocked servers")
        constraints = [
            models.UniqueConstraint(fields=["domain", "source"], name="federation_block_once")
        ]

    def __str__(self) -> str:
        return f"{self.domain} ({self.get_severity_display()})"


class ActorBlock(models.Model):
    uri = models.URLField(_("actor address"), max_length=500, unique=True)
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.BLOCK
    )
    public_comment = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("blocked account")
        verbose_name_plural = _("blocked accounts")

    def __str__(self) -> str:
        return self.uri


class BlocklistSubscription(models.Model):
    """Another ministry's published blocklist (Mastodon CSV), refreshed daily."""

    url = models.URLField(_("address"), max_length=500, unique=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("blocklist subscription")
        verbose_name_plural = _("blocklist subscriptions")

    def __str__(self) -> str:
        return self.url


@register_setting(icon="globe")
class FederationSettings(BaseGenericSetting):
    count_reactions = models.BooleanField(_("count likes and boosts on entries"), default=False)

    class Meta:
        verbose_name = _("federation")
