"""WordPress exports written by the tests (and the import benchmark), as WordPress writes them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO

HEADER = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
\txmlns:excerpt="http://wordpress.org/export/{version}/excerpt/"
\txmlns:content="http://purl.org/rss/1.0/modules/content/"
\txmlns:wfw="http://wellformedweb.org/CommentAPI/"
\txmlns:dc="http://purl.org/dc/elements/1.1/"
\txmlns:wp="http://wordpress.org/export/{version}/"
>
<channel>
\t<title>{title}</title>
\t<link>https://old.example.org</link>
\t<description>Notes from the embassy</description>
\t<language>en-GB</language>
\t<wp:wxr_version>{version}</wp:wxr_version>
\t<wp:base_site_url>https://old.example.org</wp:base_site_url>
\t<wp:base_blog_url>https://old.example.org</wp:base_blog_url>
"""

AUTHOR = """\t<wp:author><wp:author_id>{id}</wp:author_id><wp:author_login><![CDATA[{login}]]></wp:author_login><wp:author_email><![CDATA[{email}]]></wp:author_email><wp:author_display_name><![CDATA[{name}]]></wp:author_display_name><wp:author_first_name><![CDATA[]]></wp:author_first_name><wp:author_last_name><![CDATA[]]></wp:author_last_name></wp:author>
"""


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


@dataclass
class WxrComment:
    id: int
    content: str
    author: str = "A reader"
    email: str = "reader@example.net"
    date: str = "2021-03-05 09:00:00"
    approved: str = "1"
    parent: int = 0
    user_id: int = 0
    kind: str = "comment"


@dataclass
class WxrPost:
    id: int
    title: str
    content: str
    slug: str = ""
    creator: str = "ana"
    status: str = "publish"
    date: str = "2021-03-04 10:20:30"
    excerpt: str = ""
    post_type: str = "post"
    tags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    comments: list[WxrComment] = field(default_factory=list)
    attachment_url: str = ""
    parent: int = 0
    meta: dict[str, str] = field(default_factory=dict)
    password: str = ""

    def xml(self) -> str:
        slug = self.slug or f"entry-{self.id}"
        parts = [
            "\t<item>",
            f"\t\t<title>{cdata(self.title)}</title>",
            f"\t\t<link>https://old.example.org/2021/03/{slug}/</link>",
            "\t\t<pubDate>Thu, 04 Mar 2021 10:20:30 +0000</pubDate>",
            f"\t\t<dc:creator>{cdata(self.creator)}</dc:creator>",
            f'\t\t<guid isPermaLink="false">https://old.example.org/?p={self.id}</guid>',
            "\t\t<description></description>",
            f"\t\t<content:encoded>{cdata(self.content)}</content:encoded>",
            f"\t\t<excerpt:encoded>{cdata(self.excerpt)}</excerpt:encoded>",
            f"\t\t<wp:post_id>{self.id}</wp:post_id>",
            f"\t\t<wp:post_date>{cdata(self.date)}</wp:post_date>",
            f"\t\t<wp:post_date_gmt>{cdata(self.date)}</wp:post_date_gmt>",
            f"\t\t<wp:post_modified_gmt>{cdata(self.date)}</wp:post_modified_gmt>",
            "\t\t<wp:comment_status><![CDATA[open]]></wp:comment_status>",
            "\t\t<wp:ping_status><![CDATA[open]]></wp:ping_status>",
            f"\t\t<wp:post_name>{cdata(slug)}</wp:post_name>",
            f"\t\t<wp:status>{cdata(self.status)}</wp:status>",
            f"\t\t<wp:post_parent>{self.parent}</wp:post_parent>",
            "\t\t<wp:menu_order>0</wp:menu_order>",
            f"\t\t<wp:post_type>{cdata(self.post_type)}</wp:post_type>",
            f"\t\t<wp:post_password>{cdata(self.password)}</wp:post_password>",
            "\t\t<wp:is_sticky>0</wp:is_sticky>",
        ]
        if self.attachment_url:
            parts.append(f"\t\t<wp:attachment_url>{cdata(self.attachment_url)}</wp:attachment_url>")
        for name in self.categories:
            parts.append(
                f'\t\t<category domain="category" nicename="{name.lower()}">{cdata(name)}</category>'
            )
        for name in self.tags:
            parts.append(
                f'\t\t<category domain="post_tag" nicename="{name.lower()}">{cdata(name)}</category>'
            )
        for key, value in self.meta.items():
            parts.append(
                f"\t\t<wp:postmeta><wp:meta_key>{cdata(key)}</wp:meta_key>"
                f"<wp:meta_value>{cdata(value)}</wp:meta_value></wp:postmeta>"
            )
        for c in self.comments:
            parts.append(
                "\t\t<wp:comment>"
                f"<wp:comment_id>{c.id}</wp:comment_id>"
                f"<wp:comment_author>{cdata(c.author)}</wp:comment_author>"
                f"<wp:comment_author_email>{cdata(c.email)}</wp:comment_author_email>"
                "<wp:comment_author_url></wp:comment_author_url>"
                "<wp:comment_author_IP><![CDATA[192.0.2.1]]></wp:comment_author_IP>"
                f"<wp:comment_date>{cdata(c.date)}</wp:comment_date>"
                f"<wp:comment_date_gmt>{cdata(c.date)}</wp:comment_date_gmt>"
                f"<wp:comment_content>{cdata(c.content)}</wp:comment_content>"
                f"<wp:comment_approved>{cdata(c.approved)}</wp:comment_approved>"
                f"<wp:comment_type>{cdata(c.kind)}</wp:comment_type>"
                f"<wp:comment_parent>{c.parent}</wp:comment_parent>"
                f"<wp:comment_user_id>{c.user_id}</wp:comment_user_id>"
                "</wp:comment>"
            )
        parts.append("\t</item>\n")
        return "\n".join(parts)


AUTHORS = [(1, "ana", "ana@example.org", "Ana Diplomat"), (2, "ben", "ben@example.org", "Ben")]


def wxr_chunks(
    posts: Iterable[WxrPost],
    *,
    version: str = "1.2",
    title: str = "Embassy notes",
    authors: list[tuple[int, str, str, str]] = AUTHORS,
) -> Iterator[str]:
    yield HEADER.format(version=version, title=title)
    for id_, login, email, name in authors:
        yield AUTHOR.format(id=id_, login=login, email=email, name=name)
    for post in posts:
        yield post.xml()
    yield "</channel>\n</rss>\n"


def wxr_text(posts: Iterable[WxrPost], **kwargs: object) -> str:
    return "".join(wxr_chunks(posts, **kwargs))  # type: ignore[arg-type]


def wxr_write(out: IO[str], posts: Iterable[WxrPost], **kwargs: object) -> None:
    for chunk in wxr_chunks(posts, **kwargs):  # type: ignore[arg-type]
        out.write(chunk)
