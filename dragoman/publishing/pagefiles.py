"""Cached public pages as files that a front server on this machine serves itself.

With ``DRAGOMAN_PAGE_FILES_DIR`` set, every page the page cache stores for an anonymous reader
that is the same for every anonymous reader (no query string, a 200 HTML page whose headers
are those the front server is told to send) is also written under that folder, so that nginx
answers it from the file and a traffic spike never reaches Python. Anything else, and any
address without a file, goes on to Python, which serves it from the page cache as before.

Layout, under the folder:

- ``www/<host><path>index.html`` and, when the cache keeps them, ``index.html.gz`` and
  ``index.html.br`` (nginx's ``gzip_static``, ``brotli_static``). ``<host>`` is the host name
  without a port, lower case, as nginx's ``$host``: a mirror or the onion service gets its own
  files, as it gets its own pages in the cache.
- ``index/<dependency digest>/<file digest>``: which files show a dependency (the file's
  place inside, written before the file), so that a change removes exactly the files of the
  pages it refreshes.

Exactness, as in the page cache: a file is written after its page was stored, then the
epoch is read again; if it moved (something changed meanwhile) the file is removed at once.
A change bumps the tokens and the epoch first (``pagecache.bump``), then removes the files it
finds in the index: any file written before the new epoch was read is in the index by then.
A change of every page (``site``: a release, a site's host names) removes both folders in two
renames. Writes are atomic (a temporary file renamed over the old one), so nginx never serves
half a page.

The files are for one machine: the folder must be the one every process that changes content
(app servers, ``dragoman worker``) and nginx see. Pages served by nginx from a file are not
counted by the evaluation (nginx's access log holds them).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import threading
import uuid
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings

from dragoman.core.changes import SITE
from dragoman.core.middleware import PUBLIC_CONTENT_SECURITY_POLICY, PUBLIC_PERMISSIONS_POLICY
from dragoman.core.textonly import CONTENT_SECURITY_POLICY as TEXT_CONTENT_SECURITY_POLICY
from dragoman.core.textonly import TEXT_PREFIX

from . import pagecache

logger = logging.getLogger(__name__)

FILE_NAME = "index.html"
CONTENT_TYPE = "text/html; charset=utf-8"
# Files next to the page's, written before it and removed before it: nginx's gzip_static opens
# the copy without looking for the page, so a copy never outlives its page, and a reader who
# finds the page and its copy gets the same version from both.
ENCODED_SUFFIXES = (".gz", ".br")


def folder() -> Path | None:
    value = settings.DRAGOMAN_PAGE_FILES_DIR
    return Path(value) if value else None


def file_host(host: str) -> str | None:
    """The host as nginx's ``$host`` names it, or None for a host with a port: pages rendered
    for ``name:port`` may link to that port, and nginx's files are named without one (nginx
    passes ``Host $host`` to the app)."""
    host = host.lower()
    if not host or ":" in host or "/" in host or "\\" in host or host.startswith("."):
        return None
    return host


def relative_file(host: str, path: str) -> str | None:
    """Where an address's page lives under ``www/``; None when the address cannot be a file
    that nginx would find for that same address (and only for that one)."""
    name = file_host(host)
    if name is None or not path.startswith("/") or not path.endswith("/"):
        return None
    if "\x00" in path or "\\" in path:
        return None
    for segment in path[1:-1].split("/") if path != "/" else ():
        # nginx merges slashes and resolves dots in $uri; a hidden name is never a page. A
        # folder named like a page file would answer its parent's address with a redirect.
        if not segment or segment.startswith((".", FILE_NAME)):
            return None
    return name + path + FILE_NAME


def strict_transport_security() -> str | None:
    """The header Django's SecurityMiddleware sends on a secure request, if any."""
    seconds = settings.SECURE_HSTS_SECONDS
    if not seconds:
        return None
    value = f"max-age={seconds}"
    if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
        value += "; includeSubDomains"
    if settings.SECURE_HSTS_PRELOAD:
        value += "; preload"
    return value


def header_sets(*, secure: bool) -> dict[str, dict[str, str]]:
    """For each address prefix that nginx gives a location, the headers the app sends with a
    page there (besides validators, length and encoding): what nginx must send with a file.
    ``secure``: for pages asked over https, which carry Strict-Transport-Security.

    The app's middleware writes these headers; here they are named a second time, for nginx,
    so a file is written only when its page carries exactly these (``headers_match``), and
    ``tests/publishing/test_pagefiles_nginx.py`` compares both servers' answers.
    """
    common = {
        "Content-Type": CONTENT_TYPE,
        "X-Frame-Options": settings.X_FRAME_OPTIONS,
        "Permissions-Policy": PUBLIC_PERMISSIONS_POLICY,
        "Referrer-Policy": settings.SECURE_REFERRER_POLICY,
        "Cross-Origin-Opener-Policy": settings.SECURE_CROSS_ORIGIN_OPENER_POLICY,
        "Cache-Control": pagecache.cache_control(),
        "Vary": pagecache.VARY,
    }
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        common["X-Content-Type-Options"] = "nosniff"
    hsts = strict_transport_security()
    if hsts and secure:
        common["Strict-Transport-Security"] = hsts
    sets = {}
    for code, _name in settings.LANGUAGES:
        prefix = "/" if code == settings.LANGUAGE_CODE else f"/{code}/"
        for text_only in (False, True):
            sets[(TEXT_PREFIX if text_only else "") + prefix] = {
                **common,
                "Content-Language": code,
                "Content-Security-Policy": (
                    TEXT_CONTENT_SECURITY_POLICY if text_only else PUBLIC_CONTENT_SECURITY_POLICY
                ),
            }
    return sets


