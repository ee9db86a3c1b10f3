"""'Share this with:' links: plain addresses, so no third-party script, image or cookie.

Each link points to our own redirect, ``/share/<network>/<entry>/`` (``views.share``), which
sends the reader on to the network's share page with nothing added (no tracking parameter)
and tells those who count clicks (the evaluation app, ``share_watch``): the only way to know
that a link was followed without a script in the page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ShareLink:
    network: str  # machine name, used as a CSS modifier and in the address
    label: str
    url: str


# network -> (label, the network's share address for an entry's url and title)
NETWORKS: dict[str, tuple[object, Callable[[str, str], str]]] = {
    "x": (
        _("X"),
        lambda url, title: "https://x.com/intent/post?" + urlencode({"url": url, "text": title}),
    ),
    "facebook": (
        _("Facebook"),
        lambda url, title: "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
    ),
    "linkedin": (
        _("LinkedIn"),
        lambda url, title: (
            "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url})
        ),
    ),
    "whatsapp": (
        _("WhatsApp"),
        lambda url, title: "https://wa.me/?" + urlencode({"text": f"{title} {url}"}),
    ),
    "telegram": (
        _("Telegram"),
        lambda url, title: "https://t.me/share/url?" + urlencode({"url": url, "text": title}),
    ),
    # Mastodon has no central server: this share page asks the reader for theirs.
    "mastodon": (
        _("Mastodon"),
        lambda url, title: "https://mastodonshare.com/?" + urlencode({"text": f"{title} {url}"}),
    ),
    "email": (
        _("Email"),
        lambda url, title: f"mailto:?subject={quote(title)}&body={quote(url)}",
    ),
}


def share_target(*, network: str, url: str, title: str) -> str | None:
    """The network's own share address for an entry, or None for a network we do not offer."""
    found = NETWORKS.get(network)
    return found[1](url, title) if found is not None else None


def share_links(*, url: str, title: str, entry_id: int | None = None) -> list[ShareLink]:
    """The links under an entry: through our redirect when the entry is known."""
    links = []
    for network, (label, target) in NETWORKS.items():
        if entry_id is not None:
            address = reverse("blogs:share", kwargs={"network": network, "entry": entry_id})
        else:
            address = target(url, title)
        links.append(ShareLink(network, str(label), address))
    return links


# Who is told of each click on a share link (registered in their own AppConfig.ready).
ShareWatcher = Callable[..., None]
_share_watchers: list[ShareWatcher] = []


def share_watch(watcher: ShareWatcher) -> None:
    """Call ``watcher(entry_id=, network=, user_agent=, method=)`` for each click."""
    if watcher not in _share_watchers:
        _share_watchers.append(watcher)


def share_tell(*, entry_id: int, network: str, user_agent: str, method: str) -> None:
    for watcher in _share_watchers:
        try:
            watcher(entry_id=entry_id, network=network, user_agent=user_agent, method=method)
        except Exception:  # counting is never worth a reader's click
            logger.exception("A watcher of share links failed; the reader was sent on.")
