from wagtail.models import Page

from dragoman.blogs import queries
from dragoman.blogs.models import EntryAuthor, EntryPage
from tests.factories import BlogFactory, BloggerFactory, EntryFactory


def test_an_entry_never_saved_can_be_previewed(db):
    # Wagtail previews a new page before it exists: no primary key, a provisional tree path.
    blog = BlogFactory()
    EntryFactory(blog=blog, title="An older entry")
    draft = EntryPage(title="Not saved yet", slug="not-saved-yet", summary="Summary", body=[])
    draft.depth = blog.depth + 1
    draft.path = Page._get_children_path_interval(blog.path)[1]
    draft.entry_authors.add(EntryAuthor(blogger=blog.bloggers.first()))

    context = queries.entry_page_context(entry=draft)

    assert context["blog"] == blog
    assert context["previous_entry"].title == "An older entry"
    assert [author.pk for author in draft.authors] == [blog.bloggers.first().pk]


def test_a_preview_of_a_published_entry_shows_the_revision_s_tags_and_authors(db):
    # The saved entry is read with prepared queries; a revision's changes live in memory.
    blog = BlogFactory(bloggers=[BloggerFactory(display_name="Saved"), BloggerFactory()])
    saved_author, revised_author = blog.bloggers.order_by("display_name")
    entry = EntryFactory(blog=blog, authors=[saved_author], tags=["water"])

    published = EntryPage.objects.get(pk=entry.pk)
    published_context = queries.entry_page_context(entry=published)
    assert [tag.name for tag in published_context["entry_tags"]] == ["water"]
    assert [author.pk for author in published.authors] == [saved_author.pk]

    revision = EntryPage.objects.get(pk=entry.pk)
    revision.tags.set(["energy"])
    revision.entry_authors = [EntryAuthor(blogger=revised_author)]
    context = queries.entry_page_context(entry=revision)

    assert [tag.name for tag in context["entry_tags"]] == ["energy"]
    assert [author.pk for author in revision.authors] == [revised_author.pk]
