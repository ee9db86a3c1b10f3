"""Tag clouds and archive months are remembered until an entry changes."""

import pytest

from dragoman.blogs import queries
from dragoman.publishing import fragments, pagecache
from tests.factories import EntryFactory

pytestmark = pytest.mark.django_db


def test_a_remembered_value_is_reused_until_its_dependency_changes():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    first = fragments.remember("test", ["lists"], compute)
    again = fragments.remember("test", ["lists"], compute)
    pagecache.bump(["lists"])
    after_change = fragments.remember("test", ["lists"], compute)

    assert (first, again, after_change) == (1, 1, 2)


def test_the_tag_cloud_shows_a_newly_published_tag_at_once(django_assert_max_num_queries):
    EntryFactory(tags=["trade"])
    queries.tag_cloud()

    EntryFactory(tags=["scholarships"])

    assert {tag.slug for tag in queries.tag_cloud()} == {"trade", "scholarships"}
    with django_assert_max_num_queries(0):
        queries.tag_cloud()


def test_a_blogs_archive_months_are_remembered_apart_from_the_networks():
    entry = EntryFactory()
    blog = entry.get_parent().specific

    network = queries.archive_months()
    of_blog = queries.archive_months(blog=blog)

    assert [m.count for m in network] == [m.count for m in of_blog] == [1]


def test_the_bloggers_directory_html_is_kept_per_language_until_a_blogger_changes(
    client, settings, django_assert_max_num_queries
):
    from django.utils import translation

    settings.DRAGOMAN_PAGE_CACHE = False  # every request renders; only fragments are kept
    entry = EntryFactory()
    blogger = entry.authors[0]
    assert blogger.display_name in client.get("/").content.decode()
    with django_assert_max_num_queries(0):  # kept: neither the bloggers nor their HTML
        html = fragments.remember("html|home-bloggers|en", [], lambda: "recomputed")
    assert blogger.display_name in html
    with translation.override("fr"):
        french = client.get("/fr/").content.decode()  # its own copy, with French addresses
    assert f'href="/fr/bloggers/{blogger.slug}/"' in french

    blogger.display_name = "Renamed Blogger"
    blogger.save()

    assert "Renamed Blogger" in client.get("/").content.decode()
    with translation.override("en"):
        assert "Renamed Blogger" in client.get("/bloggers/").content.decode()


def test_parts_shared_by_a_blogs_entries_are_kept_per_blog_and_blogger(client, settings):
    """Blog header, blog feeds and author boxes are rendered once per blog or blogger: each
    entry still shows its own, and a changed job title shows at once."""
    from tests.factories import BlogFactory, BloggerFactory

    settings.DRAGOMAN_PAGE_CACHE = False  # every request renders; only fragments are kept
    first_author, second_author = BloggerFactory(), BloggerFactory()
    amman = BlogFactory(title="Amman notes", bloggers=[first_author, second_author])
    goma = BlogFactory(title="Goma diary")
    in_amman = EntryFactory(blog=amman, authors=[first_author, second_author])
    in_goma = EntryFactory(blog=goma)

    amman_page = client.get(in_amman.url).content.decode()
    goma_page = client.get(in_goma.url).content.decode()

    assert "Amman notes</a></p>" in amman_page and "Goma diary" not in amman_page
    assert "Goma diary</a></p>" in goma_page and "Amman notes" not in goma_page
    assert f'href="/blogs/{amman.slug}/feed/rss/"' in amman_page
    assert f'href="/blogs/{goma.slug}/feed/rss/"' in goma_page
    boxes = amman_page.split('class="author-box"')[1:]
    assert [first_author.display_name in boxes[0], second_author.display_name in boxes[1]] == [
        True,
        True,
    ]

    second_author.job_title = "Head of Press"
    second_author.save()

    assert "Head of Press" in client.get(in_amman.url).content.decode()


def test_installing_a_release_makes_what_the_previous_one_kept_stale():
    from django.apps import apps
    from django.db import DEFAULT_DB_ALIAS
    from django.db.models.signals import post_migrate

    kept = fragments.remember("html|frame-top|en", [], lambda: "<header>old release</header>")

    post_migrate.send(
        sender=apps.get_app_config("publishing"),
        app_config=apps.get_app_config("publishing"),
        verbosity=0,
        interactive=False,
        using=DEFAULT_DB_ALIAS,
        apps=apps,
        plan=[],
    )

    again = fragments.remember("html|frame-top|en", [], lambda: "<header>new release</header>")
    assert (kept, again) == ("<header>old release</header>", "<header>new release</header>")


