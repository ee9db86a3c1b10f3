"""Blogs, bloggers and entries.

The page tree is Home → Blogs (one index) → Blog → Entry, so that editors get Wagtail's
drafts, revisions, previews, scheduling and per-blog permissions. Bloggers are plain models
(snippets): a profile is not a page anyone drafts.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageManager, PageViewRestriction
from wagtail.query import PageQuerySet
from wagtail.search import index

from dragoman.core import languages
from dragoman.core.prepared import PreparedQuery
from dragoman.publishing.fragments import remembered

from .blocks import EntryBodyBlock
from .forms import EntryPageForm

# Sub-addresses of a blog (see blogs/urls.py); an entry may not take one of these as its slug.
RESERVED_ENTRY_SLUGS = frozenset({"archive", "tags", "feed", "rss", "atom", "comments"})
# An entry's address below the home page: blogs/<blog>/<entry>/.
ENTRY_ADDRESS_LENGTH = 3


def language_direction(language_code: str) -> str:
    """'rtl' for Arabic, Persian, Hebrew, Urdu...; 'ltr' otherwise."""
    return languages.direction(language_code)


class Blogger(index.Indexed, models.Model):
    """A person with permission to write; their public profile."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="blogger",
    )
    display_name = models.CharField(_("display name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    job_title = models.CharField(_("job title"), max_length=200)
    mission = models.ForeignKey(
        "missions.Mission",
        verbose_name=_("mission"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bloggers",
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    bio = models.TextField(_("short biography"), max_length=1000, blank=True)

    panels = [
        FieldPanel("display_name"),
        FieldPanel("slug"),
        FieldPanel("job_title"),
        FieldPanel("mission"),
        FieldPanel("photo"),
        FieldPanel("bio"),
        FieldPanel("user"),
    ]
    search_fields = [
        index.SearchField("display_name"),
        index.SearchField("job_title"),
        index.AutocompleteField("display_name"),
    ]

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("blogger")
        verbose_name_plural = _("bloggers")

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("blogs:blogger_detail", kwargs={"slug": self.slug})


class BestBitBase(Orderable):
    """One pick of the digital team's curated list, in the order they chose."""

    entry = models.ForeignKey(
        "blogs.EntryPage", verbose_name=_("entry"), on_delete=models.CASCADE, related_name="+"
    )
    panels = [FieldPanel("entry")]

    class Meta(Orderable.Meta):
        abstract = True


class NetworkPage(Page):
    """What every page of the network shares."""

    class Meta:
        abstract = True

    def get_view_restrictions(self) -> Any:
        # Wagtail looks up the restrictions of the page and its ancestors on every request
        # (two queries); while no page anywhere is private, there is nothing to look up.
        if not private_sections():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


def page_type_allow(label: str, *, under: Sequence[str]) -> None:
    """Let another app's page type ("campaigns.CampaignPage") live under these pages.

    The network's pages list the page types allowed under them, and blogs knows no app that
    builds on it; such an app adds its type here, from its ``AppConfig.ready``.
    """
    from django.apps import apps

    for parent_label in under:
        parent = apps.get_model(parent_label)
        if label not in parent.subpage_types:
            parent.subpage_types = [*parent.subpage_types, label]
            parent._clean_subpage_models = None  # Wagtail's memo of the list, read again


class HomePage(NetworkPage):
    """The network's front page ("Global conversations")."""

    introduction = models.TextField(_("introduction"), blank=True, max_length=500)

    content_panels = [
        *Page.content_panels,
        FieldPanel("introduction"),
        InlinePanel("best_bits", label=_("Best bits"), max_num=10),
    ]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["blogs.BlogIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from . import queries

        context = super().get_context(request, *args, **kwargs)
        preview = getattr(request, "is_preview", False)
        context.update(queries.home_page_context(home=self, preview=preview))
        return context

    def route(self, request: Any, path_components: list[str]) -> Any:
        """Find the page at an address in two queries (an entry in one), whatever its depth.

        Wagtail walks the tree a level at a time (two queries a level). No page type here
        routes its own sub-addresses, so the page whose tree address is the requested one is
        the page Wagtail would find; an address with no such page is left to Wagtail.
        """
        if path_components:
            url_path = f"{self.url_path}{'/'.join(path_components)}/"
            if len(path_components) == ENTRY_ADDRESS_LENGTH:
                from .queries import entry_at_address

                # Most addresses this deep are entries: one query finds one.
                entry = entry_at_address(url_path=url_path)
                if entry is not None:
                    return entry.route(request, [])
            found = _page_at_address(url_path=url_path)
            if found:
                model = ContentType.objects.get_for_id(found[0].content_type_id).model_class()
                if model is not None and issubclass(model, Page):
                    for page in _served_page(model)(pk=found[0].pk):
                        return page.route(request, [])
        return super().route(request, path_components)


# The route's two reads, compiled once (see dragoman/core/prepared.py): building them cost
# more than running them. Which page is at an address (its type only), then the page itself,
# of its own type, with what the type is served with (`served_with`).
_page_at_address = PreparedQuery(
    lambda url_path: (
        Page.objects.filter(url_path=url_path).order_by("path").only("content_type")[:1]
    ),
    url_path=str,
)
_served_pages: dict[type[Page], PreparedQuery[Any]] = {}


def _served_page(model: type[Page]) -> PreparedQuery[Any]:
    if model not in _served_pages:
        related = getattr(model, "served_with", ())
        _served_pages[model] = PreparedQuery(
            lambda pk: model._default_manager.select_related(*related).filter(pk=pk),
            pk=int,
        )
    return _served_pages[model]


class NetworkBestBit(BestBitBase):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="best_bits")


class BlogIndexPage(NetworkPage):
    """The single page under which every blog lives (/blogs/)."""

    parent_page_types = ["blogs.HomePage"]
    subpage_types = ["blogs.BlogPage"]
    max_count = 1

    class Meta:
        verbose_name = _("blog index")

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from . import queries

        context = super().get_context(request, *args, **kwargs)
        context["blogs"] = queries.all_blogs()
        return context


class BlogPage(NetworkPage):
    """A titled stream of entries with a description and a top image."""

    description = models.TextField(_("description"), max_length=1000)
    top_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("top image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    mission = models.ForeignKey(
        "missions.Mission",
        verbose_name=_("mission"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="blogs",
    )
    bloggers = ParentalManyToManyField(
        Blogger, verbose_name=_("bloggers"), related_name="blogs", blank=True
    )
    language = models.CharField(
        _("main language"),
        max_length=10,
        choices=settings.CONTENT_LANGUAGES,
        default="en",
        help_text=_("The language most of this blog's entries are written in."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("description"),
        FieldPanel("top_image"),
        FieldPanel("mission"),
        FieldPanel("bloggers"),
        FieldPanel("language"),
        InlinePanel("best_bits", label=_("Best bits"), max_num=10),
    ]
    parent_page_types = ["blogs.BlogIndexPage"]
    subpage_types = ["blogs.EntryPage"]
    # Read with the page when it is served (HomePage.route): its header shows both.
    served_with = ("mission", "top_image")

    class Meta:
        verbose_name = _("blog")

    @property
    def direction(self) -> str:
        return language_direction(self.language)

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from . import queries

        context = super().get_context(request, *args, **kwargs)
        context.update(
            queries.blog_page_context(
                blog=self,
                page_number=request.GET.get("page"),
                preview=getattr(request, "is_preview", False),
            )
        )
        return context


class BlogBestBit(BestBitBase):
    page = ParentalKey(BlogPage, on_delete=models.CASCADE, related_name="best_bits")


# What a reader may see: the one rule. An entry is visible to a reader when it is live, its
# date has come, and no private section it lies in (a Wagtail view restriction on it or an
# ancestor) keeps this reader out. Lists, pages, feeds, the sitemap, search and the counts all
# ask it, through the forms below: a filter over any model that holds the entry's values
# (`visible_q`, used by `EntryQuerySet.visible` and `EntryTagQuerySet.visible`, and compiled
# into the SQL of `queries.entry_neighbours`) and a predicate over values in memory
# (`is_visible`). Both read the same `visibility_conditions`, so the rule is written once.

# Whoever asks: a signed-in user, Django's anonymous user, or None for the anonymous public.
Reader = Any


class _Admitted:
    """The reader of a page Wagtail serves: already let past its sections' restrictions."""


ADMITTED = _Admitted()


@dataclass(frozen=True)
class PrivateSection:
    """Where a private part of the tree starts (a Wagtail view restriction), and its kind."""

    restriction_id: int
    path: str
    restriction_type: str


@remembered(lambda: [])  # a page turning private or public refreshes the whole site
def private_sections() -> list[PrivateSection]:
    """Every private section of the tree (Wagtail's view restrictions), by path.

    Not their groups: Wagtail's admin sets those after saving the restriction, which nothing
    announces, so they are read when a signed-in reader asks (`section_passes`).
    """
    rows = PageViewRestriction.objects.order_by("page__path", "pk").values_list(
        "pk", "page__path", "restriction_type"
    )
    return [PrivateSection(pk, path, kind) for pk, path, kind in rows]


def _in_groups_of(section: PrivateSection, reader: Reader) -> bool:
    # Remembered on the user object, which lives for one request: the rule is asked there
    # several times.
    known: dict[int, bool] = reader.__dict__.setdefault("_dragoman_sections_passed", {})
    if section.restriction_id not in known:
        known[section.restriction_id] = PageViewRestriction.groups.through.objects.filter(
            pageviewrestriction_id=section.restriction_id, group__user=reader
        ).exists()
    return known[section.restriction_id]


def section_passes(section: PrivateSection, reader: Reader = None) -> bool:
    """Whether this reader may see what a private section holds, in lists as on its pages.

    As Wagtail decides on a page (`BaseViewRestriction.accept_request`): "login" lets in any
    signed-in user, "groups" the members of its groups (and superusers). A password is given
    on one page and remembered in a session: a list, a feed or a count cannot ask for it, so
    a password section never passes here.
    """
    if section.restriction_type == PageViewRestriction.NONE or reader is ADMITTED:
        return True
    if reader is None or not reader.is_authenticated:
        return False
    if section.restriction_type == PageViewRestriction.LOGIN:
        return True
    if section.restriction_type == PageViewRestriction.GROUPS:
        return bool(reader.is_superuser or _in_groups_of(section, reader))
    return False


def hidden_paths(reader: Reader = None) -> list[str]:
    """The tree paths where the sections this reader may not see start."""
    return sorted(
        {section.path for section in private_sections() if not section_passes(section, reader)}
    )


@dataclass(frozen=True)
class VisibilityFields:
    """Where a model keeps an entry's live flag, date and tree path (its own, or copies)."""

    live: str
    date: str
    path: str


ENTRY_FIELDS = VisibilityFields(live="live", date="date", path="path")
ENTRY_TAG_FIELDS = VisibilityFields(
    live="entry_live", date="entry_date", path="content_object__path"
)
ENTRY_AUTHOR_FIELDS = VisibilityFields(live="entry_live", date="entry_date", path="entry__path")

# One condition of the rule: (which value of the entry, lookup, operand, must it hold).
Condition = tuple[str, str, Any, bool]

_PYTHON_LOOKUPS: dict[str, Callable[[Any, Any], bool]] = {
    "exact": operator.eq,
    "lte": lambda value, operand: value is not None and value <= operand,
    "startswith": lambda value, operand: str(value or "").startswith(operand),
}


def visibility_conditions(*, reader: Reader = None, now: datetime) -> list[Condition]:
    """The rule itself: live, dated no later than now, in no section this reader may not see."""
    return [
        ("live", "exact", True, True),
        ("date", "lte", now, True),
        *[("path", "startswith", path, False) for path in hidden_paths(reader)],
    ]


def visible_q(
    fields: VisibilityFields = ENTRY_FIELDS, *, reader: Reader = None, now: datetime | None = None
) -> models.Q:
    """The rule as a filter over a model keeping the entry's values under these names."""
    condition = models.Q()
    for role, lookup, operand, holds in visibility_conditions(
        reader=reader, now=now or timezone.now()
    ):
        term = models.Q(**{f"{getattr(fields, role)}__{lookup}": operand})
        condition &= term if holds else ~term
    return condition


def is_visible(
    *,
    live: bool,
    date: datetime | None,
    path: str,
    reader: Reader = None,
    now: datetime | None = None,
) -> bool:
    """The rule for one entry's values in memory (a page being served, a footprint)."""
    values = {"live": live, "date": date, "path": path}
    return all(
        _PYTHON_LOOKUPS[lookup](values[role], operand) is holds
        for role, lookup, operand, holds in visibility_conditions(
            reader=reader, now=now or timezone.now()
        )
    )


class EntryTagQuerySet(models.QuerySet["EntryTag"]):
    def visible(self, reader: Reader = None, *, now: datetime | None = None) -> EntryTagQuerySet:
        """Taggings of the entries this reader may see, read from the copies kept on them."""
        return self.filter(visible_q(ENTRY_TAG_FIELDS, reader=reader, now=now))


class EntryTag(TaggedItemBase):
    content_object = ParentalKey(
        "blogs.EntryPage", on_delete=models.CASCADE, related_name="tagged_items"
    )
    # Copies of the entry's own fields (kept by EntryPage.save): a tag's page lists its
    # entries newest first from one index, without joining every tagged entry.
    entry_live = models.BooleanField(default=False, editable=False)
    entry_date = models.DateTimeField(null=True, blank=True, editable=False)

    objects = EntryTagQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(
                fields=["tag", "entry_live", "-entry_date", "-content_object"],
                name="entry_tag_listing",
            )
        ]


def entry_copies_write(*, entry_ids: Sequence[int] | None = None) -> None:
    """Copy each entry's live flag and date onto its taggings and its credits (all entries'
    when no ids).

    The one writer of `EntryTag` and `EntryAuthor`'s `entry_live`/`entry_date`: EntryPage.save
    calls it for the entry saved (after modelcluster has written the entry's taggings and
    credits, with whatever copies a revision held), `counts.rebuild` for every entry. Read from
    the database, not an object in memory: saving a draft revision saves only some fields, and
    the object then holds the draft's date.
    """
    for model, entry_column in ((EntryTag, "content_object_id"), (EntryAuthor, "entry_id")):
        entry = EntryPage.objects.filter(pk=models.OuterRef(entry_column))
        rows = model.objects.all()
        if entry_ids is not None:
            rows = rows.filter(**{f"{entry_column}__in": entry_ids})
        rows.update(
            entry_live=models.Subquery(entry.values("live")[:1]),
            entry_date=models.Subquery(entry.values("date")[:1]),
        )


# The entries whose copies wait to be written once for many (``entry_copies_deferred``).
_copies_waiting: ContextVar[dict[int, None] | None] = ContextVar(
    "dragoman_copies_waiting", default=None
)


@contextmanager
def entry_copies_deferred() -> Iterator[dict[int, None]]:
    """Inside, saving an entry notes it instead of writing its copies; the caller writes them
    for all the noted entries (``entry_copies_write``) before anything reads them.

    For ``services.entries_batch``: an entry's Wagtail path saves it up to three times, each
    save a copy written for nothing but the last (5 % of an import's time).
    """
    if (waiting := _copies_waiting.get()) is not None:  # part of the outer one
        yield waiting
        return
    waiting = {}
    token = _copies_waiting.set(waiting)
    try:
        yield waiting
    finally:
        _copies_waiting.reset(token)


class EntryQuerySet(PageQuerySet):
    def visible(self, reader: Reader = None, *, now: datetime | None = None) -> EntryQuerySet:
        """The entries this reader may see (None: the anonymous public); see `visible_q`."""
        return self.filter(visible_q(ENTRY_FIELDS, reader=reader, now=now))

    def for_blog(self, blog: BlogPage) -> EntryQuerySet:
        # What `child_of` says, from the entry's own column (kept as it moves): its index
        # gives a blog's entries by date, where the tree path gave the network's entries by
        # date to be filtered (a blog's page took 240 ms at 100,000 entries, now a few).
        return self.filter(blog=blog)

    def by_blogger(self, blogger: Blogger) -> EntryQuerySet:
        return self.filter(entry_authors__blogger=blogger)

    def tagged(self, slug: str) -> EntryQuerySet:
        return self.filter(tagged_items__tag__slug=slug)

    def newest_first(self) -> EntryQuerySet:
        return self.order_by("-date", "-pk")

    def in_language(self, language: str) -> EntryQuerySet:
        return self.filter(language=language)

    def translation_group(self, original_id: int) -> EntryQuerySet:
        """The original entry and every translation pointing at it."""
        return self.filter(models.Q(pk=original_id) | models.Q(translation_of_id=original_id))


EntryManager = PageManager.from_queryset(EntryQuerySet)


class EntryPage(NetworkPage):
    """One published piece of writing on a blog."""

    date = models.DateTimeField(
        _("publication date"),
        default=timezone.now,
        db_index=True,
        help_text=_("Shown as 'Posted on'; entries are listed and archived by this date."),
    )
    summary = models.TextField(
        _("summary"),
        max_length=600,
        help_text=_("One or two sentences shown in lists, feeds and shared links."),
    )
    body = StreamField(EntryBodyBlock(), verbose_name=_("body"))
    tags = ClusterTaggableManager(through=EntryTag, blank=True, verbose_name=_("tags"))
    language = models.CharField(
        _("language"), max_length=10, choices=settings.CONTENT_LANGUAGES, default="en"
    )
    comments_open = models.BooleanField(_("comments open"), default=True)
    # Translations are linked, not copied: each is its own page, published on its own, and
    # points at the original, so a group is the original plus the entries pointing at it.
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
        help_text=_("The original entry, if this entry is a translation of it."),
    )
    # The blog the entry is on, which is its parent in the tree: kept by save() and when the
    # entry moves, so that its neighbours on the blog are read from one index in date order
    # (the tree path alone made that a walk through the whole network's entries by date).
    blog = models.ForeignKey(
        "blogs.BlogPage",
        null=True,
        editable=False,
        on_delete=models.SET_NULL,  # deleting a blog deletes its entries, through the tree
        related_name="+",
        db_index=False,  # the index below starts with it
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("date"),
                FieldPanel("language"),
                FieldPanel("translation_of"),
                InlinePanel("entry_authors", min_num=1),
            ],
            heading=_("About this entry"),
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("tags"),
        FieldPanel("comments_open"),
    ]
    # Only for the admin's own search, which reads the table directly (settings: Wagtail's
    # fallback backend keeps no index). Readers search the index of dragoman.search.
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    base_form_class = EntryPageForm
    parent_page_types = ["blogs.BlogPage"]
    subpage_types: list[str] = []

    objects = EntryManager()

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        indexes = [models.Index(fields=["blog", "date", "page_ptr"], name="entry_by_blog_date")]

    # The credited bloggers when a read has already fetched them (the entry page's context),
    # so that the byline, the structured data and the author boxes need not ask again.
    known_authors: list[Blogger] | None = None

    @property
    def authors(self) -> list[Blogger]:
        """The credited bloggers in order (uses the prefetched credits when there are)."""
        if self.known_authors is not None:
            return self.known_authors
        return [credit.blogger for credit in self.entry_authors.all()]

    @property
    def direction(self) -> str:
        return language_direction(self.language)

    def language_versions(self) -> list[EntryPage]:
        """This entry and its live translations (one query, then remembered)."""
        from . import translations

        return translations.language_versions(self)

    def reader_url(self, language: str | None = None) -> str:
        """Full address, under the interface language that suits the entry's language."""
        from . import translations

        return translations.entry_url(self, language=language)

    def reader_path(self) -> str:
        """Address (path only) under the interface language that suits the entry's language."""
        from . import translations

        return translations.entry_path(self)

    def get_sitemap_urls(self, request: Any = None) -> list[dict[str, Any]]:
        from . import translations

        if not self.is_visible_to(None):
            return []
        return translations.sitemap_urls(self)

    def is_visible_to(self, reader: Reader = None, *, now: datetime | None = None) -> bool:
        """Whether this reader may see the entry: the rule of `visible_q`, for this object."""
        return is_visible(live=self.live, date=self.date, path=self.path, reader=reader, now=now)

    def serve(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        # Wagtail has already checked the view restrictions of the entry's sections (and
        # asked for a password or a login where they keep the reader out), so the rule is
        # asked for a reader who passed them. An editor's preview shows the entry as it will
        # be, draft or scheduled.
        if not getattr(request, "is_preview", False) and not self.is_visible_to(ADMITTED):
            raise Http404("This entry is not published yet.")
        return super().serve(request, *args, **kwargs)

    @property
    def original_id(self) -> int | None:
        """The id of the entry this one's translation group is named after."""
        return self.translation_of_id or self.pk

    def clean(self) -> None:
        super().clean()
        if self.slug in RESERVED_ENTRY_SLUGS:
            raise ValidationError(
                {
                    "slug": _("'%(slug)s' is reserved for the blog's own pages.")
                    % {"slug": self.slug}
                }
            )
        self.clean_translation_of()

    def clean_translation_of(self) -> None:
        """A translation points at an original (never at another translation), in a language
        no other entry of the group is written in."""
        original = self.translation_of
        if original is None:
            return
        if self.pk is not None and original.pk == self.pk:
            raise ValidationError({"translation_of": _("An entry cannot translate itself.")})
        if original.translation_of_id is not None:
            raise ValidationError(
                {"translation_of": _("Choose the original entry, not one of its translations.")}
            )
        if self.pk is not None and self.translations.exists():
            raise ValidationError(
                {
                    "translation_of": _(
                        "This entry has translations of its own, so it is an original."
                    )
                }
            )
        group = EntryPage.objects.filter(
            models.Q(pk=original.pk) | models.Q(translation_of=original)
        ).exclude(pk=self.pk)
        if group.filter(language=self.language).exists():
            raise ValidationError(
                {"language": _("This entry already has a translation in this language.")}
            )

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from . import queries

        context = super().get_context(request, *args, **kwargs)
        context.update(queries.entry_page_context(entry=self))
        return context

    def save(self, *args: Any, **kwargs: Any) -> Any:
        if self.path and kwargs.get("update_fields") is None:
            # From the tree, not from this object: a revision being published holds the
            # blog the entry was on when the revision was made.
            self.blog_id = (
                Page.objects.filter(path=self.path[: -self.steplen])
                .values_list("pk", flat=True)
                .first()
            )
        result = super().save(*args, **kwargs)
        if (waiting := _copies_waiting.get()) is not None:
            waiting[self.pk] = None
        else:
            entry_copies_write(entry_ids=[self.pk])
        return result


class EntryAuthorQuerySet(models.QuerySet["EntryAuthor"]):
    def visible(self, reader: Reader = None, *, now: datetime | None = None) -> EntryAuthorQuerySet:
        """Credits on the entries this reader may see, read from the copies kept on them."""
        return self.filter(visible_q(ENTRY_AUTHOR_FIELDS, reader=reader, now=now))


class EntryAuthor(Orderable):
    """A blogger credited on an entry, in the order the credit line shows."""

    entry = ParentalKey(EntryPage, on_delete=models.CASCADE, related_name="entry_authors")
    blogger = models.ForeignKey(
        Blogger, verbose_name=_("blogger"), on_delete=models.PROTECT, related_name="entry_credits"
    )
    # Copies of the entry's own fields (kept by EntryPage.save, as on `EntryTag`): a
    # blogger's profile lists their entries newest first from one index, where it sorted all
    # of the blogger's entries.
    entry_live = models.BooleanField(default=False, editable=False)
    entry_date = models.DateTimeField(null=True, blank=True, editable=False)
    panels = [FieldPanel("blogger")]

    objects = EntryAuthorQuerySet.as_manager()

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["entry", "blogger"], name="unique_entry_author")
        ]
        indexes = [
            models.Index(
                fields=["blogger", "entry_live", "-entry_date", "-entry"],
                name="entry_author_listing",
            )
        ]
        verbose_name = _("author")
        verbose_name_plural = _("authors")


class TagCount(models.Model):
    """How many live entries carry a tag: network-wide (no blog) or on one blog.

    Kept by `counts` as entries change, so that tag clouds and tag pages never count every
    entry while a reader waits.
    """

    tag = models.ForeignKey("taggit.Tag", on_delete=models.CASCADE, related_name="+")
    blog = models.ForeignKey(
        BlogPage, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    entries = models.PositiveIntegerField(_("entries"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tag", "blog"], name="tag_count_per_blog"),
            models.UniqueConstraint(
                fields=["tag"], condition=models.Q(blog__isnull=True), name="tag_count_network"
            ),
        ]
        indexes = [models.Index(fields=["blog", "-entries"], name="tag_count_by_size")]
        verbose_name = _("tag count")
        verbose_name_plural = _("tag counts")

    def __str__(self) -> str:
        return f"{self.tag_id}@{self.blog_id or 'network'}: {self.entries}"


class MonthCount(models.Model):
    """How many live entries a month has (in the site's time zone): network-wide or per blog."""

    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    blog = models.ForeignKey(
        BlogPage, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    entries = models.PositiveIntegerField(_("entries"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["month", "blog"], name="month_count_per_blog"),
            models.UniqueConstraint(
                fields=["month"], condition=models.Q(blog__isnull=True), name="month_count_network"
            ),
        ]
        indexes = [models.Index(fields=["blog", "-month"], name="month_count_by_month")]
        verbose_name = _("month count")
        verbose_name_plural = _("month counts")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}@{self.blog_id or 'network'}: {self.entries}"


class EntryFootprint(models.Model):
    """Where an entry showed after its last change (``footprints.py``).

    A change can take an entry away from a tag, an author, a month or a blog; the pages it
    left must be refreshed and its counts recounted, and after the change (or a deletion)
    only this record still knows them. No foreign key: the footprint outlives a deleted entry.
    """

    entry_id = models.BigIntegerField(_("entry"), unique=True)
    live = models.BooleanField(_("live"), default=False)
    blog_id = models.BigIntegerField(_("blog"), null=True, blank=True)
    blog_slug = models.CharField(_("blog slug"), max_length=255, blank=True)
    date = models.DateTimeField(_("publication date"), null=True, blank=True)
    blogger_slugs = models.JSONField(_("blogger slugs"), default=list, blank=True)
    tag_slugs = models.JSONField(_("tag slugs"), default=list, blank=True)
    url_path = models.TextField(_("address in the page tree"), blank=True)
    path = models.CharField(_("place in the page tree"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("entry footprint")
        verbose_name_plural = _("entry footprints")

    def __str__(self) -> str:
        return f"entry {self.entry_id}"
