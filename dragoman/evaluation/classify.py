"""What a request says about its reader, without keeping it: person or robot, device class,
referrer's domain, feed reader and the subscribers it reports.

Each user agent is classified once per process and remembered (a bounded dictionary): a
traffic spike repeats a few thousand user agents, so the list of crawlers is matched a few
thousand times, not once a request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from crawleruseragents import is_crawler
from django.conf import settings

# Link previews and prefetches, as the browsers and previewers announce them.
PREFETCH_VALUES = ("prefetch", "preview", "prerender")
# "Feedly/1.0 (+http://www.feedly.com/fetcher.html; 123 subscribers; feed-id=...)",
# "Inoreader/1.0 (+http://www.inoreader.com/feed-fetcher; 45 subscribers; )",
# "NewsBlur Feed Fetcher - 12 subscribers - https://...", "theoldreader.com (3 readers)".
SUBSCRIBERS = re.compile(r"(\d{1,9})\s+(?:subscribers?|readers?)\b", re.IGNORECASE)
READER_NAME = re.compile(r"[A-Za-z][A-Za-z0-9 ._-]{0,38}")
REMEMBERED_AGENTS = 10_000


@dataclass(frozen=True, slots=True)
class Agent:
    robot: bool
    device: str  # "mobile", "tablet", "desktop"; "" for robots
    feed_reader: str  # the reader's name, when it reports subscribers
    subscribers: int | None


_agents: dict[str, Agent] = {}


def extra_robot_patterns() -> re.Pattern[str] | None:
    patterns = getattr(settings, "DRAGOMAN_COUNTING_EXTRA_ROBOTS", [])
    return re.compile("|".join(patterns), re.IGNORECASE) if patterns else None


_extra: list[re.Pattern[str] | None] = []


def is_robot(user_agent: str) -> bool:
    """Robots, crawlers, previewers and scripts: the kept list (``crawler-user-agents``,
    updated with the package), what the deployment adds, and no user agent at all."""
    if not user_agent.strip():
        return True
    if not _extra:
        _extra.append(extra_robot_patterns())
    extra = _extra[0]
    if extra is not None and extra.search(user_agent):
        return True
    return is_crawler(user_agent)


def warm() -> None:
    is_crawler("Mozilla/5.0")


def device_class(user_agent: str) -> str:
    # The browsers' own convention (MDN, "Browser detection using the user agent"): phones say
    # "Mobi"; tablets say iPad, Tablet, or Android without "Mobi".
    if "iPad" in user_agent or "Tablet" in user_agent:
        return "tablet"
    if "Mobi" in user_agent:
        return "mobile"
    if "Android" in user_agent:
        return "tablet"
    return "desktop"


def agent(user_agent: str) -> Agent:
    found = _agents.get(user_agent)
    if found is not None:
        return found
    subscribers = None
    name = ""
    reported = SUBSCRIBERS.search(user_agent)
    if reported:
        subscribers = int(reported.group(1))
        named = READER_NAME.match(user_agent)
        name = (named.group(0).split("/")[0].strip() if named else "") or "other"
    robot = is_robot(user_agent)
    found = Agent(robot, "" if robot else device_class(user_agent), name, subscribers)
    if len(_agents) >= REMEMBERED_AGENTS:
        _agents.clear()
    _agents[user_agent] = found
    return found


def is_prefetch(purpose: str) -> bool:
    purpose = purpose.lower()
    return any(value in purpose for value in PREFETCH_VALUES)


def referrer_domain(referrer: str, own_host: str) -> str:
    """The referring site's domain only (never its address); "self" for our own pages."""
    if not referrer:
        return ""
    try:
        host = (urlsplit(referrer).hostname or "").lower()
    except ValueError:
        return ""
    if not host:
        return ""
    own = own_host.split(":")[0].lower()
    if host == own:
        return "self"
    return host.removeprefix("www.")[:200]
