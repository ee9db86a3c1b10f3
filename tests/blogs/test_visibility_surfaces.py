"""Every public surface shows an entry exactly when the rule says its reader may see it.

An entry (the subject) is put in each state an entry can be in; then a reader walks every
surface that could show it: its page, its blog's page, the home page, its tag's and blogger's
pages, the archive month and year, the network, blog, tag and blogger feeds (RSS and Atom,
read with feedparser), the sitemap, the search page and the search feed, the structured data
(JSON-LD) of its page, the neighbour links of the entry next to it, and the counts of the tag
cloud and the archive list. The lists, feeds, sitemap and counts are public pages, the same
for every reader: they show it exactly when the rule lets the anonymous public see it
(`EntryPage.objects.visible(None)`); its own page is served to each reader as the rule says
for that reader (`visible(reader)`).

The readers are the anonymous public and the communities' identities: a member of the
community whose private blog holds the entry, a member of another community, and staff with
no rights on the blog. A community's entry is 404 to all but its members.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import feedparser
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from dragoman.blogs import counts
from dragoman.blogs.models import BlogPage, EntryPage
from tests.factories import BlogFactory, BloggerFactory, EntryFactory

from .reader import page_html, visible_text

TITLE = "Zanzibar dhow festival"
TAG = "dhows"
QUERY = "zanzibar"


@dataclass
class Network:
    """The subject's blog (with a witness entry beside it), another blog, and the subject."""

    blog: BlogPage
    other_blog: BlogPage
    witness: EntryPage
    other_witness: EntryPage
    blogger_slug: str
    when: Any
    subject_id: int | None = None
    subject_url: str = ""
    # Where the subject was before it moved: it must be gone from there.
    former_url: str = ""
    former_blog: BlogPage | None = None
    restricted: bool = False
    # In a community's private blog: 404 to outsiders, never a sign-in page.
    community: bool = False
    notes: dict[str, Any] = field(default_factory=dict)

    @property
    def subject_blog(self) -> BlogPage:
        entry = EntryPage.objects.filter(pk=self.subject_id).first()
        if entry is None or entry.blog_id is None:
            return self.blog
        return BlogPage.objects.get(pk=entry.blog_id)


def subject(network: Network, **kwargs: Any) -> EntryPage:
    options = {
        "blog": network.blog,
        "title": TITLE,
        "date": network.when,
        "tags": [TAG],
        **kwargs,
    }
    entry = EntryFactory(**options)
    network.subject_id = entry.pk
    network.subject_url = EntryPage.objects.get(pk=entry.pk).url or ""
    return entry


def published(network: Network) -> None:
    subject(network)


def draft(network: Network) -> None:
    subject(network, live=False)


def scheduled(network: Network) -> None:
    subject(network, date=timezone.now() + timedelta(days=3))


def unpublished(network: Network) -> None:
    entry = subject(network)
    EntryPage.objects.get(pk=entry.pk).unpublish()


def deleted(network: Network) -> None:
    entry = subject(network)
    EntryPage.objects.get(pk=entry.pk).delete()


def in_a_private_blog(network: Network) -> None:
    subject(network)
    PageViewRestriction.objects.create(
        page=network.blog, restriction_type=PageViewRestriction.LOGIN
    )
    network.restricted = True


