"""The register's pages pass the Nu HTML Checker (as the reading pages do, tests/core)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from dragoman.channels.models import Channel
from tests.factories import BloggerFactory, ChannelFactory, MissionFactory

pytestmark = pytest.mark.django_db

VNU_JAR = Path(__file__).resolve().parents[2] / "node_modules/vnu-jar/build/dist/vnu.jar"

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
    java = shutil.which("java")
    if java is None or not VNU_JAR.exists():
        pytest.skip("the Nu HTML Checker needs java and `npm ci` (see tests/core)")
    amman = MissionFactory(slug="amman", name="Embassy in Amman", country_code="JO")
    tomas = BloggerFactory(slug="tomas", mission=amman)
    ChannelFactory(platform="x", handle="dgm_amman", mission=amman, note="Our main account.")
    ChannelFactory(
        platform="x", handle="dgm_amman_", mission=amman, status=Channel.Status.IMPERSONATION
    )
    ChannelFactory(platform="wechat", handle="gh_dgmamman", mission=amman)
    ChannelFactory(platform="mastodon", handle="@tomas@social.example", blogger=tomas)
    files = {}
    for name, url in PAGES.items():
        files[name] = tmp_path / (name.replace(" ", "-").replace(",", "") + ".html")
        files[name].write_text(client.get(url).content.decode(), encoding="utf-8")

    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--format", "json", *map(str, files.values())],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    errors = [
        f"{message['url'].rsplit('/', 1)[-1]}: {message['message']}"
        for message in json.loads(result.stderr)["messages"]
        if message["type"] == "error"
    ]
    assert errors == []
