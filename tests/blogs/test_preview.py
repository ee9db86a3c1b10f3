from wagtail.models import Page

from dragoman.blogs import queries
from dragoman.blogs.models import EntryAuthor, EntryPage
from tests.factories import BlogFactory, EntryFactory


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
