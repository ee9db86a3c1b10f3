"""'Share this with:' links: plain addresses, so no third-party script, image or cookie."""

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ShareLink:
    network: str  # machine name, used as a CSS modifier
    label: str
    url: str


def share_links(*, url: str, title: str) -> list[ShareLink]:
    text = f"{title} {url}"
    return [
        ShareLink(
            "x", str(_("X")), "https://x.com/intent/post?" + urlencode({"url": url, "text": title})
        ),
        ShareLink(
            "facebook",
            str(_("Facebook")),
            "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
        ),
        ShareLink(
            "linkedin",
            str(_("LinkedIn")),
            "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url}),
        ),
        ShareLink("whatsapp", str(_("WhatsApp")), "https://wa.me/?" + urlencode({"text": text})),
        ShareLink(
            "telegram",
            str(_("Telegram")),
            "https://t.me/share/url?" + urlencode({"url": url, "text": title}),
        ),
        # Mastodon has no central server: this share page asks the reader for theirs.
        ShareLink(
            "mastodon",
            str(_("Mastodon")),
            "https://mastodonshare.com/?" + urlencode({"text": text}),
        ),
        ShareLink("email", str(_("Email")), f"mailto:?subject={quote(title)}&body={quote(url)}"),
    ]
