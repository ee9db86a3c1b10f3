"""The search index: one row per live entry, denormalised for fast filtering and facets.

These rows are derived data, rebuilt from the page tree by `dragoman reindex`. Their foreign
keys carry no database constraint, so that the index never blocks deleting a page and bulk
loads (benchmarks, imports) need not go through Wagtail; signals remove rows of deleted
entries, and every result is checked against the live entries before a reader sees it.

Each engine adds what it needs on top with vendor-guarded SQL (migrations 0002 and 0005): an
FTS5 table on SQLite, a weighted `tsvector` column with a GIN index on PostgreSQL.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryDocument(models.Model):
    """What the search engines know about one live entry."""

    entry = models.OneToOneField(
        "blogs.EntryPage",
        verbose_name=_("entry"),
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    blog = models.ForeignKey(
        "blogs.BlogPage",
        verbose_name=_("blog"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    # The blog's mission: "what did the embassy in X say about Y".
    mission = models.ForeignKey(
        "missions.Mission",
        verbose_name=_("mission"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    country_code = models.CharField(_("country code"), max_length=2, blank=True, db_index=True)
    language = models.CharField(_("language"), max_length=10, db_index=True)
    date = models.DateTimeField(_("publication date"), db_index=True)
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    title = models.TextField(_("title"))
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body"), blank=True)
    tags = models.TextField(_("tags"), blank=True)
    authors = models.TextField(_("authors"), blank=True)
    # The tags' slugs, space-separated: the SQLite engine counts the tag facet from these
    # (held in its narrow index) instead of looking up every match's tag rows.
    tag_slugs = models.CharField(_("tag slugs"), max_length=1000, blank=True)
    # The entry's filter values (language, year, blog, mission, country, tags, bloggers) as
    # words of the SQLite engine's full-text index, so that FTS5 narrows the matches to a
    # filter itself rather than the database looking up every match's row: see
    # engines/sqlite.py. The other engines filter on the columns.
    filter_words = models.TextField(_("filter words"), blank=True)
    # PostgreSQL's text search configuration (stemmer) for the entry's language.
    text_config = models.CharField(_("text search configuration"), max_length=32)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        indexes = [models.Index(fields=["blog", "date"], name="search_doc_blog_date")]

    def __str__(self) -> str:
        return self.title


class IndexedTag(models.Model):
    """A tag of an indexed entry, for the tag filter and the tag facet."""

    document = models.ForeignKey(
        EntryDocument, on_delete=models.CASCADE, db_constraint=False, related_name="tag_rows"
    )
    slug = models.CharField(_("slug"), max_length=100)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        indexes = [
            models.Index(fields=["slug", "document"], name="search_tag_slug_doc"),
            # Covers the tag facet: the slugs of each matching document without reading rows.
            models.Index(fields=["document", "slug"], name="search_tag_doc_slug"),
        ]

    def __str__(self) -> str:
        return self.name


class IndexedAuthor(models.Model):
    """A blogger credited on an indexed entry, for the blogger filter."""

    document = models.ForeignKey(
        EntryDocument, on_delete=models.CASCADE, db_constraint=False, related_name="author_rows"
    )
    blogger = models.ForeignKey(
        "blogs.Blogger", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["blogger", "document"], name="search_author_doc")]

    def __str__(self) -> str:
        return f"{self.blogger_id} on {self.document_id}"