def test_the_side_lists_html_shows_a_new_entrys_tag_and_month_at_once(client, settings):
    """The home's and a blog's tag cloud and months are kept as HTML, per blog: an entry
    published on one blog shows on its blog and the home, and not on another blog."""
    from datetime import datetime

    from django.utils import timezone

    from tests.factories import BlogFactory

    settings.DRAGOMAN_PAGE_CACHE = False  # every request renders; only fragments are kept
    amman, goma = BlogFactory(), BlogFactory()
    EntryFactory(blog=amman, tags=["trade"])
    EntryFactory(blog=goma, tags=["water"])
    for address in ("/", amman.url, goma.url):
        client.get(address)  # kept

    EntryFactory(
        blog=amman,
        tags=["scholarships"],
        date=timezone.make_aware(datetime(2019, 3, 4, 10, 0)),
    )

    home, of_amman, of_goma = (client.get(a).content.decode() for a in ("/", amman.url, goma.url))
    assert 'href="/tags/scholarships/"' in home and "/archive/2019/03/" in home
    assert f'href="/blogs/{amman.slug}/tags/scholarships/"' in of_amman
    assert f"/blogs/{amman.slug}/archive/2019/03/" in of_amman
    assert "scholarships" not in of_goma and "2019/03" not in of_goma


def test_a_blogs_header_and_channels_are_kept_per_blog_and_language_until_they_change(
    client, settings, django_assert_max_num_queries
):
    """A blog's header ("Written by") and official channels are kept as HTML per blog and
    language: a renamed blog, blogger or mission, a blogger added and a new channel of its
    mission each show at once."""
    from django.utils import translation

    from tests.factories import BlogFactory, BloggerFactory, ChannelFactory

    settings.DRAGOMAN_PAGE_CACHE = False  # every request renders; only fragments are kept
    writer = BloggerFactory(display_name="Amal Writer")
    amman = BlogFactory(title="Amman notes", bloggers=[writer])
    goma = BlogFactory(title="Goma diary")
    EntryFactory(blog=amman)
    EntryFactory(blog=goma)

    of_amman = client.get(amman.url).content.decode()
    assert '<h1 class="page-title">Amman notes</h1>' in of_amman
    assert "Amal Writer" in of_amman and "Goma diary" not in of_amman
    assert '<h1 class="page-title">Goma diary</h1>' in client.get(goma.url).content.decode()
    assert "official-channels" not in of_amman
    address = amman.url
    with translation.override("fr"):
        french = client.get(f"/fr{address}").content.decode()
    assert f'Écrit par <a href="/fr/bloggers/{writer.slug}/"' in french
    assert (
        f'Written by <a href="/bloggers/{writer.slug}/"' in client.get(amman.url).content.decode()
    )
    with django_assert_max_num_queries(0):  # kept: neither the bloggers nor their HTML
        kept = fragments.remember(f"html|blog-header-main|{amman.pk}|en", [], lambda: "")
    assert "Amal Writer" in kept

    writer.display_name = "Amal Renamed"
    writer.save()
    assert "Amal Renamed" in client.get(amman.url).content.decode()

    amman.mission.name = "Embassy in Amman, renamed"
    amman.mission.save()
    assert "Embassy in Amman, renamed" in client.get(amman.url).content.decode()

    amman.title = "Amman letters"
    amman.bloggers.add(BloggerFactory(display_name="Basma Newcomer"))
    amman.save_revision().publish()
    of_amman = client.get(amman.url).content.decode()
    assert '<h1 class="page-title">Amman letters</h1>' in of_amman
    assert "Basma Newcomer" in of_amman

    ChannelFactory(mission=amman.mission, handle="amman_embassy")
    of_amman = client.get(amman.url).content.decode()
    assert "amman_embassy" in of_amman
    assert "amman_embassy" not in client.get(goma.url).content.decode()


