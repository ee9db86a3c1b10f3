"""Video links: which addresses we accept and how a reader reaches them without tracking."""

from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DIRECT_VIDEO_EXTENSIONS = (".mp4", ".webm", ".ogv", ".ogg", ".m4v")


@dataclass(frozen=True)
class Video:
    """A video a reader can watch: where it lives and how to link to it."""

    provider: str  # "youtube", "vimeo" or "file"
    url: str  # the page (or file) the reader is sent to
    embed_url: str  # player address; YouTube's is its no-cookie domain

    @property
    def provider_name(self) -> str:
        """The name readers know the site by (brand names are not translated)."""
        return {"youtube": "YouTube", "vimeo": "Vimeo"}.get(self.provider, "")


def parse_video_url(url: str) -> Video:
    """Recognise a YouTube, Vimeo or direct video file address, or raise ValidationError."""
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValidationError(_("Enter a web address starting with https://."))
    host = parts.hostname.lower().removeprefix("www.").removeprefix("m.")
    path = parts.path
    if host in {"youtube.com", "youtube-nocookie.com"}:
        video_id = ""
        if path == "/watch":
            video_id = parse_qs(parts.query).get("v", [""])[0]
        elif path.startswith(("/embed/", "/shorts/", "/live/")):
            video_id = path.split("/")[2]
        if video_id:
            return Video(
                "youtube",
                f"https://www.youtube.com/watch?v={video_id}",
                f"https://www.youtube-nocookie.com/embed/{video_id}",
            )
    elif host == "youtu.be" and path.strip("/"):
        video_id = path.strip("/").split("/")[0]
        return Video(
            "youtube",
            f"https://www.youtube.com/watch?v={video_id}",
            f"https://www.youtube-nocookie.com/embed/{video_id}",
        )
    elif host in {"vimeo.com", "player.vimeo.com"}:
        video_id = path.rstrip("/").split("/")[-1]
        if video_id.isascii() and video_id.isdecimal():
            return Video(
                "vimeo",
                f"https://vimeo.com/{video_id}",
                f"https://player.vimeo.com/video/{video_id}?dnt=1",
            )
    elif path.lower().endswith(DIRECT_VIDEO_EXTENSIONS):
        return Video("file", url.strip(), url.strip())
    raise ValidationError(
        _("Use a YouTube or Vimeo address, or a link to a video file (.mp4, .webm, .ogv).")
    )
