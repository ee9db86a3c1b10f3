"""Who may write where: the link between a blog and its Wagtail group, and invitations.

Permissions themselves are Wagtail's (groups, GroupPagePermission on each blog's subtree,
workflows); these models only remember which group belongs to which blog and who invited
whom, so that granting and revoking never depend on a group's name.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _


class BlogAccess(models.Model):
    """The Wagtail group whose members may write on one blog."""

    blog = models.OneToOneField(
        "blogs.BlogPage", verbose_name=_("blog"), on_delete=models.CASCADE, related_name="access"
    )
    group = models.OneToOneField(
        Group, verbose_name=_("group"), on_delete=models.CASCADE, related_name="blog_access"
    )

    class Meta:
        verbose_name = _("blog access")
        verbose_name_plural = _("blog access")

    def __str__(self) -> str:
        return self.group.name


class Invitation(models.Model):
    """A person invited to blog; the one-time link to set a password is derived from it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.CASCADE,
        related_name="invitation",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        # The digital team's one power over people: inviting and revoking bloggers.
        permissions = [("manage_bloggers", _("Can invite bloggers and revoke their access"))]

    def __str__(self) -> str:
        return str(self.user)
