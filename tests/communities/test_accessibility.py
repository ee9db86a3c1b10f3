"""Members' pages and the sign-in pages (django-allauth's, in our frame) are valid HTML
(the Nu HTML Checker) and pass axe-core's WCAG 2.2 A/AA rules in Debian's Chromium."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from dragoman.communities import services
from dragoman.communities.models import Membership
from tests.browser import axe_audit
from tests.validators import nu_html_errors

MEMBER_PAGES = [
    "/members/",
    "/members/account/",
    "/members/alumni-a/",
    "/members/alumni-a/threads/",
    "/members/alumni-a/threads/new/",
    "/members/alumni-a/events/",
    "/members/alumni-a/directory/",
    "/members/alumni-a/settings/",
    "/members/alumni-a/manage/",
    "/accounts/2fa/",
    "/accounts/logout/",
    "/accounts/reauthenticate/",
    "/fr/members/alumni-a/",
    "/ar/members/alumni-a/threads/",
]
SIGN_IN_PAGES = [
    "/accounts/login/",
    "/accounts/login/code/",
    "/accounts/password/reset/",
    "/accounts/signup/",
    "/fa/accounts/login/",
]


def signed_in(page: Any, base: str, user: Any) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])


@pytest.mark.browser
def test_members_and_sign_in_pages_are_valid_and_pass_axe(live_server, browser_page, two, tmp_path):
    manager = Membership.objects.get(user=two.manager_a)
    topic = services.topic_create(membership=manager, title="Reunion", body="Who comes?")
    services.event_create(
        community=two.a,
        acting_user=two.manager_a,
        title="Picnic",
        starts_at=timezone.now() + timezone.timedelta(days=3),
        place="Park",
    )
    services.profile_update(membership=manager, in_directory=True, shown_fields=["city"])
    page, base = browser_page, live_server.url
    html: dict[str, str] = {}
    violations: dict[str, list[str]] = {}

    def visit(address: str) -> None:
        response = page.goto(base + address)
        assert response is not None and response.status == 200, address
        html[address] = page.content()
        found = axe_audit(page)
        if found:
            violations[address] = found

    for address in SIGN_IN_PAGES:
        visit(address)
    # The page that asks for the code the email brings.
    page.goto(base + "/accounts/login/code/")
    page.locator("input[name=email]").fill(two.member_a.email)
    with page.expect_navigation():
        page.get_by_role("button", name="Request Code").click()
    html["code confirm"] = page.content()
    if found := axe_audit(page):
        violations["code confirm"] = found
    page.context.clear_cookies()

    signed_in(page, base, two.manager_a)
    for address in [*MEMBER_PAGES, f"/members/alumni-a/threads/{topic.pk}/"]:
        visit(address)

    assert violations == {}
    errors = nu_html_errors(
        {name.strip("/").replace("/", "_") or "root": text for name, text in html.items()}, tmp_path
    )
    assert {name: e for name, e in errors.items() if e} == {}
    # Every page has a title of its own (test_adapters.py checks that allauth's end with the
    # network's name).
    for address, text in html.items():
        title = " ".join(text.split("<title>", 1)[1].split("</title>", 1)[0].split())
        assert title and not title.startswith("–"), (address, title)