def header_set(path: str, *, secure: bool) -> dict[str, str]:
    """The headers nginx sends with the file of this address: its longest prefix's, as nginx
    chooses among prefix locations."""
    sets = header_sets(secure=secure)
    prefix = max((p for p in sets if path.startswith(p)), key=len)
    return sets[prefix]


def headers_match(path: str, page: pagecache.CachedPage, *, secure: bool) -> bool:
    sent = {name.lower(): value for name, value in page.headers}
    for name, value in page.validators():
        if name in ("Cache-Control", "Vary"):
            sent[name.lower()] = value
    expected = header_set(path, secure=secure)
    return sent == {name.lower(): value for name, value in expected.items()}


def digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def write_atomically(target: Path, body: bytes) -> None:
    # Readable by nginx's user (0644 under the usual umask), unlike mkstemp's 0600.
    temporary = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(body)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def remove_file(root: Path, relative: str) -> None:
    target = root / "www" / relative
    for suffix in ENCODED_SUFFIXES:
        target.with_name(target.name + suffix).unlink(missing_ok=True)
    target.unlink(missing_ok=True)


def keep(*, host: str, path: str, secure: bool, page: pagecache.CachedPage, epoch: str) -> bool:
    """Write a stored page's file, if it may be one; ``epoch`` is the one the page was found
    valid (or stored) at, ``secure`` whether it was asked over https. True if the file is
    there afterwards."""
    root = folder()
    if root is None or page.status != 200:
        return False
    relative = relative_file(host, path)
    if relative is None or not headers_match(path, page, secure=secure):
        return False
    try:
        # The index first: a change that removes files after this point finds this one.
        for dependency in page.versions.keys() - {str(SITE)}:
            entry = root / "index" / digest(dependency) / digest(relative)
            entry.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(entry, relative.encode())
        target = root / "www" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        for suffix, body in zip(ENCODED_SUFFIXES, (page.gzip, page.brotli), strict=True):
            encoded = target.with_name(target.name + suffix)
            if body is None:
                encoded.unlink(missing_ok=True)
            else:
                write_atomically(encoded, body)
        write_atomically(target, page.identity)
    except OSError:
        # A name too long for the file system, a full disk: the app serves the page.
        logger.warning("The page file of %s could not be written.", path, exc_info=True)
        remove_file(root, relative)
        return False
    if pagecache.current_epoch(fresh=True) != epoch:
        remove_file(root, relative)  # something changed while it was written
        return False
    return True


# Addresses whose file this process made sure of, with the epoch it did so at: a hit of the
# same page at the same epoch need not look at the disk again.
_checked: dict[str, str] = {}


def unchecked(key: str, epoch: str) -> bool:
    """Whether ``keep_on_hit`` would look at the disk for this address at this epoch."""
    return _checked.get(key) != epoch


def keep_on_hit(
    *, key: str, host: str, path: str, secure: bool, page: pagecache.CachedPage, epoch: str
) -> None:
    """A hit that reached the app for an address nginx would serve from a file: the file is
    missing (a page stored before files were on, by another machine, or removed in a race), so
    write it. Called for hits without a query string only."""
    if _checked.get(key) == epoch:
        return
    root = folder()
    relative = relative_file(host, path)
    if root is not None and relative is not None and not (root / "www" / relative).exists():
        keep(host=host, path=path, secure=secure, page=page, epoch=epoch)
    if len(_checked) > 10_000:  # bounded, whatever the number of addresses
        _checked.clear()
    _checked[key] = epoch


def forget(dependencies: Iterable[object]) -> None:
    """Remove the files of every page that shows any of these (after ``pagecache.bump``)."""
    root = folder()
    if root is None:
        return
    names = {str(dependency) for dependency in dependencies}
    if str(SITE) in names:
        clear()
        return
    for name in names:
        entries = root / "index" / digest(name)
        try:
            listed = list(entries.iterdir())
        except FileNotFoundError:
            continue
        for entry in listed:
            try:
                relative = entry.read_text()
            except FileNotFoundError:
                continue  # another process removed it
            remove_file(root, relative)
            entry.unlink(missing_ok=True)


