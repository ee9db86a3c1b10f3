"""The register's pages pass the Nu HTML Checker (as the reading pages do, tests/core)."""

import pytest

from dragoman.channels.models import Channel
from tests.factories import BloggerFactory, ChannelFactory, MissionFactory
from tests.validators import nu_html_errors

pytestmark = pytest.mark.django_db

PAGES = {
    "register": "/channels/",
    "register with a bad filter": "/channels/?platform=myspace",
    "check, impersonation": "/channels/check/?q=@dgm_amman_",
    "check, refused": "/channels/check/?q=javascript:alert(1)",
    "check in Arabic": "/ar/channels/check/?q=x.com/dgm_amman",
    "mission": "/missions/amman/",
    "profile": "/bloggers/tomas/",
}


def test_register_pages_have_no_html_error(client, tmp_path):
    amman = MissionFactory(slug="amman", name="Embassy in Amman", country_code="JO")
    tomas = BloggerFactory(slug="tomas", mission=amman)
    ChannelFactory(platform="x", handle="dgm_amman", mission=amman, note="Our main account.")
    ChannelFactory(
        platform="x", handle="dgm_amman_", mission=amman, status=Channel.Status.IMPERSONATION
    )
    ChannelFactory(platform="wechat", handle="gh_dgmamman", mission=amman)
    ChannelFactory(platform="mastodon", handle="@tomas@social.example", blogger=tomas)
    pages = {name: client.get(url).content.decode() for name, url in PAGES.items()}

    errors = nu_html_errors(pages, tmp_path)

    assert errors == {name: [] for name in PAGES}
