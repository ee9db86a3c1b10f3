"""WordPress itself takes the WXR file `dragoman export` writes: a fresh WordPress 6.1
(Debian's `wordpress` package, PHP, MariaDB on 127.0.0.1:3306) reads it as its importer
does and holds the same entries, tags, authors, comments and images
(`fixtures/import-into-wordpress.php` says how, and why not the importer plugin itself).
Skipped, saying why, where PHP, WordPress or MariaDB are not installed."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
from datetime import UTC, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from dragoman.conversations.models import Comment
from dragoman.migration.export import archive_write
from tests import factories

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
WORDPRESS = Path("/usr/share/wordpress/wp-load.php")
CONFIGS = Path("/etc/wordpress")
MARIADB = ("127.0.0.1", 3306)


def missing() -> str:
    if shutil.which("php") is None:
        return "PHP is not installed (apt-get install php-cli php-mysql php-xml)"
    php = subprocess.run(["php", "-m"], capture_output=True, text=True).stdout.split()
    if "SimpleXML" not in php or "mysqli" not in php:
        return "PHP lacks SimpleXML or mysqli (apt-get install php-xml php-mysql)"
    if not WORDPRESS.is_file():
        return "WordPress is not installed (apt-get install wordpress)"
    if not os.access(CONFIGS, os.W_OK):
        return f"{CONFIGS} is not writable: a site's configuration goes there"
    if shutil.which("mysql") is None:
        return "the MariaDB client is not installed"
    try:
        socket.create_connection(MARIADB, timeout=2).close()
    except OSError:
        return "no MariaDB server on 127.0.0.1:3306"
    return ""


@pytest.fixture
def wordpress(tmp_path):
    """A function that imports a WXR file into a fresh WordPress site; what it then holds."""
    why = missing()
    if why:
        pytest.skip(why)
    name = f"dragoman-wxr-{os.getpid()}"
    database = name.replace("-", "_")
    config = CONFIGS / f"config-{name}.php"
    mysql = ["mysql", "-h", MARIADB[0], "-P", str(MARIADB[1]), "-uroot", "-e"]
    subprocess.run(
        [
            *mysql,
            f"DROP DATABASE IF EXISTS {database}; CREATE DATABASE {database} CHARACTER SET utf8mb4",
        ],
        check=True,
    )
    (tmp_path / "wp-content").mkdir()
    config.write_text(
        "<?php\n"
        f"define('DB_NAME', '{database}');\ndefine('DB_USER', 'root');\n"
        f"define('DB_PASSWORD', '');\ndefine('DB_HOST', '{MARIADB[0]}:{MARIADB[1]}');\n"
        f"define('WP_CONTENT_DIR', '{tmp_path / 'wp-content'}');\n"
        "define('WP_HOME', 'https://wordpress.example.org');\n"
        "define('WP_SITEURL', 'https://wordpress.example.org');\n"
    )

    def take(path: Path) -> dict:
        done = subprocess.run(
            ["php", str(FIXTURES / "import-into-wordpress.php"), str(path)],
            env={**os.environ, "WORDPRESS_CONFIG": name, "HTTP_HOST": "wordpress.example.org"},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr + done.stdout[:2000]
        return json.loads(done.stdout)

    try:
        yield take
    finally:
        config.unlink(missing_ok=True)
        subprocess.run([*mysql, f"DROP DATABASE IF EXISTS {database}"], check=False)


def test_wordpress_imports_our_wxr_export(wordpress, tmp_path):
    blog = factories.BlogFactory(slug="lisbon", title="Embassy in Lisbon")
    author = blog.bloggers.first()
    when = (timezone.now() - timedelta(days=30)).replace(microsecond=0)
    entry = factories.EntryFactory(
        blog=blog,
        title="Opening the new consulate",
        summary="The consulate in Porto opened its doors.",
        body=[
            ("paragraph", "<p>The consulate <b>opened</b> today.</p>"),
            ("heading", {"text": "What comes next", "level": "h2"}),
        ],
        tags=["Consular", "Porto"],
        date=when,
    )
    factories.EntryFactory(blog=blog, title="Notes for later", live=False, date=when)
    question = Comment.objects.create(
        entry=entry,
        blog=blog,
        name="Maria",
        body="Is it open on Saturdays?",
        body_html="<p>Is it open on Saturdays?</p>",
        status=Comment.Status.APPROVED,
        created_at=when,
        published_at=when,
    )
    Comment.objects.create(
        entry=entry,
        blog=blog,
        parent=question,
        name=author.display_name,
        body="Yes, from June.",
        body_html="<p>Yes, from June.</p>",
        status=Comment.Status.APPROVED,
        created_at=when,
        published_at=when,
    )
    archive_write(folder=tmp_path / "out", blog_slug="lisbon")

    held = wordpress(tmp_path / "out" / "wordpress.xml")

    posts = {post["title"]: post for post in held["posts"]}
    assert held["wxr_version"] == "1.2" and not held["failed"]
    assert set(posts) == {"Opening the new consulate", "Notes for later"}
    post = posts["Opening the new consulate"]
    assert post["status"] == "publish" and posts["Notes for later"]["status"] == "draft"
    assert post["date_gmt"] == when.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    assert post["slug"] == entry.slug and post["author"] == author.display_name
    assert sorted(post["tags"]) == ["Consular", "Porto"]
    assert post["excerpt"] == "The consulate in Porto opened its doors."
    assert "<strong>opened</strong>" in post["content"] or "<b>opened</b>" in post["content"]
    assert "What comes next" in post["content"]
    comments = {c["author"]: c for c in post["comments"]}
    assert comments["Maria"]["approved"] == "1"
    assert comments[author.display_name]["parent_author"] == "Maria"
