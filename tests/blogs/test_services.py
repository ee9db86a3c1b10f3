"""The one path of a change to an entry (`entry_changed`): after each kind of change the
pages that show it are fresh and an unrelated page is still served from the cache (the
X-Cache header says which), the footprint is kept, and the change is announced once."""

from datetime import UTC, datetime, timedelta

import pytest

from dragoman.blogs import services
from dragoman.blogs.announcements import EntryChange, EntryChanged
from dragoman.blogs.models import EntryFootprint
from dragoman.core.changes import listen, unlisten
from tests.factories import BlogFactory, EntryFactory

pytestmark = pytest.mark.django_db

JAN = datetime(2025, 1, 15, 9, 0, tzinfo=UTC)
MAR = datetime(2025, 3, 15, 9, 0, tzinfo=UTC)


def cache_state(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.headers["X-Cache"]


def warm(client, *urls: str) -> None:
    for url in urls:
        client.get(url)
        assert cache_state(client, url) == "HIT", url


@pytest.fixture
def network():
    """Two blogs; blog A has four entries a day apart, blog B one. Tags differ."""
    blog_a, blog_b = BlogFactory(), BlogFactory()
    a = [EntryFactory(blog=blog_a, date=JAN + timedelta(days=n), tags=["trade"]) for n in range(4)]
    b = EntryFactory(blog=blog_b, date=MAR, tags=["culture"])
    return blog_a, blog_b, a, b


def test_editing_an_entry_refreshes_its_pages_and_leaves_others_cached(
    client, network, django_capture_on_commit_callbacks
):
    blog_a, blog_b, a, b = network
    shown = [a[3].url, a[2].url, blog_a.url, "/", "/tags/trade/", "/feed/rss/", "/archive/2025/01/"]
    unrelated = [a[0].url, b.url, blog_b.url, "/tags/culture/", "/archive/2025/03/"]
    warm(client, *shown, *unrelated)

    with django_capture_on_commit_callbacks(execute=True):
        a[3].title = "A changed title"
        a[3].save_revision().publish()

    for url in shown:
        assert cache_state(client, url) == "MISS", url
    assert "A changed title" in client.get(a[3].url).content.decode()
    assert "A changed title" in client.get(a[2].url).content.decode()  # "Next entry" link
    for url in unrelated:
        assert cache_state(client, url) == "HIT", url


def test_publishing_a_new_entry_shows_it_on_its_blog_tag_and_home(
    client, network, django_capture_on_commit_callbacks
):
    blog_a, blog_b, _a, b = network
    warm(client, blog_a.url, "/", "/tags/trade/", b.url, blog_b.url)

    with django_capture_on_commit_callbacks(execute=True):
        EntryFactory(blog=blog_a, title="Fresh from the embassy", date=JAN, tags=["trade"])

    for url in (blog_a.url, "/", "/tags/trade/"):
        assert "Fresh from the embassy" in client.get(url).content.decode(), url
    assert cache_state(client, b.url) == "HIT"
    assert cache_state(client, blog_b.url) == "HIT"


def test_unpublishing_an_entry_takes_it_off_every_page_that_listed_it(
    client, network, django_capture_on_commit_callbacks
):
    blog_a, blog_b, a, _b = network
    title = a[1].title
    warm(client, a[1].url, blog_a.url, "/tags/trade/", blog_b.url)

    with django_capture_on_commit_callbacks(execute=True):
        a[1].unpublish()

    assert client.get(a[1].url).status_code == 404
    assert title not in client.get(blog_a.url).content.decode()
    assert title not in client.get("/tags/trade/").content.decode()
    assert cache_state(client, blog_b.url) == "HIT"


def test_moving_an_entry_refreshes_the_blog_it_left_and_the_one_it_joined(
    client, network, django_capture_on_commit_callbacks
):
    blog_a, blog_b, a, _b = network
    blog_c = BlogFactory()
    EntryFactory(blog=blog_c)
    title = a[0].title
    warm(client, blog_a.url, blog_b.url, blog_c.url)

    with django_capture_on_commit_callbacks(execute=True):
        a[0].move(blog_b, pos="last-child")

    assert title not in client.get(blog_a.url).content.decode()
    assert title in client.get(blog_b.url).content.decode()
    assert cache_state(client, blog_c.url) == "HIT"


def test_deleting_an_entry_refreshes_its_pages_from_its_footprint(
    client, network, django_capture_on_commit_callbacks
):
    blog_a, blog_b, a, _b = network
    url, title = a[2].url, a[2].title
    warm(client, url, blog_a.url, "/tags/trade/", blog_b.url)

    with django_capture_on_commit_callbacks(execute=True):
        a[2].delete()

    assert client.get(url).status_code == 404
    assert title not in client.get(blog_a.url).content.decode()
    assert title not in client.get("/tags/trade/").content.decode()
    assert cache_state(client, blog_b.url) == "HIT"
    assert not EntryFootprint.objects.filter(entry_id=a[2].pk).exists()


def test_removing_a_tag_refreshes_the_tag_the_entry_left(
    client, network, django_capture_on_commit_callbacks
):
    _blog_a, _blog_b, _a, b = network
    other = EntryFactory(tags=["culture"])
    warm(client, "/tags/culture/", other.url)

    with django_capture_on_commit_callbacks(execute=True):
        b.tags.set(["science"])
        b.save_revision().publish()

    assert b.title not in client.get("/tags/culture/").content.decode()
    assert b.title in client.get("/tags/science/").content.decode()
    assert cache_state(client, other.url) == "HIT"


def test_changing_the_date_refreshes_the_month_it_left_and_the_month_it_joined(
    client, network, django_capture_on_commit_callbacks
):
    _blog_a, _blog_b, a, _b = network
    warm(client, "/archive/2025/01/", "/archive/2025/03/")

    with django_capture_on_commit_callbacks(execute=True):
        a[0].date = MAR + timedelta(days=1)
        a[0].save_revision().publish()

    assert a[0].title not in client.get("/archive/2025/01/").content.decode()
    assert a[0].title in client.get("/archive/2025/03/").content.decode()


def test_a_refresh_asked_by_an_operator_refreshes_the_entry_page_only_among_entries(
    client, network, django_capture_on_commit_callbacks
):
    _blog_a, _blog_b, a, b = network
    warm(client, a[0].url, b.url)

    with django_capture_on_commit_callbacks(execute=True):
        services.entry_changed(entry_id=a[0].pk, change=EntryChange.REFRESHED)

    assert cache_state(client, a[0].url) == "MISS"
    assert cache_state(client, b.url) == "HIT"


heard: list[EntryChanged] = []


def hear(announcement: EntryChanged) -> None:
    heard.append(announcement)


@pytest.fixture
def listening():
    heard.clear()
    listen(EntryChanged, hear)
    yield heard
    unlisten(hear)


def test_each_kind_of_change_is_announced_once_after_the_commit_naming_the_pages(
    network, listening, django_capture_on_commit_callbacks
):
    blog_a, blog_b, a, _b = network

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        a[1].unpublish()
    assert listening == []  # not before the commit
    for callback in callbacks:
        callback()

    assert [(h.entry_id, h.change) for h in listening] == [(a[1].pk, "unpublished")]
    shown_on = set(listening[0].shown_on)
    # Its own page, its neighbours (they link to it), its blog, tag, month and the network.
    assert {f"entry:{a[1].pk}", f"entry:{a[0].pk}", f"entry:{a[2].pk}"} <= shown_on
    assert {f"blog:{blog_a.slug}", "tag:trade", "month:2025-01", "home", "feeds"} <= shown_on
    assert f"blog:{blog_b.slug}" not in shown_on


def test_a_rolled_back_change_is_never_announced(network, listening):
    from django.db import transaction

    _blog_a, _blog_b, a, _b = network

    with pytest.raises(RuntimeError), transaction.atomic():
        services.entry_changed(entry_id=a[0].pk, change=EntryChange.REFRESHED)
        raise RuntimeError("the editor's request failed after the change")

    assert listening == []


def test_a_move_records_the_blog_the_entry_now_stands_under(network):
    _blog_a, blog_b, a, _b = network

    a[0].move(blog_b, pos="last-child")

    a[0].refresh_from_db()
    assert a[0].blog_id == blog_b.pk
    assert EntryFootprint.objects.get(entry_id=a[0].pk).blog_slug == blog_b.slug


def test_publishing_a_translation_refreshes_the_original_entry_page(
    client, network, django_capture_on_commit_callbacks
):
    from dragoman.blogs.services import entry_translation_create

    _blog_a, _blog_b, a, b = network
    warm(client, a[1].url, b.url)

    with django_capture_on_commit_callbacks(execute=True):
        translation = entry_translation_create(entry=a[1], language="ar")
        translation.title = "نسخة عربية"
        translation.save_revision().publish()

    assert cache_state(client, a[1].url) == "MISS"
    assert "نسخة عربية" in client.get(a[1].url).content.decode()
    assert cache_state(client, b.url) == "HIT"


def test_a_created_blog_is_returned_as_published_and_can_be_unpublished(client):
    blog = BlogFactory()

    assert blog.live
    blog.unpublish()

    assert client.get(blog.url).status_code == 404