def in_a_community_blog(network: Network) -> None:
    """The subject's blog is a members-only community's private blog (a Wagtail GROUPS
    restriction for the community's group): only its members may see the entry."""
    from dragoman.communities.models import Community

    group = Group.objects.create(name="Community: dhow notes")
    Community.objects.create(
        name="Dhow alumni", slug="dhow-alumni", description="...", group=group, blog=network.blog
    )
    restriction = PageViewRestriction.objects.create(
        page=network.blog, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([group])
    other = Group.objects.create(name="Community: harbour")
    Community.objects.create(name="Harbour alumni", slug="harbour", description="...", group=other)
    subject(network)
    network.restricted = True
    network.community = True


def moved(network: Network) -> None:
    entry = subject(network)
    network.former_url = network.subject_url
    network.former_blog = network.blog
    EntryPage.objects.get(pk=entry.pk).move(network.other_blog, pos="last-child")
    network.subject_url = EntryPage.objects.get(pk=entry.pk).url or ""


# Whether each reader may see the subject in each state (the rule's answer, written out).
def everyone(seen: bool) -> dict[str, bool]:
    return dict.fromkeys(("anonymous", "member", "other member", "staff"), seen)


STATES: dict[str, tuple[Callable[[Network], None], dict[str, bool]]] = {
    "published": (published, everyone(True)),
    "draft never published": (draft, everyone(False)),
    "scheduled in the future": (scheduled, everyone(False)),
    "unpublished": (unpublished, everyone(False)),
    "deleted": (deleted, everyone(False)),
    # "login" lets in any signed-in person.
    "in a private blog": (in_a_private_blog, {**everyone(True), "anonymous": False}),
    "in a community's blog": (in_a_community_blog, {**everyone(False), "member": True}),
    "published then moved": (moved, everyone(True)),
}


def signed_in(client: Any, username: str, community: str | None, **extra: Any) -> Any:
    """A signed-in person, a member of that community when it exists in this state."""
    from dragoman.communities.models import Community

    user = get_user_model().objects.create_user(username=username, **extra)
    found = Community.objects.filter(slug=community).first() if community else None
    if found is not None:
        user.groups.add(found.group)
    client.force_login(user)
    return user


# How each identity reads: None is the anonymous public (no sign-in).
READERS: dict[str, Callable[[Any], Any]] = {
    "anonymous": lambda client: None,
    # A member of the subject's community (when it is in one), one of another community,
    # and staff with no rights on the blog: the communities' identities.
    "member": lambda client: signed_in(client, "member", "dhow-alumni"),
    "other member": lambda client: signed_in(client, "other", "harbour"),
    "staff": lambda client: signed_in(client, "staff", None, is_staff=True),
}


@pytest.fixture
def network(db, uncached) -> Network:
    cache.clear()  # remembered fragments (tag clouds, months) of other tests' rolled-back rows
    blogger = BloggerFactory(slug="amina-example")
    blog = BlogFactory(slug="dhow-notes", bloggers=[blogger])
    other_blog = BlogFactory(slug="harbour-notes", bloggers=[BloggerFactory()])
    when = timezone.now() - timedelta(days=2)
    # Dated just before the subject: the same archive month, and its neighbour on the blog.
    witness = EntryFactory(
        blog=blog, title="Harbour cranes", date=when - timedelta(minutes=1), tags=[TAG]
    )
    other_witness = EntryFactory(
        blog=other_blog, title="Fishing nets", date=when - timedelta(minutes=2), tags=[TAG]
    )
    return Network(
        blog=blog,
        other_blog=other_blog,
        witness=witness,
        other_witness=other_witness,
        blogger_slug=blogger.slug,
        when=when,
    )


def feed_titles(client, url: str) -> list[str] | None:
    response = client.get(url)
    if response.status_code != 200:
        return None
    feed = feedparser.parse(
        response.content, response_headers={"content-type": response["Content-Type"]}
    )
    assert feed.bozo == 0, f"{url}: {feed.get('bozo_exception')}"
    return [item.title for item in feed.entries]


def page_text(client, url: str) -> str | None:
    response = client.get(url)
    if response.status_code != 200:
        return None
    return visible_text(page_html(response))


def shows(client, kind: str, url: str) -> bool:
    """Whether the surface at this address shows the subject to this client."""
    if kind == "feed":
        titles = feed_titles(client, url)
        return titles is not None and TITLE in titles
    text = page_text(client, url)
    return text is not None and TITLE in text


def list_surfaces(network: Network, blog: BlogPage) -> list[tuple[str, str, str]]:
    """(name, kind, address) of every list that shows the subject if it is on `blog`."""
    date = timezone.localtime(network.when)
    year, month = f"{date:%Y}", f"{date:%m}"
    return [
        ("blog page", "page", blog.url or ""),
        ("blog tag page", "page", reverse("blogs:blog_tag_detail", args=[blog.slug, TAG])),
        (
            "blog archive month",
            "page",
            reverse("blogs:blog_archive_month", args=[blog.slug, year, month]),
        ),
        ("blog archive year", "page", reverse("blogs:blog_archive_year", args=[blog.slug, year])),
        ("blog rss", "feed", reverse("blogs:blog_rss", args=[blog.slug])),
        ("blog atom", "feed", reverse("blogs:blog_atom", args=[blog.slug])),
    ]


def network_surfaces(network: Network) -> list[tuple[str, str, str]]:
    date = timezone.localtime(network.when)
    year, month = f"{date:%Y}", f"{date:%m}"
    return [
        ("home", "page", "/"),
        ("tag page", "page", reverse("blogs:tag_detail", args=[TAG])),
        ("archive month", "page", reverse("blogs:archive_month", args=[year, month])),
        ("archive year", "page", reverse("blogs:archive_year", args=[year])),
        ("blogger page", "page", reverse("blogs:blogger_detail", args=[network.blogger_slug])),
        ("network rss", "feed", reverse("blogs:network_rss")),
        ("network atom", "feed", reverse("blogs:network_atom")),
        ("tag rss", "feed", reverse("blogs:tag_rss", args=[TAG])),
        ("tag atom", "feed", reverse("blogs:tag_atom", args=[TAG])),
        ("blogger rss", "feed", reverse("blogs:blogger_rss", args=[network.blogger_slug])),
        ("blogger atom", "feed", reverse("blogs:blogger_atom", args=[network.blogger_slug])),
        ("search page", "page", f"{reverse('search:search')}?q={QUERY}"),
        ("search feed", "feed", f"{reverse('search:feed')}?q={QUERY}"),
    ]


def tag_cloud_count(client) -> int:
    """The count the network's tag cloud (/tags/) gives the subject's tag (0 when absent)."""
    html = page_html(client.get(reverse("blogs:tag_index")))
    link = html.select_one(f'.tag-cloud a[href="{reverse("blogs:tag_detail", args=[TAG])}"]')
    if link is None:
        return 0
    return int(visible_text(link).split("(")[1].split()[0])


def archive_list_count(client, month: Any) -> int:
    """The count the home page's archive list gives the subject's month (0 when absent)."""
    html = page_html(client.get("/"))
    address = reverse("blogs:archive_month", args=[f"{month:%Y}", f"{month:%m}"])
    link = html.select_one(f'.archive-months a[href="{address}"]')
    if link is None:
        return 0
    return int(visible_text(link.parent).rsplit("(", 1)[1].rstrip(")"))


@pytest.mark.parametrize("identity", list(READERS))
@pytest.mark.parametrize("state", list(STATES))
def test_an_entry_appears_on_every_surface_exactly_when_the_rule_lets_its_reader_see_it(
    client, network, state, identity
):
    arrange, seen_by = STATES[state]
    arrange(network)
    reader = READERS[identity](client)
    rule_says = EntryPage.objects.visible(reader).filter(pk=network.subject_id).exists()
    assert rule_says is seen_by[identity], "the table and the rule disagree"
    # Lists, feeds, the sitemap and the counts are public pages: one page for every reader
    # (rendered once, kept in the shared cache), so they show what the public may see, to
    # members too; members find their community's entries on its members' pages. The entry's
    # own page is served to each reader as the rule says for them.
    expected = seen_by["anonymous"]
    own_page = seen_by[identity]
    blog = network.subject_blog

    surfaces = network_surfaces(network) + list_surfaces(network, blog)
    found = {name: shows(client, kind, url) for name, kind, url in surfaces}
    assert found == {name: expected for name in found}, state

    # The federation (dragoman/federation) gives servers what anonymous readers see, whoever
    # asks: the blog actor's outbox, and the entry's ActivityPub form.
    public = EntryPage.objects.visible(None).filter(pk=network.subject_id).exists()
    outbox = client.get(f"/federation/actors/{blog.slug}/outbox?page=1")
    names = (
        [item["object"]["name"] for item in outbox.json()["orderedItems"]]
        if (outbox.status_code == 200)
        else []
    )
    assert (TITLE in names) is public, state
    as_activity = client.get(network.subject_url, headers={"Accept": "application/activity+json"})
    assert (as_activity.status_code == 200) is public, state

    # Its own page: the page itself, with its structured data, or not found.
    response = client.get(network.subject_url)
    if own_page:
        assert response.status_code == 200
        data = page_html(response).select_one('script[type="application/ld+json"]')
        assert json.loads(data.string)["headline"] == TITLE
    elif network.community:
        # A community's page does not exist for anyone outside it (not even a sign-in page).
        assert response.status_code == 404
    elif network.restricted:
        # Wagtail asks for a sign-in first: nothing of the entry is shown.
        assert response.status_code == 302 and "login" in response["Location"]
    else:
        assert response.status_code == 404

    # The sitemap lists its address, and the entry beside it links to it.
    path = network.subject_url
    assert (path in client.get("/sitemap.xml").content.decode()) is expected
    beside = network.other_witness if blog == network.other_blog else network.witness
    beside_page = client.get(EntryPage.objects.get(pk=beside.pk).url)
    linked = beside_page.status_code == 200 and f'href="{path}"' in beside_page.content.decode()
    assert linked is expected

    # Counts: the tag cloud and the archive list count what the rule lists for the public.
    visible = EntryPage.objects.visible(None)
    month = counts.month_of(network.when)
    start, end = counts.month_bounds(month)
    assert (
        tag_cloud_count(client)
        == visible.tagged(TAG).count()
        == 1 + expected + visible.filter(pk=network.witness.pk).exists()
    )
    assert (
        archive_list_count(client, month) == visible.filter(date__gte=start, date__lt=end).count()
    )

    # A moved entry is gone from where it was; its old address sends readers to the new one.
    if network.former_blog is not None:
        former = list_surfaces(network, network.former_blog)
        assert not any(shows(client, kind, url) for _name, kind, url in former)
        response = client.get(network.former_url)
        assert response.status_code == 301 and response["Location"] == network.subject_url
