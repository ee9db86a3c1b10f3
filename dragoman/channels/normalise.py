"""Turn any address or handle a person pastes into one canonical channel address.

People paste what their browser or phone shows them: `https://mobile.twitter.com/UKinJordan?s=20`,
`x.com/ukinjordan/`, `@UKinJordan`, `youtube.com/c/Name/videos`, `@user@server`. The register
stores one form per account, so that "is this official?" is a single lookup. Everything that
cannot be an account address (a `javascript:` link, a single video, a private invitation, a
disguised host) is refused with a reason a person can act on: `ChannelAddressError`, a
`ValidationError`, is the only exception this module raises.

Rules chosen on purpose (the README repeats them):
- Handles on platforms that ignore letter case are lower-cased; ids that are case-sensitive
  (YouTube channel ids, WhatsApp channel ids, Bluesky DIDs) are kept as they are.
- Query strings and fragments are dropped, except where they carry the account
  (`facebook.com/profile.php?id=…`, `x.com/intent/user?screen_name=…`).
- YouTube's `/c/name`, `/user/name` and bare `/name` forms are matched with the `@name` handle:
  YouTube redirects most of them there, and a look-alike is exactly what the checker is for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class Platform:
    """Platform codes as stored in the register (the Channel model offers them as choices)."""

    X = "x"
    FACEBOOK = "facebook"
    INSTAGRAM = "instagram"
    YOUTUBE = "youtube"
    LINKEDIN = "linkedin"
    TIKTOK = "tiktok"
    TELEGRAM = "telegram"
    WHATSAPP = "whatsapp"
    MASTODON = "mastodon"
    BLUESKY = "bluesky"
    THREADS = "threads"
    WEIBO = "weibo"
    WECHAT = "wechat"
    VK = "vk"
    FLICKR = "flickr"
    WEBSITE = "website"


PLATFORM_CHOICES = [
    (Platform.X, _("X (Twitter)")),
    (Platform.FACEBOOK, _("Facebook")),
    (Platform.INSTAGRAM, _("Instagram")),
    (Platform.YOUTUBE, _("YouTube")),
    (Platform.LINKEDIN, _("LinkedIn")),
    (Platform.TIKTOK, _("TikTok")),
    (Platform.TELEGRAM, _("Telegram")),
    (Platform.WHATSAPP, _("WhatsApp channel")),
    (Platform.MASTODON, _("Mastodon or another fediverse server")),
    (Platform.BLUESKY, _("Bluesky")),
    (Platform.THREADS, _("Threads")),
    (Platform.WEIBO, _("Weibo")),
    (Platform.WECHAT, _("WeChat")),
    (Platform.VK, _("VK")),
    (Platform.FLICKR, _("Flickr")),
    (Platform.WEBSITE, _("Website or blog")),
]
PLATFORMS = frozenset(code for code, _label in PLATFORM_CHOICES)

MAX_INPUT_LENGTH = 500

# Hosts (after "www.", "m." and "mobile." are removed) and the platform each belongs to.
PLATFORM_HOSTS = {
    "twitter.com": Platform.X,
    "x.com": Platform.X,
    "facebook.com": Platform.FACEBOOK,
    "fb.com": Platform.FACEBOOK,
    "fb.me": Platform.FACEBOOK,
    "web.facebook.com": Platform.FACEBOOK,
    "business.facebook.com": Platform.FACEBOOK,
    "instagram.com": Platform.INSTAGRAM,
    "instagr.am": Platform.INSTAGRAM,
    "youtube.com": Platform.YOUTUBE,
    "music.youtube.com": Platform.YOUTUBE,
    "youtu.be": Platform.YOUTUBE,
    "linkedin.com": Platform.LINKEDIN,
    "tiktok.com": Platform.TIKTOK,
    "vm.tiktok.com": Platform.TIKTOK,
    "t.me": Platform.TELEGRAM,
    "telegram.me": Platform.TELEGRAM,
    "telegram.dog": Platform.TELEGRAM,
    "whatsapp.com": Platform.WHATSAPP,
    "bsky.app": Platform.BLUESKY,
    "threads.net": Platform.THREADS,
    "threads.com": Platform.THREADS,
    "weibo.com": Platform.WEIBO,
    "weibo.cn": Platform.WEIBO,
    "mp.weixin.qq.com": Platform.WECHAT,
    "weixin.qq.com": Platform.WECHAT,
    "vk.com": Platform.VK,
    "vk.ru": Platform.VK,
    "flickr.com": Platform.FLICKR,
    "flic.kr": Platform.FLICKR,
}
# Hosts that put "@name" in their paths but are not fediverse servers.
NOT_FEDIVERSE_HOSTS = frozenset({"medium.com", "substack.com", "github.com"})
HOST_PREFIXES = ("www.", "mobile.", "m.")

HOSTNAME = re.compile(
    r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$"
)
SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
ANY_HANDLE = re.compile(r"^[a-z0-9_][a-z0-9_.-]{0,99}$")


class ChannelAddressError(ValidationError):
    """The text cannot be read as the address of an account; the message says why."""


@dataclass(frozen=True)
class ChannelAddress:
    """One account, in canonical form.

    `kind` is "handle" (a name the owner chose) or "id" (a number or code the platform gave).
    `platform` is empty for a bare `@handle` typed without a platform: it may be on any.
    """

    platform: str
    kind: str
    value: str

    @property
    def url(self) -> str:
        return canonical_url(self.platform, self.kind, self.value)

    @property
    def display(self) -> str:
        """How a person would write it: `@name`, `@user@server`, `company/name`, `example.org`."""
        if self.kind == "id" or self.platform in {
            Platform.FACEBOOK,
            Platform.LINKEDIN,
            Platform.WEBSITE,
            Platform.WECHAT,
            Platform.VK,
            Platform.FLICKR,
            Platform.WEIBO,
            Platform.WHATSAPP,
        }:
            return self.value
        return f"@{self.value}"

    @property
    def canonical(self) -> str:
        """The URL where there is one, else the handle: normalising it gives this address back."""
        return self.url or self.display


def canonical_url(platform: str, kind: str, value: str) -> str:
    """The one web address the register shows for an account (empty where none exists)."""
    if platform == Platform.X:
        return f"https://x.com/{value}"
    if platform == Platform.FACEBOOK:
        if kind == "id":
            return f"https://www.facebook.com/profile.php?id={value}"
        return f"https://www.facebook.com/{value}"
    if platform == Platform.INSTAGRAM:
        return f"https://www.instagram.com/{value}"
    if platform == Platform.YOUTUBE:
        if kind == "id":
            return f"https://www.youtube.com/channel/{value}"
        return f"https://www.youtube.com/@{value}"
    if platform == Platform.LINKEDIN:
        return f"https://www.linkedin.com/{value}"
    if platform == Platform.TIKTOK:
        return f"https://www.tiktok.com/@{value}"
    if platform == Platform.TELEGRAM:
        return f"https://t.me/{value}"
    if platform == Platform.WHATSAPP:
        return f"https://whatsapp.com/channel/{value}"
    if platform == Platform.MASTODON:
        user, _at, server = value.partition("@")
        return f"https://{server}/@{user}"
    if platform == Platform.BLUESKY:
        return f"https://bsky.app/profile/{value}"
    if platform == Platform.THREADS:
        return f"https://www.threads.com/@{value}"
    if platform == Platform.WEIBO:
        if kind == "id":
            return f"https://weibo.com/u/{value}"
        return f"https://weibo.com/{value}"
    if platform == Platform.WECHAT:
        return ""  # WeChat official accounts have no public web address, only an id.
    if platform == Platform.VK:
        return f"https://vk.com/{value}"
    if platform == Platform.FLICKR:
        return f"https://www.flickr.com/photos/{value}"
    if platform == Platform.WEBSITE:
        return f"https://{value}"
    return ""


def _error(message: Any, code: str) -> ChannelAddressError:
    return ChannelAddressError(message, code=code)


# Per-platform handle rules: (pattern after lower-casing where the platform ignores case).
HANDLE_RULES: dict[str, re.Pattern[str]] = {
    Platform.X: re.compile(r"^[a-z0-9_]{1,15}$"),
    Platform.FACEBOOK: re.compile(r"^(?![0-9]+$)[a-z0-9.\-]{1,50}$"),
    Platform.INSTAGRAM: re.compile(r"^[a-z0-9._]{1,30}$"),
    Platform.YOUTUBE: re.compile(r"^[a-z0-9._\-]{1,100}$"),
    Platform.LINKEDIN: re.compile(r"^(company|in|school|showcase)/[a-z0-9\-_%.]{1,100}$"),
    Platform.TIKTOK: re.compile(r"^[a-z0-9._]{1,24}$"),
    Platform.TELEGRAM: re.compile(r"^[a-z0-9_]{4,32}$"),
    Platform.WHATSAPP: re.compile(r"^[A-Za-z0-9]{10,40}$"),
    Platform.MASTODON: re.compile(r"^[a-z0-9_.\-]{1,64}@[a-z0-9.\-]{3,253}$"),
    Platform.BLUESKY: re.compile(r"^([a-z0-9\-]+\.)+[a-z][a-z0-9\-]*$"),
    Platform.THREADS: re.compile(r"^[a-z0-9._]{1,30}$"),
    Platform.WEIBO: re.compile(r"^(?![0-9]+$)[a-z0-9_\-]{1,40}$"),
    Platform.WECHAT: re.compile(r"^[a-z][a-z0-9_\-]{3,40}$"),
    Platform.VK: re.compile(r"^[a-z0-9_.]{2,64}$"),
    Platform.FLICKR: re.compile(r"^([a-z0-9_\-.]{1,64}|[0-9]{5,12}@n[0-9]{2})$"),
}
ID_RULES: dict[str, re.Pattern[str]] = {
    Platform.FACEBOOK: re.compile(r"^[0-9]{5,20}$"),
    Platform.YOUTUBE: re.compile(r"^UC[A-Za-z0-9_\-]{22}$"),
    Platform.WEIBO: re.compile(r"^[0-9]{5,15}$"),
    Platform.BLUESKY: re.compile(r"^did:(plc|web):[a-z0-9.:\-]{3,100}$"),
}
# Platforms whose handles keep their letter case (every other platform ignores it).
CASE_SENSITIVE = frozenset({Platform.WHATSAPP})
# First path segments that are the platform's own pages, never an account's name.
RESERVED: dict[str, frozenset[str]] = {
    Platform.X: frozenset({"i", "home", "search", "hashtag", "explore", "intent", "share"}),
    Platform.FACEBOOK: frozenset(
        {
            "profile.php",
            "pages",
            "people",
            "pg",
            "groups",
            "events",
            "watch",
            "story.php",
            "permalink.php",
            "photo.php",
            "sharer.php",
            "sharer",
            "share",
            "login",
            "home.php",
        }
    ),
    Platform.INSTAGRAM: frozenset({"p", "reel", "reels", "tv", "explore", "accounts", "stories"}),
    Platform.TELEGRAM: frozenset({"s", "joinchat", "addlist"}),
    Platform.WEIBO: frozenset({"u", "n", "profile"}),
    Platform.VK: frozenset({"wall", "video", "feed", "away.php"}),
}


def _check_handle(platform: str, value: str) -> ChannelAddress:
    if platform not in CASE_SENSITIVE:
        value = value.lower()
    if platform == Platform.FLICKR and re.fullmatch(r"[0-9]{5,12}@n[0-9]{2}", value):
        value = value.replace("@n", "@N")  # Flickr writes its numeric ids with a capital N.
        return ChannelAddress(platform, "handle", value)
    rule = HANDLE_RULES.get(platform)
    if rule is None or not rule.match(value) or value in RESERVED.get(platform, ()):
        raise _error(
            _("“%(handle)s” is not a valid account name on %(platform)s.")
            % {"handle": value[:100], "platform": platform_label(platform)},
            "handle",
        )
    return ChannelAddress(platform, "handle", value)


def _check_id(platform: str, value: str) -> ChannelAddress:
    rule = ID_RULES[platform]
    if not rule.match(value):
        raise _error(
            _("“%(id)s” is not a valid account number on %(platform)s.")
            % {"id": value[:100], "platform": platform_label(platform)},
            "id",
        )
    return ChannelAddress(platform, "id", value)


def platform_label(platform: str) -> str:
    return str(dict(PLATFORM_CHOICES).get(platform, platform))


def _strip_host(host: str) -> str:
    stripped = True
    while stripped:
        stripped = False
        for prefix in HOST_PREFIXES:
            if host.startswith(prefix) and host.count(".") > 1:
                host = host[len(prefix) :]
                stripped = True
    return host


def platform_of_host(host: str) -> str | None:
    """The platform a host belongs to, or None for any other host."""
    bare = _strip_host(host)
    if bare in PLATFORM_HOSTS:
        return PLATFORM_HOSTS[bare]
    # Country and language subdomains: uk.linkedin.com, es-la.facebook.com, ja-jp.facebook.com.
    for suffix, platform in (
        (".linkedin.com", Platform.LINKEDIN),
        (".facebook.com", Platform.FACEBOOK),
        (".bsky.social", Platform.BLUESKY),
        (".weibo.cn", Platform.WEIBO),
        (".flickr.com", Platform.FLICKR),
    ):
        if bare.endswith(suffix):
            return platform
    return None


def _path_parts(path: str) -> list[str]:
    return [part for part in path.split("/") if part]


def _single_item(what: Any) -> ChannelAddressError:
    return _error(
        _("This is a link to %(what)s, not to an account. Paste the account's own address.")
        % {"what": what},
        "not-an-account",
    )


def _from_platform_url(platform: str, host: str, parts: list[str], query: str) -> ChannelAddress:
    params = parse_qs(query)
    first = parts[0] if parts else ""
    lowered = first.lower()
    if platform == Platform.X:
        if lowered == "intent" and params.get("screen_name"):
            return _check_handle(platform, params["screen_name"][0])
        if not parts or lowered in RESERVED[platform]:
            raise _single_item(_("a page of X that is not an account"))
        return _check_handle(platform, first.lstrip("@"))
    if platform == Platform.FACEBOOK:
        if lowered == "profile.php":
            return _check_id(platform, params.get("id", [""])[0])
        if lowered in {"pages", "people"} and len(parts) >= 3:
            return _check_id(platform, parts[2])
        if lowered == "pg" and len(parts) >= 2:
            return _check_handle(platform, parts[1])
        if lowered in {"groups", "events", "watch", "story.php", "permalink.php", "photo.php"}:
            raise _single_item(_("a group, event, video or story"))
        if not parts or lowered in {"sharer.php", "sharer", "share", "login", "home.php"}:
            raise _single_item(_("a page of Facebook that is not an account"))
        if re.fullmatch(r"[0-9]{5,20}", first):
            return _check_id(platform, first)
        return _check_handle(platform, first)
    if platform == Platform.INSTAGRAM:
        if lowered == "stories" and len(parts) >= 2:
            return _check_handle(platform, parts[1])
        if not parts or lowered in {"p", "reel", "reels", "tv", "explore", "accounts"}:
            raise _single_item(_("a single post or reel"))
        return _check_handle(platform, first.lstrip("@"))
    if platform == Platform.YOUTUBE:
        if host.endswith("youtu.be") or lowered in {"watch", "shorts", "live", "embed", "playlist"}:
            raise _single_item(_("a single video or playlist"))
        if lowered == "channel" and len(parts) >= 2:
            return _check_id(platform, parts[1])
        if lowered in {"c", "user"} and len(parts) >= 2:
            return _check_handle(platform, parts[1].lstrip("@"))
        if not parts or lowered in {"results", "feed", "account", "redirect"}:
            raise _single_item(_("a page of YouTube that is not a channel"))
        return _check_handle(platform, first.lstrip("@"))
    if platform == Platform.LINKEDIN:
        if lowered in {"company", "in", "school", "showcase"} and len(parts) >= 2:
            return _check_handle(platform, f"{lowered}/{parts[1]}")
        if lowered in {"posts", "feed", "pulse", "events"}:
            raise _single_item(_("a single post or event"))
        raise _error(
            _("A LinkedIn address names a company, school, showcase page or person."),
            "handle",
        )
    if platform == Platform.TIKTOK:
        if host.startswith("vm.") or host.startswith("vt."):
            raise _error(
                _("Short TikTok links hide the account. Open it and paste the account's address."),
                "short-link",
            )
        if not first.startswith("@"):
            raise _single_item(_("a page of TikTok that is not an account"))
        return _check_handle(platform, first[1:])
    if platform == Platform.TELEGRAM:
        if lowered == "s" and len(parts) >= 2:
            return _check_handle(platform, parts[1])
        if first.startswith("+") or lowered in {"joinchat", "addlist"}:
            raise _error(
                _("This is a private invitation link; official channels are public."),
                "private",
            )
        return _check_handle(platform, first.lstrip("@"))
    if platform == Platform.WHATSAPP:
        if lowered == "channel" and len(parts) >= 2:
            return _check_handle(platform, parts[1])
        raise _error(_("A WhatsApp channel address looks like whatsapp.com/channel/…"), "handle")
    if platform == Platform.BLUESKY:
        if host.endswith(".bsky.social"):
            return _check_handle(platform, _strip_host(host))
        if lowered == "profile" and len(parts) >= 2:
            value = parts[1].lower().lstrip("@")
            if value.startswith("did:"):
                return _check_id(platform, value)
            return _check_handle(platform, value)
        raise _error(_("A Bluesky address looks like bsky.app/profile/…"), "handle")
    if platform == Platform.THREADS:
        if not first.startswith("@"):
            raise _single_item(_("a page of Threads that is not an account"))
        return _check_handle(platform, first[1:])
    if platform == Platform.WEIBO:
        if lowered in {"u", "profile"} and len(parts) >= 2:
            return _check_id(platform, parts[1])
        if lowered == "n" and len(parts) >= 2:
            return _check_handle(platform, parts[1])
        if re.fullmatch(r"[0-9]{5,15}", first):
            if len(parts) >= 2:
                raise _single_item(_("a single post"))
            return _check_id(platform, first)
        if not parts:
            raise _single_item(_("a page of Weibo that is not an account"))
        return _check_handle(platform, first)
    if platform == Platform.WECHAT:
        biz = params.get("__biz", [""])[0]
        if biz:
            return _check_handle(platform, "biz-" + re.sub(r"[^A-Za-z0-9]", "", biz).lower())
        raise _single_item(_("a WeChat article"))
    if platform == Platform.VK:
        if not parts or lowered in {"wall", "video", "feed", "away.php"} or "wall-" in lowered:
            raise _single_item(_("a page of VK that is not an account"))
        return _check_handle(platform, first)
    if platform == Platform.FLICKR:
        if lowered in {"photos", "people"} and len(parts) >= 2:
            if len(parts) >= 3 and re.fullmatch(r"[0-9]+", parts[2]):
                raise _single_item(_("a single photo"))
            return _check_handle(platform, parts[1])
        raise _error(_("A Flickr address looks like flickr.com/photos/…"), "handle")
    raise _error(_("Unknown platform."), "platform")  # pragma: no cover - PLATFORM_HOSTS is closed


def _fediverse(user: str, server: str) -> ChannelAddress:
    server = server.lower().strip(".")
    if not HOSTNAME.match(server):
        raise _error(_("“%(server)s” is not a server name.") % {"server": server[:100]}, "host")
    if platform_of_host(server) is not None:
        raise _error(
            _("%(server)s is not a fediverse server.") % {"server": server}, "host-mismatch"
        )
    return _check_handle(Platform.MASTODON, f"{user}@{server}")


def _website(host: str, path: str) -> ChannelAddress:
    # Letter case in a path may matter to the server, but not to whether two addresses name
    # the same site: a look-alike in capitals is the trick the checker must catch.
    clean_path = "/".join(_path_parts(path)).lower()
    value = _strip_host(host) + (f"/{clean_path}" if clean_path else "")
    if len(value) > 300 or re.search(r"[\s<>\"'`\\]", value):
        raise _error(_("This web address is too long or has characters it cannot have."), "url")
    return ChannelAddress(Platform.WEBSITE, "handle", value)


WEB_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


def _from_url(text: str, platform: str | None) -> ChannelAddress:
    if text.startswith("//"):
        text = "https:" + text
    elif not WEB_SCHEME.match(text):
        text = "https://" + text
    try:
        parts = urlsplit(text)
        port = parts.port
        host = (parts.hostname or "").rstrip(".")
        host = host.encode("idna").decode("ascii").lower()
    except ValueError as error:  # UnicodeError is a ValueError too
        raise _error(_("This is not a web address with a valid host name."), "url") from error
    if parts.scheme.lower() not in {"http", "https"}:
        raise _error(
            _("Only web addresses (http or https) can be official channels, not “%(scheme)s:”.")
            % {"scheme": parts.scheme.lower()[:20]},
            "scheme",
        )
    if "@" in parts.netloc:
        # https://x.com@evil.example/ opens evil.example: a disguise, never a real address.
        raise _error(
            _("This address hides its real host behind an “@”; it is a known disguise."),
            "disguise",
        )
    if port not in (None, 80, 443):
        raise _error(_("An official channel's address has no port number."), "port")
    if not HOSTNAME.match(host):
        raise _error(_("This web address has no valid host name."), "host")
    detected = platform_of_host(host)
    path_parts = _path_parts(parts.path)
    if detected is not None and platform is not None and platform != detected:
        raise _error(
            _("%(host)s is an address on %(detected)s, not on %(platform)s.")
            % {
                "host": host,
                "detected": platform_label(detected),
                "platform": platform_label(platform),
            },
            "host-mismatch",
        )
    if detected is not None:
        return _from_platform_url(detected, host, path_parts, parts.query)
    if path_parts and _strip_host(host) not in NOT_FEDIVERSE_HOSTS:
        first = path_parts[0]
        fediverse_path = first.startswith("@") and len(first) > 1
        if fediverse_path and platform == Platform.WEBSITE:
            # Read without a platform this is a fediverse account: the register must agree.
            raise _error(
                _("This is the address of a fediverse account; choose Mastodon as the platform."),
                "host-mismatch",
            )
        if fediverse_path and platform in (None, Platform.MASTODON):
            user, _at, server = first[1:].partition("@")
            return _fediverse(user, server or host)
        # ActivityPub actor addresses; only when the platform is said, since many websites
        # have /users/ pages of their own.
        if platform == Platform.MASTODON and first.lower() == "users" and len(path_parts) >= 2:
            return _fediverse(path_parts[1], host)
    if platform == Platform.MASTODON:
        raise _error(
            _("A fediverse address looks like https://server/@name or @name@server."), "host"
        )
    if platform not in (None, Platform.WEBSITE):
        raise _error(
            _("%(host)s is not an address on %(platform)s.")
            % {"host": host, "platform": platform_label(platform)},
            "host-mismatch",
        )
    return _website(host, parts.path)


def normalise(text: str, platform: str | None = None) -> ChannelAddress:
    """Read `text` (a URL or a handle) as a channel address, optionally on a given platform.

    Without a platform, a bare `@name` gives an address with an empty platform ("on any");
    `@user@server` is a fediverse account; anything with a dot or a slash is read as a URL.
    Raises ChannelAddressError, and nothing else, for text that is not an account's address.
    """
    if not isinstance(text, str):
        raise _error(_("Give an address or a handle as text."), "type")
    if platform == "":
        platform = None
    if platform is not None and platform not in PLATFORMS:
        raise _error(
            _("“%(platform)s” is not a platform the register knows.")
            % {"platform": str(platform)[:30]},
            "platform",
        )
    text = text.strip().strip("\u200b\u200e\u200f\ufeff").strip()
    if not text:
        raise _error(_("Give an address or a handle."), "empty")
    if len(text) > MAX_INPUT_LENGTH:
        raise _error(_("This is too long to be an address or a handle."), "too-long")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise _error(_("This text has broken characters; paste it again."), "encoding") from error
    if re.search(r"[\x00-\x1f\x7f]", text):
        raise _error(_("This text has control characters; paste the address again."), "control")

    scheme = SCHEME.match(text)
    if scheme and scheme.group(1).lower() == "did" and platform in (None, Platform.BLUESKY):
        return _check_id(Platform.BLUESKY, text.lower())
    # "example.org:443/…" has a host before its colon, not a scheme; "javascript:" does not.
    if scheme and "." not in scheme.group(1) and not WEB_SCHEME.match(text):
        after = text[len(scheme.group(0)) :]
        if scheme.group(1).lower() not in {"http", "https"} and not after.split("/")[0].isdigit():
            raise _error(
                _("Only web addresses (http or https) can be official channels, not “%(scheme)s:”.")
                % {"scheme": scheme.group(1).lower()[:20]},
                "scheme",
            )
    if platform == Platform.LINKEDIN and re.match(r"^(company|in|school|showcase)/", text, re.I):
        return _check_handle(platform, text.strip("/").split("?")[0])
    if scheme or "/" in text:
        return _from_url(text, platform)

    fediverse = re.fullmatch(r"@?([^@\s]+)@([^@\s]+)", text)
    if fediverse and platform in (None, Platform.MASTODON):
        return _fediverse(fediverse.group(1), fediverse.group(2))

    handle = text.removeprefix("@")
    if platform is None:
        if handle.lower().endswith(".bsky.social"):
            return _check_handle(Platform.BLUESKY, handle)
        if "." in handle and not text.startswith("@"):
            return _from_url(text, None)
        handle = handle.lower()
        if not ANY_HANDLE.match(handle):
            raise _error(_("This is neither a web address nor an account name."), "handle")
        return ChannelAddress("", "handle", handle)
    if platform == Platform.WEBSITE:
        return _from_url(text, platform)
    if platform in ID_RULES and ID_RULES[platform].match(handle):
        return ChannelAddress(platform, "id", handle)
    if platform == Platform.MASTODON:
        raise _error(_("A fediverse account is written @name@server."), "handle")
    return _check_handle(platform, handle)
