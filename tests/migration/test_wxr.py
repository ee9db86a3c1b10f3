"""Reading a WordPress export as a stream."""

from __future__ import annotations

import tracemalloc

from dragoman.migration import wxr
from dragoman.publishing import pagecache
from tests.migration.exports import WxrComment, WxrPost, wxr_write


def many_posts(count: int):
    for number in range(1, count + 1):
        yield WxrPost(
            id=number,
            title=f"Entry {number}",
            content="A paragraph of some length, repeated. " * 40,
            comments=[WxrComment(id=number * 10 + n, content="A comment " * 20) for n in range(5)],
        )


def test_a_large_export_is_read_in_the_memory_of_one_item(tmp_path):
    path = tmp_path / "large.xml"
    with open(path, "w", encoding="utf-8") as out:
        wxr_write(out, many_posts(2000))
    size = path.stat().st_size

    tracemalloc.start()
    items = sum(1 for element in wxr.read(path) if isinstance(element, wxr.Item))
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert items == 2000
    assert size > 5_000_000
    assert peak < size / 20  # the whole file would be many times its size as a tree


def test_the_channel_comes_first_with_its_authors(tmp_path):
    path = tmp_path / "small.xml"
    with open(path, "w", encoding="utf-8") as out:
        wxr_write(out, many_posts(2))

    elements = list(wxr.read(path))

    channel = elements[0]
    assert isinstance(channel, wxr.Channel)
    assert channel.title == "Embassy notes" and set(channel.authors) == {"ana", "ben"}
    assert [item.source_id for item in elements[1:]] == ["1", "2"]
    assert len(elements[1].comments) == 5


def test_an_old_sites_post_address_is_never_served_from_the_page_cache():
    assert pagecache.page_key("/", "p=12", host="testserver") is None
    assert pagecache.page_key("/", "page_id=3", host="testserver") is None
    assert pagecache.page_key("/", "page=2", host="testserver") is not None
