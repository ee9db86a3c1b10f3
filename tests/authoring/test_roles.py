"""Each role signs in and finds in the admin menu what its work needs, and nothing else; every
page the menu offers opens, and the pages it does not offer are refused."""

import importlib
import json
import re
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.urls import reverse

from dragoman.authoring import roles
from dragoman.conversations.models import NetworkConversationSettings

from .conftest import PASSWORD, Network

# The admin pages of the menu, by the menu item's name. Wagtail's own reports are listed as
# Wagtail shows them for the permissions each role holds.
DIGITAL_TEAM_MENU = {
    "explorer",
    "images",
    "documents",
    "bloggers",
    "permission-to-blog",
    "comments",
    "missions",
    "channels",
    "import-channels",
    "audit",
    "answering-comments",
    "entries-to-translate",
    "locked-pages",
    "workflows",
    "workflow-tasks",
    "site-history",
    "aging-pages",
    "page-types-usage",
    "conversation-settings",
    "blog-conversation-settings",
    "campaign-messages",
    "question-sessions",
    "evaluation-figures",
    "subscriptions",
}
MODERATOR_MENU = {"comments", "answering-comments", "campaign-messages", "question-sessions"}
BLOGGER_MENU = {
    "explorer",
    "images",
    "comments",
    "my-public-profile",
    "entries-to-translate",
    "workflows",
    "workflow-tasks",
    "site-history",
    "aging-pages",
    "page-types-usage",
}


def _menu_links(node: Any, found: dict[str, str]) -> None:
    if isinstance(node, dict):
        url = node.get("url")
        if isinstance(node.get("name"), str) and isinstance(url, str):
            found[node["name"]] = url
        for value in node.values():
            _menu_links(value, found)
    elif isinstance(node, list):
        for value in node:
            _menu_links(value, found)


def admin_menu(client: Any) -> dict[str, str]:
    """The admin pages the sidebar offers, by name (not the help links, nor the account)."""
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    props = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert props is not None, "the admin renders its sidebar"
    found: dict[str, str] = {}
    _menu_links(json.loads(props.group(1)), found)
    return {
        name: url
        for name, url in found.items()
        if url.startswith("/admin/") and url != reverse("wagtailadmin_account")
    }


def refused(response: Any) -> bool:
    """Wagtail refuses with 403, or sends the user back to the dashboard with an apology; a
    page about what the user does not have (their own public profile) is not found."""
    return response.status_code in (403, 404) or (
        response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    )


def opened(client: Any, url: str) -> bool:
    """The page opens, perhaps after a redirect of Wagtail's own (the explorer goes to the
    blogger's blog, the network switch to its one row), but not back to the dashboard."""
    response = client.get(url, follow=True)
    return response.status_code == 200 and all(
        target != reverse("wagtailadmin_home") for target, _status in response.redirect_chain
    )


def refused_after_redirects(client: Any, url: str) -> bool:
    response = client.get(url)
    while response.status_code == 302 and response.url != reverse("wagtailadmin_home"):
        response = client.get(response.url)
    return refused(response)


def every_role_menu(client: Any, network: Network) -> dict[str, dict[str, str]]:
    menus = {}
    for role, user in [
        ("digital", network.digital),
        ("moderator", network.moderator),
        ("blogger", network.blogger_user),
    ]:
        assert client.login(username=user.username, password=PASSWORD)
        menus[role] = admin_menu(client)
        client.logout()
    return menus


@pytest.mark.parametrize(
    ("role", "expected"),
    [("digital", DIGITAL_TEAM_MENU), ("moderator", MODERATOR_MENU), ("blogger", BLOGGER_MENU)],
)
def test_each_role_is_offered_exactly_what_its_work_needs(client, network, role, expected):
    menus = every_role_menu(client, network)

    assert set(menus[role]) == expected


@pytest.mark.parametrize(
    ("role", "username"),
    [("digital", "digital"), ("moderator", "moderator"), ("blogger", "amira")],
)
def test_every_page_a_role_is_offered_opens_and_the_others_are_refused(
    client, network, role, username
):
    menus = every_role_menu(client, network)
    offered = menus[role]
    others = {url for menu in menus.values() for url in menu.values()} - set(offered.values())
    # Wagtail's site history opens for anyone in the admin, listing only what the user may
    # see anyway (nothing, for a moderator); the menu rightly does not offer it to them.
    others.discard(reverse("wagtailadmin_reports:site_history"))
    assert client.login(username=username, password=PASSWORD)

    not_opened = [url for url in sorted(offered.values()) if not opened(client, url)]
    not_refused = [url for url in sorted(others) if not refused_after_redirects(client, url)]

    assert not_opened == []
    assert not_refused == []


def network_switch_url() -> str:
    return reverse(
        "wagtailsettings:edit",
        args=[
            "conversations",
            "networkconversationsettings",
            NetworkConversationSettings.load().pk,
        ],
    )


def test_digital_team_closes_every_conversation_for_an_election(client, network):
    assert client.login(username="digital", password=PASSWORD)
    url = network_switch_url()

    response = client.post(
        url, {"comments_closed": "on", "closed_banner": "Closed until the vote.", "reopen_at": ""}
    )

    assert response.status_code == 302
    assert NetworkConversationSettings.load().comments_closed


def test_moderator_may_not_touch_the_network_switch_nor_the_register(client, network):
    assert client.login(username="moderator", password=PASSWORD)

    switch = client.get(network_switch_url())
    channel_import = client.get(reverse("channels_import"))

    assert refused(switch)
    assert refused(channel_import)


def test_the_data_migration_gives_the_digital_team_its_daily_work(db):
    Group.objects.filter(name=roles.DIGITAL_TEAM).delete()
    migration = importlib.import_module("dragoman.authoring.migrations.0003_roles_daily_work")

    migration.roles_update(django_apps, None)

    digital_team = Group.objects.get(name=roles.DIGITAL_TEAM)
    granted = set(digital_team.permissions.values_list("content_type__app_label", "codename"))
    assert set(roles.DIGITAL_TEAM_PERMISSIONS) <= granted
    assert ("conversations", "moderate_comment") in granted
    assert ("channels", "change_channel") in granted
