"""The configuration files docs/operations.md ships (deploy/) are valid for their tools."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dragoman.publishing.pagefiles import nginx_locations, nginx_maps
from tests.operations.sites import ROOT

DEPLOY = ROOT / "deploy"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def nginx_t(tmp_path: Path, site: str) -> subprocess.CompletedProcess[str]:
    """`nginx -t` of a site's server blocks, with a certificate made for the test."""
    tls = tmp_path / "tls"
    tls.mkdir()
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=blogs.example.org",
            "-keyout",
            str(tls / "privkey.pem"),
            "-out",
            str(tls / "fullchain.pem"),
        ],
        check=True,
        capture_output=True,
    )
    (tmp_path / "dragoman.conf").write_text(site.replace("/etc/dragoman/tls", str(tls)))
    (tmp_path / "logs").mkdir()
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/logs/error.log;\n"
        f"events {{}}\nhttp {{\n access_log off;\n include {tmp_path}/dragoman.conf;\n}}\n"
    )

    return subprocess.run(
        [str(NGINX), "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.skipif(NGINX is None, reason="nginx is not installed (Debian: nginx-light)")
def test_the_nginx_configuration_passes_nginx_t(tmp_path):
    result = nginx_t(tmp_path, (DEPLOY / "nginx" / "dragoman.conf").read_text())

    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


@pytest.mark.skipif(NGINX is None, reason="nginx is not installed (Debian: nginx-light)")
def test_the_cluster_configuration_passes_nginx_t(tmp_path):
    result = nginx_t(tmp_path, (DEPLOY / "nginx" / "dragoman-cluster.conf").read_text())

    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(NGINX is None, reason="nginx is not installed (Debian: nginx-light)")
def test_the_page_files_configuration_with_its_generated_locations_passes_nginx_t(
    tmp_path, settings
):
    settings.DRAGOMAN_PAGE_FILES_DIR = str(tmp_path / "pages")
    locations = tmp_path / "nginx-page-files.conf"
    locations.write_text(nginx_locations(root=settings.DRAGOMAN_PAGE_FILES_DIR))
    maps = tmp_path / "nginx-page-files-maps.conf"
    maps.write_text(nginx_maps())
    site = (DEPLOY / "nginx" / "dragoman-page-files.conf").read_text()
    site = site.replace("/etc/dragoman/nginx-page-files-maps.conf", str(maps))

    result = nginx_t(tmp_path, site.replace("/etc/dragoman/nginx-page-files.conf", str(locations)))

    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is absent")
def test_the_systemd_units_pass_systemd_analyze_verify(tmp_path):
    # The units name /opt/dragoman/.venv/bin/dragoman: here, this checkout's.
    dragoman = Path(sys.executable).parent / "dragoman"
    units = []
    for unit in sorted((DEPLOY / "systemd").iterdir()):
        text = unit.read_text().replace("/opt/dragoman/.venv/bin/dragoman", str(dragoman))
        name = unit.name.replace("@.service", "@1.service")
        (tmp_path / name).write_text(text)
        if unit.name.endswith("@.service"):
            (tmp_path / unit.name).write_text(text)
        units.append(str(tmp_path / name))

    result = subprocess.run(
        ["systemd-analyze", "verify", *units],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )

    problems = [
        line
        for line in result.stderr.splitlines()
        # A build machine or container has neither the units named in After= nor a
        # running systemd; those lines are about the machine, not the files.
        if "not found" not in line.lower() and "system has not been booted" not in line.lower()
    ]
    assert problems == [], result.stderr
