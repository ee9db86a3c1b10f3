"""What an import remembers of its source, so that a second run updates instead of copying.

Each imported thing (a blogger, an entry, a comment, an image) has one `SourceItem`: the
source it came from (a WordPress site's address, a Ghost site's, a Dragoman archive's), its
kind, its identifier there, and the row it became here. A re-run finds the row through it;
its `checksum` says whether the source changed since, so an unchanged entry is skipped and an
interrupted run resumes where it stopped.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceItem(models.Model):
    class Kind(models.TextChoices):
        BLOGGER = "blogger", _("Blogger")
        BLOG = "blog", _("Blog")
        ENTRY = "entry", _("Entry")
        COMMENT = "comment", _("Comment")
        IMAGE = "image", _("Image")
        DOCUMENT = "document", _("Document")

    source = models.CharField(_("source"), max_length=255)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    source_id = models.CharField(_("identifier in the source"), max_length=255)
    target_id = models.BigIntegerField(_("identifier here"))
    checksum = models.CharField(_("checksum of the source item"), max_length=64, blank=True)
    imported_at = models.DateTimeField(_("imported"), auto_now=True)

    class Meta:
        verbose_name = _("imported item")
        verbose_name_plural = _("imported items")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "source_id"], name="migration_source_item_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.kind} {self.source_id} → {self.target_id}"
