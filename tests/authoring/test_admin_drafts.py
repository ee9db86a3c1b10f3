"""A blogger sees in the admin only the drafts of the blogs they may edit.

A draft's title can be news before its time. Every list, report, chooser and search of the
admin is asked, as a blogger, for a draft on a blog that blogger may not edit; its title must
appear nowhere. The blogger's own draft must appear where the page lists drafts, so the test
can tell "hidden" from "empty".
"""

from typing import Any

import pytest
from django.urls import reverse

from dragoman.blogs.models import BlogIndexPage, EntryPage
from tests.factories import EntryFactory

from .conftest import PASSWORD, Network

OTHER_DRAFT = "Unannounced visit of the foreign minister"
OWN_DRAFT = "Amira writes unpublished notes"


@pytest.fixture
def drafts(network: Network, client: Any) -> dict[str, EntryPage]:
    other = EntryFactory(blog=network.other_blog, live=False, title=OTHER_DRAFT)
    own = EntryFactory(blog=network.own_blog, live=False, title=OWN_DRAFT)
    assert client.login(username="amira", password=PASSWORD)
    return {"other": other, "own": own}


def admin_addresses(network: Network, drafts: dict[str, EntryPage]) -> dict[str, str]:
    """Every admin page that lists pages or counts them, as a blogger may open it."""
    index = BlogIndexPage.objects.get()
    words = OTHER_DRAFT.split()[1]  # "visit": a search that would find the draft
    addresses = {
        "dashboard": reverse("wagtailadmin_home"),
        "explorer, blogs": reverse("wagtailadmin_explore", args=[index.pk]),
        "explorer, other blog": reverse("wagtailadmin_explore", args=[network.other_blog.pk]),
        "page search": reverse("wagtailadmin_pages:search") + f"?q={words}",
        "chooser, root": reverse("wagtailadmin_choose_page"),
        "chooser, blogs": reverse("wagtailadmin_choose_page_child", args=[index.pk]),
        "chooser, other blog": reverse(
            "wagtailadmin_choose_page_child", args=[network.other_blog.pk]
        ),
        "chooser search": reverse("wagtailadmin_choose_page_search") + f"?q={words}",
        "chooser, own blog": reverse("wagtailadmin_choose_page_child", args=[network.own_blog.pk]),
        "chooser search, entries": reverse("wagtailadmin_choose_page_search")
        + f"?q={words}&page_type=blogs.entrypage",
        "admin API": "/admin/api/main/pages/?child_of=" + str(network.other_blog.pk),
        "admin API search": f"/admin/api/main/pages/?search={words}",
        "aging pages": reverse("wagtailadmin_reports:aging_pages"),
        "locked pages": reverse("wagtailadmin_reports:locked_pages"),
        "workflows": reverse("wagtailadmin_reports:workflow"),
        "workflow tasks": reverse("wagtailadmin_reports:workflow_tasks"),
        "site history": reverse("wagtailadmin_reports:site_history"),
        "page types usage": reverse("wagtailadmin_reports:page_types_usage"),
        "audit": reverse("authoring_audit"),
        "answering comments": reverse("conversations_admin:report"),
        "comments": reverse("conversations_admin:queue"),
        "bloggers": reverse("wagtailsnippets_blogs_blogger:list"),
        "channels": reverse("wagtailsnippets_channels_channel:list"),
        "missions": reverse("wagtailsnippets_missions_mission:list"),
        "permission to blog": reverse("authoring_access"),
        "profile": reverse("authoring_profile"),
    }
    report = reverse("blogs_translations_missing")
    for code in ("ar", "fa", "fr", "es", "ru", "en"):
        addresses[f"entries to translate, {code}"] = f"{report}?language={code}"
    return addresses


# Pages that list drafts the blogger may edit: the own draft must be there.
LISTS_OWN_DRAFTS = {"entries to translate, ar", "chooser, own blog"}


def test_no_admin_page_shows_a_blogger_the_title_of_another_blogs_draft(
    client: Any, network: Network, drafts: dict[str, EntryPage]
):
    shown = {}
    for name, address in admin_addresses(network, drafts).items():
        response = client.get(address)
        # 400, 403 and 404 are fine answers too: the page is simply not for a blogger.
        assert response.status_code in (200, 302, 400, 403, 404), (name, response.status_code)
        shown[name] = response.content.decode() if response.status_code == 200 else ""

    leaking = [name for name, page in shown.items() if OTHER_DRAFT in page]
    assert leaking == []
    for name in LISTS_OWN_DRAFTS:
        assert OWN_DRAFT in shown[name], name


def test_the_digital_team_sees_every_draft_in_entries_to_translate(
    client: Any, network: Network, drafts: dict[str, EntryPage]
):
    client.logout()
    client.force_login(network.digital)

    page = client.get(reverse("blogs_translations_missing") + "?language=ar").content.decode()

    assert OTHER_DRAFT in page
    assert OWN_DRAFT in page
