"""Tags in any script: their pages and feeds work like English ones."""

import feedparser
from django.urls import reverse

from tests.factories import BlogFactory, EntryFactory

from .reader import page_html, visible_text


def test_a_tag_in_arabic_has_its_page_and_feeds(client, db, uncached):
    blog = BlogFactory(slug="amman-notes")
    EntryFactory(blog=blog, title="لماذا نكتب بالعربية؟", language="ar", tags=["مياه"])

    home = page_html(client.get("/"))
    link = next(a for a in home.select(".tag-cloud__tag") if "مياه" in visible_text(a))
    tag_page = client.get(link["href"])
    blog_tag_page = client.get(reverse("blogs:blog_tag_detail", args=["amman-notes", "مياه"]))
    feed = feedparser.parse(client.get(reverse("blogs:tag_atom", args=["مياه"])).content)

    assert tag_page.status_code == 200
    assert "لماذا نكتب بالعربية؟" in tag_page.content.decode()
    assert blog_tag_page.status_code == 200
    assert feed.bozo == 0
    assert [item.title for item in feed.entries] == ["لماذا نكتب بالعربية؟"]