def clear() -> None:
    """Remove every file: each folder is renamed away at once, then deleted."""
    root = folder()
    if root is None:
        return
    for part in ("www", "index"):
        gone = root / f".gone-{part}-{uuid.uuid4().hex}"
        try:
            (root / part).rename(gone)
        except FileNotFoundError:
            continue
        shutil.rmtree(gone, ignore_errors=True)


# The variable the maps below set: empty when a request may be answered from a page file,
# "app" when it must reach the app whatever the files hold.
TO_APP = "$dragoman_page_to_app"


def nginx_maps() -> str:
    """The maps, for nginx's http block, that decide once per request whether it may be
    answered from a file (the same for every anonymous reader) or must reach the app.

    One variable for the locations' single ``if``, instead of five ``if``s, each a regular
    expression or a comparison: the method, an absent cookie or Accept header are found in a
    hash, and a regular expression runs only on a header that is there; measured with
    bench/spike_nginx.py."""
    cookie = settings.SESSION_COOKIE_NAME.replace(".", r"\.")
    lines = [
        "# Generated by `dragoman page_files_nginx --maps`: include once in nginx's http block",
        "# (outside any server block), for the locations `dragoman page_files_nginx` writes.",
        "# Only what is the same for every anonymous reader may be a file: any method but GET",
        "# and HEAD, the session cookie, an ActivityPub Accept, a query string or an",
        "# Authorization header sends the request to the app.",
        'map $request_method $dragoman_page_method { GET ""; HEAD ""; default app; }',
        f'map $http_cookie $dragoman_page_cookie {{ "" ""; "~{cookie}=" app; default ""; }}',
        "map $http_accept $dragoman_page_accept {",
        '    "" "";',
        '    "~*activity\\+json|activitystreams" app;',
        '    default "";',
        "}",
        "map $dragoman_page_method$dragoman_page_cookie$dragoman_page_accept$args"
        f"$http_authorization {TO_APP} {{",
        '    "" "";',
        "    default app;",
        "}",
    ]
    return "\n".join(lines) + "\n"


def nginx_locations(
    *, root: str, app: str = "@dragoman", brotli: bool = False, secure: bool = True
) -> str:
    """The nginx locations that serve the files under ``root`` (the folder) and send the rest
    to the named location ``app``, which proxies to the app servers; for an https server
    (``secure``) or a plain http one (the onion service, a loopback benchmark). They use the
    variable ``nginx_maps`` sets, in the http block.

    No ``try_files``: its test that the file is there is a system call (a ``stat``) before the
    static module's own ``open``, about a tenth of nginx's time for the whole request on a
    2-core virtual machine (bench/spike_nginx.py). The address is rewritten to its file's
    name, the static module's ``open`` is the test, and a 404 (no file) goes to the app, with
    the address without the file's name, through the ``-page-missing`` named location."""
    missing = f"{app}-page-missing"
    blocks = [
        "# Generated by `dragoman page_files_nginx` from the settings in force: generate it again",
        "# after changing languages, security headers or DRAGOMAN_CDN_MAX_AGE (pages whose headers",
        "# differ from these are never written as files, so they stay with the app meanwhile).",
        "# Needs the maps of `dragoman page_files_nginx --maps` in the http block.",
    ]
    for prefix, headers in sorted(header_sets(secure=secure).items()):
        lines = [
            f"location {prefix} {{",
            f"    root {root.rstrip('/')}/www/$host;",
            f"    error_page 418 = {app};",
            f"    error_page 403 404 = {missing};",
            "    log_not_found off;",  # an address without a file is no error
            # Only what is the same for every anonymous reader: anything else to the app.
            f"    if ({TO_APP}) {{ return 418; }}",
            # A page's address ends with a slash; its file is index.html there. `break`: the
            # file is served in this location; any other address goes to the app.
            f"    rewrite /$ ${{uri}}{FILE_NAME} break;",
            "    return 418;",
            "    types { }",
            f'    default_type "{CONTENT_TYPE}";',
            "    charset off;",
            "    gzip_static on;",
        ]
        if brotli:
            lines.append("    brotli_static on;")
        for name, value in headers.items():
            if '"' in value or "$" in value:
                # nginx would read a variable or end the string there.
                raise ValueError(f"{name} cannot be written in nginx's configuration: {value}")
            if name != "Content-Type":
                lines.append(f'    add_header {name} "{value}";')
        lines.append("}")
        blocks.append("\n".join(lines))
    blocks.append(
        "\n".join(
            [
                f"location {missing} {{",
                # The address (nginx's $uri, unescaped and normalised) without the file's name,
                # to the app. try_files "" tests the server's root, a folder, never a file: it
                # only passes the request on.
                f"    rewrite ^(.*/){re.escape(FILE_NAME)}$ $1 break;",
                f'    try_files "" {app};',
                "}",
            ]
        )
    )
    return "\n".join(blocks) + "\n"
