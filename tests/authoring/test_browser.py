"""In a real headless Chromium: a blogger writes, previews and publishes an entry with an
image and a video, then reads it on the public site. Screenshots go to test-output/."""

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import User

from dragoman.authoring import roles, services
from dragoman.blogs import services as blog_services
from dragoman.blogs.models import EntryPage
from dragoman.demo.images import landscape_png
from tests.browser import ARTEFACTS, CHROMIUM, CHROMIUM_ARGS
from tests.factories import BlogFactory, BloggerFactory

OUTPUT = ARTEFACTS
PASSWORD = "harbour-lights-2026"


def video_placeholder_violations(page) -> list[str]:
    """axe-core's WCAG 2.2 AA findings on the video placeholder alone."""
    from axe_playwright_python.sync_playwright import Axe

    from tests.browser import WCAG_22_AA

    results = Axe().run(
        page,
        context=".video",
        options={"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]},
    )
    return [violation["id"] for violation in results.response["violations"]]


@pytest.fixture
def browser_page():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip("Debian's Chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop; the test's own database calls are safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.set_default_timeout(30_000)
        yield page
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_blogger_writes_previews_publishes_and_reads_an_entry(
    live_server, browser_page, tmp_path, settings
):
    # The live server's in-memory SQLite locks whole tables when two requests write at once
    # (autosave racing the preview); autosave is Wagtail's own and not what this proves.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    roles.roles_ensure(django_apps)
    blog_services.network_ensure()
    user = User.objects.create_user("anneke", "anneke@example.org", PASSWORD)
    blogger = BloggerFactory(display_name="Anneke Solberg", user=user)
    blog = BlogFactory(title="Harbour notes", bloggers=[blogger])
    services.blogger_grant(blogger=blogger, blogs=[blog], acting_user=None)
    picture = tmp_path / "harbour.png"
    picture.write_bytes(landscape_png(seed=7))
    OUTPUT.mkdir(exist_ok=True)
    page, base = browser_page, live_server.url

    server_errors: list[str] = []
    page.on(
        "response",
        lambda response: (
            server_errors.append(f"{response.status} {response.url}")
            if response.status >= 500
            else None
        ),
    )

    # Sign in and upload a picture.
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", "anneke")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    page.goto(f"{base}/admin/images/add/")
    page.fill("#id_title", "Harbour at dawn")
    page.set_input_files("#id_file", str(picture))
    page.get_by_role("button", name="Upload").click()
    page.wait_for_url(f"{base}/admin/images/")

    # Write the entry: author, a paragraph, the picture with its alt text, a video link.
    page.goto(f"{base}/admin/pages/add/blogs/entrypage/{blog.pk}/")
    page.fill("#id_title", "The harbour wakes up")
    page.fill("#id_summary", "What the harbour looks like at dawn.")
    # Her own profile is already chosen as the author: she need not look for it.
    chosen = page.locator(".chooser:not(.blank) [data-chooser-title]", has_text="Anneke Solberg")
    chosen.first.wait_for()

    def insert_block(kind: str) -> None:
        page.locator("button.c-sf-add-button").last.click()
        page.locator(".w-combobox__option", has_text=kind).first.click()
        page.wait_for_timeout(300)

    insert_block("Paragraph")
    page.locator(".DraftEditor-root").last.click()
    page.keyboard.type("The boats come in before the sun.")
    insert_block("Image")
    page.get_by_role("button", name="Choose an image").last.click()
    page.locator(".modal-content").get_by_role("link", name="Harbour at dawn").first.click()
    page.wait_for_selector(".modal-content", state="detached")
    page.get_by_label("Alternative text").last.fill("Fishing boats in the harbour at dawn")
    insert_block("Video")
    page.get_by_label("Video address").last.fill("https://www.youtube.com/watch?v=aqz-KE-bpKQ")
    page.get_by_label("What the video is about").last.fill("The harbour in motion")

    # Save a draft, preview it beside the editor, then publish.
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(f"{base}/admin/pages/*/edit/")
    page.get_by_role("button", name="Toggle preview").click()
    preview = page.frame_locator("#w-preview-iframe")
    preview.get_by_text("The boats come in before the sun.").wait_for()
    page.screenshot(path=str(OUTPUT / "authoring-editor.png"))
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("has been published").first.wait_for()

    assert server_errors == []

    # Read it on the public site, where nothing comes from the video site until asked.
    entry = EntryPage.objects.get(title="The harbour wakes up")
    assert entry.live
    requested_hosts: set[str] = set()
    page.on("request", lambda request: requested_hosts.add(urlsplit(request.url).netloc))
    page.goto(f"{base}{entry.url}")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(OUTPUT / "authoring-published-entry.png"), full_page=True)

    assert page.get_by_role("heading", name="The harbour wakes up").first.is_visible()
    assert page.get_by_text("The boats come in before the sun.").is_visible()
    assert page.get_by_role("img", name="Fishing boats in the harbour at dawn").is_visible()
    video_link = page.get_by_role("link", name="Watch “The harbour in motion” on YouTube")
    assert video_link.is_visible()
    assert requested_hosts == {urlsplit(base).netloc}
    assert page.locator("iframe").count() == 0
    assert video_placeholder_violations(page) == []

    # Pressing play swaps the link for the no-cookie player (stubbed: tests stay offline).
    page.route(
        "https://www.youtube-nocookie.com/**",
        lambda route: route.fulfill(body="<p>player</p>", content_type="text/html"),
    )
    video_link.click()
    frame = page.locator("iframe.video__frame")
    frame.wait_for()
    assert frame.get_attribute("src", timeout=5_000).startswith(
        "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ"
    )
