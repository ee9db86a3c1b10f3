"""Conversations: readers' comments under entries, their moderation, and official replies.

A comment belongs to an entry (and, denormalised, to the entry's blog, so that the queue can
filter and the digital team can count per blog without walking the page tree). An official
reply is a comment whose `parent` is a reader's comment; there is one level of replies only.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from dragoman.blogs.models import VisibilityFields, visible_q

DEFAULT_CLOSE_AFTER_DAYS = 90


# A comment's entry, for the rule of what readers may see (blogs.models.visible_q).
COMMENT_ENTRY_FIELDS = VisibilityFields(live="entry__live", date="entry__date", path="entry__path")


class CommentQuerySet(models.QuerySet["Comment"]):
    def approved(self) -> CommentQuerySet:
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self) -> CommentQuerySet:
        return self.filter(status=Comment.Status.PENDING)

    def from_readers(self) -> CommentQuerySet:
        return self.filter(parent__isnull=True)

    def official_replies(self) -> CommentQuerySet:
        return self.filter(parent__isnull=False)

    def on_visible_entries(self) -> CommentQuerySet:
        # A comment under an entry readers may not see (a draft, a scheduled entry, a private
        # blog's) must not leak through "Recent comments" or the comment feeds.
        return self.filter(visible_q(COMMENT_ENTRY_FIELDS))


class Comment(models.Model):
    """A reader's comment, or a blogger's or moderator's official reply to one."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        SPAM = "spam", _("Spam")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    entry = models.ForeignKey(
        "blogs.EntryPage",
        verbose_name=_("entry"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    blog = models.ForeignKey(
        "blogs.BlogPage",
        verbose_name=_("blog"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("reply to"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    name = models.CharField(_("name"), max_length=80)
    # Never shown; used only to tell an opted-in reader, and purged after the retention period.
    email = models.EmailField(_("email"), blank=True)
    notify = models.BooleanField(_("email me when published or answered"), default=False)
    body = models.TextField(_("comment"), max_length=5000)
    # Derived from `body` by the service (escaped, paragraphs, links); never edited by hand.
    body_html = models.TextField(editable=False, default="")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    rejection_reason = models.CharField(_("reason for rejection"), max_length=500, blank=True)
    # Official replies: who answered, with the name and job title as they were that day
    # (diplomats rotate; the reply keeps the title under which it was given).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="official_replies",
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    # HMAC of the client address with SECRET_KEY: enough to spot abuse, never the address.
    ip_hash = models.CharField(max_length=64, blank=True, editable=False)
    body_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    created_at = models.DateTimeField(_("written"), default=timezone.now, db_index=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    personal_data_purged = models.BooleanField(default=False, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        permissions = [("moderate_comment", _("Can moderate comments and reply officially"))]
        indexes = [
            models.Index(fields=["entry", "status", "created_at"], name="comment_entry_status"),
            models.Index(fields=["blog", "status", "created_at"], name="comment_blog_status"),
            # Recent comments, newest first, read from the index in order. With the id last,
            # as they are ordered: comments published in the same instant (an import's, a
            # seed's) were otherwise all read and sorted, 4,839 of them at each render at
            # 1,000,000 entries.
            models.Index(
                fields=["status", "published_at", "id"], name="comment_status_published_id"
            ),
            # A blog's, the same way: the network-wide one above made them a walk through
            # every blog's comments.
            models.Index(
                fields=["blog", "status", "published_at", "id"], name="comment_blog_published_id"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.body[:50]}"

    @property
    def is_official(self) -> bool:
        return self.parent_id is not None

    @property
    def waiting_time(self) -> timedelta:
        return timezone.now() - self.created_at


class BlogConversationSettings(models.Model):
    """How one blog takes comments. A blog without a row uses the defaults."""

    class Mode(models.TextChoices):
        PRE_MODERATION = "pre", _("Pre-moderation: a moderator approves each comment first")
        POST_MODERATION = "post", _("Post-moderation: comments appear at once, may be removed")
        CLOSED = "closed", _("Closed: no new comments")

    blog = models.OneToOneField(
        "blogs.BlogPage",
        verbose_name=_("blog"),
        on_delete=models.CASCADE,
        related_name="conversation_settings",
    )
    mode = models.CharField(
        _("moderation"), max_length=6, choices=Mode.choices, default=Mode.PRE_MODERATION
    )
    close_after_days = models.PositiveIntegerField(
        _("close comments after (days)"),
        default=DEFAULT_CLOSE_AFTER_DAYS,
        help_text=_("Comments close this many days after an entry's publication date."),
    )

    panels = [FieldPanel("blog"), FieldPanel("mode"), FieldPanel("close_after_days")]

    class Meta:
        verbose_name = _("blog conversation settings")
        verbose_name_plural = _("blog conversation settings")

    def __str__(self) -> str:
        return str(self.blog)


@register_setting(icon="comment")
class NetworkConversationSettings(BaseGenericSetting):
    """Network-wide switches the digital team controls: closing all conversations, blocklist."""

    comments_closed = models.BooleanField(
        _("close every comment form"),
        default=False,
        help_text=_("For a pre-election period or a crisis: closes all blogs at once."),
    )
    closed_banner = models.TextField(
        _("banner shown while closed"),
        blank=True,
        max_length=500,
        help_text=_("Explain to readers why comments are closed."),
    )
    reopen_at = models.DateTimeField(
        _("reopen at"),
        null=True,
        blank=True,
        help_text=_(
            "Comment forms reopen by themselves at this time. Leave empty to reopen by hand."
        ),
    )
    blocked_words = models.TextField(
        _("blocked words"),
        blank=True,
        help_text=_(
            "One word or phrase per line. A comment containing one is refused with a message."
        ),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("comments_closed"), FieldPanel("closed_banner"), FieldPanel("reopen_at")],
            heading=_("Close all conversations"),
        ),
        FieldPanel("blocked_words"),
    ]

    class Meta:
        verbose_name = _("conversation settings")

    @property
    def blocklist(self) -> list[str]:
        return [line.strip().casefold() for line in self.blocked_words.splitlines() if line.strip()]
