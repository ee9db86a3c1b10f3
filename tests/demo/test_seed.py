from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.models import Page

from dragoman.blogs.models import EntryAuthor, EntryPage, EntryTag
from dragoman.demo.seed import seed_entries


@pytest.fixture
def seeded(db):
    return seed_entries(count=60, batch_size=25, random_seed=7)


def test_seed_adds_the_entries_it_reports(seeded):
    assert seeded.entries == 60
    assert EntryPage.objects.live().filter(slug__startswith="entry-").count() == 60


def test_seeded_tree_has_no_problems_wagtail_can_find(seeded):
    assert Page.find_problems() == ([], [], [], [], [])


def test_seeded_entries_have_authors_and_tags(seeded):
    entries = EntryPage.objects.filter(slug__startswith="entry-")

    assert not entries.filter(entry_authors__isnull=True).exists()
    assert not entries.filter(tagged_items__isnull=True).exists()
    assert EntryAuthor.objects.filter(entry__in=entries).count() >= 60
    assert EntryTag.objects.filter(content_object__in=entries).count() >= 60


def test_seeded_credits_and_taggings_keep_copies_that_follow_the_rule(seeded):
    # Written in bulk, past EntryPage.save: profiles and tag pages list entries by them.
    visible = set(EntryPage.objects.visible().values_list("pk", flat=True))
    credits = EntryAuthor.objects.select_related("entry")
    taggings = EntryTag.objects.select_related("content_object")

    assert visible
    for credit in credits:
        assert (credit.entry_live, credit.entry_date) == (credit.entry.live, credit.entry.date)
    for tagging in taggings:
        entry = tagging.content_object
        assert (tagging.entry_live, tagging.entry_date) == (entry.live, entry.date)
    assert set(EntryAuthor.objects.visible().values_list("entry_id", flat=True)) == visible
    assert set(EntryTag.objects.visible().values_list("content_object_id", flat=True)) == visible


def test_seeded_entries_know_their_blog_as_saved_entries_do(seeded):
    # Written in bulk, past EntryPage.save: the neighbours on a blog are found by this column.
    entries = EntryPage.objects.filter(slug__startswith="entry-")

    assert all(entry.blog_id == entry.get_parent().pk for entry in entries)


def test_seeded_dates_spread_over_years(seeded):
    years = set(
        EntryPage.objects.filter(slug__startswith="entry-").values_list("date__year", flat=True)
    )

    assert len(years) >= 3


def test_reader_sees_seeded_entries_on_public_pages(seeded, client):
    entry = EntryPage.objects.filter(slug__startswith="entry-").order_by("-date").first()
    blog = entry.get_parent()

    entry_page = client.get(entry.url)
    home = client.get("/").content.decode()
    blog_page = client.get(blog.url)

    assert entry_page.status_code == 200
    assert entry.title in entry_page.content.decode()
    assert entry.title in home
    assert blog_page.status_code == 200
    assert entry.title in blog_page.content.decode()


def test_editor_can_open_a_seeded_entry_in_the_admin(seeded, admin_client):
    entry = EntryPage.objects.filter(slug__startswith="entry-").first()

    response = admin_client.get(f"/admin/pages/{entry.pk}/edit/")

    assert response.status_code == 200
    assert entry.title in response.content.decode()


def test_a_second_run_adds_more_entries_to_the_same_blogs(seeded):
    again = seed_entries(count=30, random_seed=8)

    assert again.blogs == seeded.blogs
    assert EntryPage.objects.filter(slug__startswith="entry-").count() == 90
    assert Page.find_problems() == ([], [], [], [], [])


def test_seed_command_reports_what_it_added(db):
    out = StringIO()

    call_command("seed", entries=12, no_progress=True, stdout=out, stderr=StringIO())

    assert "Added 12 entries" in out.getvalue()
    assert EntryPage.objects.count() == 12


def test_seed_command_refuses_a_negative_number(db):
    with pytest.raises(CommandError):
        call_command("seed", entries=-1, no_progress=True, stdout=StringIO())


def test_pages_cached_before_seeding_show_the_new_entries_after(db, client):
    seed_entries(count=3, random_seed=1)
    client.get("/")

    seed_entries(count=3, random_seed=2, years=1)

    newest = EntryPage.objects.order_by("-date").first()
    assert newest.title in client.get("/").content.decode()


