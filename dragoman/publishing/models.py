"""What publishing remembers between changes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryFootprint(models.Model):
    """Where an entry showed when it was last refreshed.

    A change can take an entry away from a tag, an author, a month or a blog; the pages it
    left must be refreshed too, and after the change (or a deletion) only this record still
    knows them. No foreign key: the footprint must outlive a deleted entry.
    """

    entry_id = models.BigIntegerField(_("entry"), unique=True)
    live = models.BooleanField(_("live"), default=False)
    blog_id = models.BigIntegerField(_("blog"), null=True, blank=True)
    blog_slug = models.CharField(_("blog slug"), max_length=255, blank=True)
    date = models.DateTimeField(_("publication date"), null=True, blank=True)
    blogger_slugs = models.JSONField(_("blogger slugs"), default=list, blank=True)
    tag_slugs = models.JSONField(_("tag slugs"), default=list, blank=True)
    url_path = models.TextField(_("address in the page tree"), blank=True)

    class Meta:
        verbose_name = _("entry footprint")
        verbose_name_plural = _("entry footprints")

    def __str__(self) -> str:
        return f"entry {self.entry_id}"
