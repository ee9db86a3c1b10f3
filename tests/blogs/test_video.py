"""Video by address: a placeholder with a link, nothing from the video site until asked."""

import pytest
from django.core.exceptions import ValidationError

from dragoman.blogs.video import parse_video_url
from tests.factories import EntryFactory


@pytest.mark.parametrize(
    "url, embed",
    [
        (
            "https://www.youtube.com/watch?v=aqz-KE-bpKQ",
            "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ",
        ),
        ("https://youtu.be/aqz-KE-bpKQ", "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
        ("https://example.org/films/visit.mp4", "https://example.org/films/visit.mp4"),
    ],
)
def test_supported_video_addresses_are_recognised(url, embed):
    assert parse_video_url(url).embed_url == embed


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/page",
        "ftp://example.org/a.mp4",
        "javascript:alert(1)",
        "",
        "https://vimeo.com/¹²³",  # digits to str.isdigit(), not a Vimeo number
    ],
)
def test_unsupported_video_addresses_are_refused(url):
    with pytest.raises(ValidationError):
        parse_video_url(url)


def video_entry():
    return EntryFactory(
        title="Film night",
        body=[
            ("paragraph", "<p>Watch this.</p>"),
            (
                "video",
                {"url": "https://www.youtube.com/watch?v=aqz-KE-bpKQ", "title": "Our film"},
            ),
        ],
    )


def test_reader_gets_a_link_to_the_video_and_no_player_until_asking(client, db):
    entry = video_entry()

    response = client.get(entry.url)
    page = response.content.decode()

    assert "Watch “Our film” on YouTube" in page
    assert 'href="https://www.youtube.com/watch?v=aqz-KE-bpKQ"' in page
    assert "<iframe" not in page
    assert 'src="https://www.youtube' not in page
    assert "/static/blogs/video.js" in page


def test_player_frames_are_allowed_only_from_the_no_cookie_and_vimeo_players(client, db):
    entry = video_entry()

    policy = client.get(entry.url)["Content-Security-Policy"]

    assert "frame-src https://www.youtube-nocookie.com https://player.vimeo.com" in policy
    assert "youtube.com " not in policy.replace("youtube-nocookie.com", "")
