"""docs/reach.md's Tor configuration, run with Debian's tor: it creates the onion service's
address offline (``DisableNetwork 1``), and Dragoman serves pages under that address."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from django.test import override_settings

from tests.factories import EntryFactory

ROOT = Path(__file__).resolve().parent.parent.parent
TOR = shutil.which("tor") or "/usr/bin/tor"


def documented_torrc() -> list[str]:
    """The HiddenService lines of the torrc block in docs/reach.md."""
    text = (ROOT / "docs" / "reach.md").read_text()
    block = re.search(r"```torrc\n(.*?)```", text, re.S)
    assert block is not None, "docs/reach.md has a ```torrc block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def onion_address(folder: Path, port: int) -> str:
    service = folder / "service"
    data = folder / "data"
    service.mkdir(mode=0o700)
    data.mkdir(mode=0o700)
    lines = []
    for line in documented_torrc():
        name, _, value = line.partition(" ")
        if name == "HiddenServiceDir":
            value = str(service)
        elif name == "HiddenServicePort":
            virtual, _, _target = value.partition(" ")
            value = f"{virtual} 127.0.0.1:{port}"
        lines.append(f"{name} {value}")
    torrc = folder / "torrc"
    torrc.write_text(
        "\n".join(
            [
                f"DataDirectory {data}",
                "DisableNetwork 1",
                "SocksPort 0",
                "Log notice stdout",
                *lines,
            ]
        )
        + "\n"
    )
    process = subprocess.Popen(
        [TOR, "-f", str(torrc)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        hostname = service / "hostname"
        deadline = time.monotonic() + 60
        while not hostname.exists() and time.monotonic() < deadline:
            if process.poll() is not None:
                output = process.stdout.read() if process.stdout else ""
                pytest.fail(f"tor stopped: {output[-2000:]}")
            time.sleep(0.2)
        assert hostname.exists(), "tor wrote no hostname file within a minute"
        return hostname.read_text().strip()
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.mark.django_db
@pytest.mark.skipif(not Path(TOR).exists(), reason="tor is not installed (apt-get install tor)")
def test_the_documented_tor_configuration_gives_an_address_dragoman_serves(client, tmp_path):
    address = onion_address(tmp_path, port=18800)
    entry = EntryFactory()

    with override_settings(DRAGOMAN_ONION_ADDRESS=address, ALLOWED_HOSTS=["testserver", address]):
        response = client.get(entry.url, HTTP_HOST=address)

    assert re.fullmatch(r"[a-z2-7]{56}\.onion", address)
    assert response.status_code == 200
    assert f'href="http://{address}{entry.url}"' in response.content.decode()  # canonical
