"""The digital team edits the mirrors and the onion address in the admin; the deployment's
settings give the defaults; a change refreshes the cached pages of every host."""

from collections.abc import Iterator

import feedparser
import pytest
from django.test import override_settings

from dragoman.core import hosts
from dragoman.publishing import pagecache
from dragoman.reach import services
from dragoman.reach.models import ReachSettings
from tests.factories import EntryFactory

pytestmark = pytest.mark.django_db

DEFAULT_ONION = f"{'v' * 56}.onion"
NEW_ONION = f"{'w' * 56}.onion"
REACH = {
    "BASE_URL": "http://127.0.0.1:8000",
    "DRAGOMAN_MIRROR_HOSTS": ["mirror.example"],
    "DRAGOMAN_ONION_ADDRESS": DEFAULT_ONION,
    "ALLOWED_HOSTS": ["testserver", "127.0.0.1", ".example", DEFAULT_ONION, NEW_ONION],
}


@pytest.fixture(autouse=True)
def reach() -> Iterator[None]:
    with override_settings(**REACH):
        hosts.addresses_forget()
        yield
    # The test's rows are rolled back: what this process remembers of them goes too.
    hosts.addresses_forget()


def mirror_links(client, host: str = "127.0.0.1") -> list[str]:
    feed = feedparser.parse(client.get("/mirrors/feed/", HTTP_HOST=host).content)
    return [item.link for item in feed.entries]


def test_without_the_teams_list_the_settings_give_the_addresses(client):
    assert mirror_links(client) == [
        "http://127.0.0.1:8000/",
        "http://mirror.example/",
        f"http://{DEFAULT_ONION}/",
    ]


def test_the_teams_mirrors_and_onion_replace_the_settings(client):
    services.addresses_set(
        mirror_hosts=["https://new-mirror.example/", "other.example"], onion_address=NEW_ONION
    )

    links = mirror_links(client)
    page = client.get("/mirrors/", HTTP_HOST="new-mirror.example").content.decode()

    assert links == [
        "http://127.0.0.1:8000/",
        "http://new-mirror.example/",
        "http://other.example/",
        f"http://{NEW_ONION}/",
    ]
    # The new mirror is served as a mirror (the old one no longer is): its pages name their
    # language alternates on it.
    assert hosts.host_kind("new-mirror.example") == "mirror"
    assert hosts.host_kind("mirror.example") == "main"
    assert '<link rel="alternate" hreflang="fr" href="http://new-mirror.example/' in page


def test_changing_the_onion_refreshes_cached_pages(client, settings):
    settings.DRAGOMAN_PAGE_CACHE = True
    entry = EntryFactory()
    client.get(entry.url, HTTP_HOST="127.0.0.1")
    before = client.get(entry.url, HTTP_HOST="127.0.0.1")

    services.addresses_set(mirror_hosts=[], onion_address=NEW_ONION)
    after = client.get(entry.url, HTTP_HOST="127.0.0.1")

    assert before.headers["X-Cache"] == "HIT"
    assert before.headers["Onion-Location"].startswith(f"http://{DEFAULT_ONION}/")
    assert after.headers["Onion-Location"].startswith(f"http://{NEW_ONION}/")


def test_another_process_reads_the_new_onion_address_at_once(
    settings, django_capture_on_commit_callbacks
):
    # Each process holds the addresses it read (``hosts.Addresses``): `other` is a second
    # process's, reading through the same database and shared cache, which hears nothing of
    # the save but what they hold. It looks at the shared epoch at every read (its check
    # interval over), as another process does after at most the interval.
    settings.DRAGOMAN_PAGE_CACHE_CHECK_INTERVAL = 0
    other = hosts.Addresses(services.addresses_in_force, version=pagecache.current_epoch)
    without_version = hosts.Addresses(services.addresses_in_force)
    with django_capture_on_commit_callbacks(execute=True):
        services.addresses_set(mirror_hosts=[], onion_address=NEW_ONION)
    before = (other.current().onion, without_version.current().onion)

    with django_capture_on_commit_callbacks(execute=True):
        services.addresses_set(mirror_hosts=["fresh.example"], onion_address=DEFAULT_ONION)
    after = (other.current(), without_version.current().onion)

    assert before == (NEW_ONION, NEW_ONION)
    assert (after[0].onion, after[0].mirrors) == (DEFAULT_ONION, ("fresh.example",))
    # What a process kept before: the old address, until its timed re-read.
    assert after[1] == NEW_ONION


def edit_url() -> str:
    return f"/admin/settings/reach/reachsettings/{ReachSettings.load().pk}/"


def test_the_admin_refuses_a_host_the_server_does_not_answer_for(admin_client):
    form = admin_client.get(edit_url())

    response = admin_client.post(
        edit_url(),
        {"mirror_hosts": "blocked.invalid\nnot a host", "onion_address": "short.onion"},
    )

    assert form.status_code == 200
    page = response.content.decode()
    assert "ask the operator" in page
    assert "is not a host name" in page
    assert "56 letters" in page
    assert not ReachSettings.objects.filter(mirror_hosts__contains="blocked").exists()


def test_the_admin_publishes_a_new_mirror(admin_client, client):
    response = admin_client.post(edit_url(), {"mirror_hosts": "fresh.example", "onion_address": ""})

    assert response.status_code == 302
    assert mirror_links(client) == [
        "http://127.0.0.1:8000/",
        "http://fresh.example/",
        f"http://{DEFAULT_ONION}/",
    ]