def test_a_profiles_header_and_channels_are_kept_per_blogger_until_they_change(client, settings):
    """A profile's header ("Writes on") and channels are kept as HTML per blogger: a new job
    title, a renamed blog and a new channel of the blogger each show at once."""
    from tests.factories import BlogFactory, BloggerFactory, ChannelFactory

    settings.DRAGOMAN_PAGE_CACHE = False
    writer, other = BloggerFactory(job_title="Press Officer"), BloggerFactory()
    amman = BlogFactory(title="Amman notes", bloggers=[writer, other])
    EntryFactory(blog=amman)
    profile = f"/bloggers/{writer.slug}/"

    page = client.get(profile).content.decode()
    assert "Press Officer" in page and "Amman notes</a>" in page
    assert other.display_name in client.get(f"/bloggers/{other.slug}/").content.decode()
    assert "official-channels" not in page

    writer.job_title = "Head of Press"
    writer.save()
    assert "Head of Press" in client.get(profile).content.decode()

    amman.title = "Amman letters"
    amman.save_revision().publish()
    assert "Amman letters</a>" in client.get(profile).content.decode()

    ChannelFactory(blogger=writer, handle="writer_on_x")
    assert "writer_on_x" in client.get(profile).content.decode()
    assert "writer_on_x" not in client.get(f"/bloggers/{other.slug}/").content.decode()

    # Many at once (the demo, a first load): the same.
    from dragoman.channels.services import channels_bulk_create

    channels_bulk_create(rows=[dict(platform="telegram", handle="writer_tg", blogger=writer)])
    assert "writer_tg" in client.get(profile).content.decode()


def test_the_homes_campaigns_are_kept_until_a_campaign_is_published_or_unpublished(
    client, settings
):
    from datetime import timedelta

    from django.utils import timezone

    from dragoman.blogs import services
    from dragoman.campaigns.models import CampaignPage

    settings.DRAGOMAN_PAGE_CACHE = False
    EntryFactory()
    assert "campaigns-heading" not in client.get("/").content.decode()

    home, _index = services.network_ensure()
    campaign = CampaignPage(
        title="Wishes for Leyla",
        slug="wishes",
        introduction="Send Leyla your wishes.",
        closes_at=timezone.now() + timedelta(days=7),
    )
    home.add_child(instance=campaign)
    campaign.save_revision().publish()
    assert "Wishes for Leyla" in client.get("/").content.decode()

    campaign.unpublish()
    assert "Wishes for Leyla" not in client.get("/").content.decode()


def test_a_preview_shows_the_editors_unsaved_blog_and_is_not_kept(client, settings):
    from django.test import RequestFactory

    from dragoman.blogs.models import BlogPage
    from tests.factories import BlogFactory

    settings.DRAGOMAN_PAGE_CACHE = False
    blog = BlogFactory(description="The saved description.")
    EntryFactory(blog=blog)
    assert "The saved description." in client.get(blog.url).content.decode()  # kept

    draft = BlogPage.objects.get(pk=blog.pk)
    draft.description = "An unsaved description."
    # As the editor's browser asks, on the reader's host: the same kept copies' keys.
    preview = draft.make_preview_request(RequestFactory().get(blog.url)).content.decode()

    assert 'dir="auto">An unsaved description.</p>' in preview  # the header's, not the meta's
    saved = client.get(blog.url).content.decode()
    assert "The saved description." in saved and "An unsaved description." not in saved


def test_a_pages_picks_are_kept_until_they_are_set_or_a_picked_entry_changes(client, settings):
    """The home's and a blog's best bits are read once: setting them anew, or unpublishing a
    picked entry, shows at once; a preview shows the editor's unsaved picks."""
    from dragoman.blogs import services
    from dragoman.blogs.models import BlogBestBit, BlogPage, HomePage
    from tests.factories import BlogFactory

    settings.DRAGOMAN_PAGE_CACHE = False
    blog = BlogFactory()
    first, second = EntryFactory(blog=blog, title="First pick"), EntryFactory(blog=blog)
    home = HomePage.objects.get()
    assert "best-bits-heading" not in client.get("/").content.decode()  # kept: no picks
    assert "best-bits-heading" not in client.get(blog.url).content.decode()

    services.best_bits_set(page=home, entries=[first])
    services.best_bits_set(page=blog, entries=[first])
    for address in ("/", blog.url):
        assert 'id="best-bits-heading"' in client.get(address).content.decode()
        assert "First pick</a>" in client.get(address).content.decode()

    first.unpublish()
    for address in ("/", blog.url):
        assert "First pick</a>" not in client.get(address).content.decode()

    draft = BlogPage.objects.get(pk=blog.pk)
    draft.best_bits = [BlogBestBit(entry=second, sort_order=0)]
    preview = draft.make_preview_request().content.decode()
    assert f"{second.title}</a>" in preview.split('id="best-bits-heading"')[1]
    assert 'id="best-bits-heading"' not in client.get(blog.url).content.decode()