def test_seeded_entries_read_like_real_ones(seeded, client):
    entry = EntryPage.objects.live().order_by("pk").first()
    blocks = [block.block_type for block in entry.body]
    html = client.get(entry.url).content.decode()

    # 3-4 KB of text with headings, links, a list and a picture with its description.
    assert 3000 <= len(str(entry.body).encode()) <= 4500
    assert blocks.count("heading") == 2 and blocks.count("image") == 1
    assert html.count('href="https://') >= 2
    assert "<ul>" in html
    assert 'alt="A landscape near the mission' in html


def test_seeded_entries_carry_comments_some_answered(seeded):
    from dragoman.conversations.models import Comment

    readers = Comment.objects.filter(parent=None, status="approved")
    replies = Comment.objects.exclude(parent=None)
    entries = EntryPage.objects.count()

    assert 5 <= readers.count() / entries <= 15
    assert 0.15 <= replies.count() / readers.count() <= 0.45
    assert not Comment.objects.filter(published_at__gt=timezone.now()).exists()


def test_seeded_entries_carry_about_ten_comments_with_official_answers(seeded):
    from dragoman.conversations.models import Comment

    replies = Comment.objects.exclude(parent=None).select_related("parent", "author__blogger")

    assert 7 <= Comment.objects.count() / EntryPage.objects.count() <= 13
    for reply in replies:
        # An official reply as `official_reply_create` makes it: by one of the blog's
        # bloggers, under their name and title, to an approved reader's comment before it.
        assert reply.parent.parent_id is None and reply.parent.status == "approved"
        assert reply.author.blogger.display_name == reply.name
        assert reply.job_title == reply.author.blogger.job_title
        assert reply.entry_id == reply.parent.entry_id
        assert reply.created_at >= reply.parent.published_at
        assert reply.moderated_by_id == reply.author_id


def test_entry_page_shows_the_conversation_with_its_official_answer(seeded, client):
    from dragoman.conversations.models import Comment

    reply = Comment.objects.exclude(parent=None).select_related("parent", "entry").first()

    html = client.get(reply.entry.url).content.decode()

    assert reply.parent.body_html in html
    assert reply.body_html in html
    assert reply.job_title in html


def test_seeded_copies_agree_with_the_rule(seeded):
    from tests.blogs.test_copies import assert_copies_follow_the_rule

    assert_copies_follow_the_rule("seeded")


def test_seeded_footprints_are_where_the_entries_show(seeded):
    from dragoman.blogs import footprints

    for entry_id in EntryPage.objects.values_list("pk", flat=True):
        assert footprints.recorded(entry_id) == footprints.current(entry_id)


def document_rows() -> dict:
    from django.db import connection

    from dragoman.search.models import EntryDocument, IndexedAuthor, IndexedTag

    fields = [field.attname for field in EntryDocument._meta.concrete_fields]
    rows = {row[0]: row for row in EntryDocument.objects.values_list(*fields)}
    tags = sorted(IndexedTag.objects.values_list("document_id", "slug", "name"))
    authors = sorted(IndexedAuthor.objects.values_list("document_id", "blogger_id"))
    vectors = {}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT entry_id, vector::text FROM search_entrydocument")
            vectors = dict(cursor.fetchall())
    return {"documents": rows, "tags": tags, "authors": authors, "vectors": vectors}


def test_seeded_search_documents_are_those_indexing_writes(seeded):
    from dragoman.search.services import index_rebuild

    seeded_rows = document_rows()

    index_rebuild()

    assert len(seeded_rows["documents"]) == 60
    assert document_rows() == seeded_rows


def test_search_page_finds_a_seeded_entry_by_a_word_of_its_body(seeded, client):
    from dragoman.search.models import EntryDocument

    document = EntryDocument.objects.order_by("entry_id").first()
    # A rare word of this entry's body: a name from the long-tailed vocabulary.
    counts = {}
    for body in EntryDocument.objects.values_list("body", flat=True):
        for word in set(body.split()):
            counts[word] = counts.get(word, 0) + 1
    word = min(
        (w for w in document.body.split() if w.isalpha() and w[0].isupper() and len(w) > 5),
        key=lambda w: counts[w],
    )

    html = client.get("/search/", {"q": word}).content.decode()

    assert document.title in html


def test_a_seeded_entry_changed_in_wagtail_keeps_every_copy_right(seeded):
    from tests.blogs.test_copies import assert_copies_follow_the_rule

    entry = EntryPage.objects.order_by("pk").first()
    entry.title = "Edited after seeding"
    entry.tags.set(["edited-tag"])
    entry.save_revision().publish()

    assert_copies_follow_the_rule("edited")
    assert "Edited after seeding" in document_titles()


def document_titles() -> list[str]:
    from dragoman.search.models import EntryDocument

    return list(EntryDocument.objects.values_list("title", flat=True))
