"""The demo network's reading pages that the quality gates (axe, Nu HTML Checker, weight) check.

Built with the same builder as `make demo`, so the gates judge what a visitor to the demo sees:
images with alt text, quotes, video links, right-to-left entries.
"""

from django.urls import reverse

from dragoman.blogs.models import Blogger, BlogPage, EntryPage
from dragoman.campaigns.models import CampaignPage
from dragoman.demo.builder import demo_build


def richest_entry(*, language: str = "en") -> EntryPage:
    """The live entry using the most kinds of body block (image, quote, video...)."""
    entries = EntryPage.objects.live().filter(language=language).order_by("pk")
    return max(entries, key=lambda entry: len({block.block_type for block in entry.body}))


def demo_pages_build() -> dict[str, str]:
    """Build the demo network; return the path of each page to check, by a readable name."""
    demo_build(report=lambda _message: None)
    entry = richest_entry()
    blog = BlogPage.objects.live().filter(pk=entry.get_parent().pk).get()
    right_to_left = EntryPage.objects.live().filter(language__in=["ar", "fa"]).order_by("pk")
    blogger = entry.authors[0]
    tag = entry.tags.order_by("slug").first()
    assert tag is not None, "the demo's entries have tags"
    month = entry.date
    profile = Blogger.objects.select_related("mission").get(pk=blogger.pk)
    first_right_to_left = right_to_left.first()
    campaign = CampaignPage.objects.live().get()
    assert first_right_to_left is not None, "the demo has Arabic or Persian entries"
    return {
        "home": "/",
        "blog": blog.url,
        "entry": entry.url,
        "right-to-left entry": first_right_to_left.url,
        "profile": profile.get_absolute_url(),
        "tag": reverse("blogs:tag_detail", args=[tag.slug]),
        "blog tag": reverse("blogs:blog_tag_detail", args=[blog.slug, tag.slug]),
        "tags": reverse("blogs:tag_index"),
        "bloggers": reverse("blogs:blogger_list"),
        "archive": reverse("blogs:archive_index"),
        "archive year": reverse("blogs:archive_year", args=[f"{month:%Y}"]),
        "archive month": reverse("blogs:archive_month", args=[f"{month:%Y}", f"{month:%m}"]),
        "blogs": blog.get_parent().url,
        "mission": profile.mission.get_absolute_url(),
        "home in Arabic": "/ar/",
        "campaign": campaign.url,
        "campaign country": reverse("campaigns:country_wall", args=[campaign.pk, "FR"]),
    }
