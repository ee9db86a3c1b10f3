"""The normalisation table: what people paste, and the one canonical account it names."""

import contextlib

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dragoman.channels.normalise import ChannelAddressError, normalise

YT_ID = "UC1yBKRuGpC1tSM73A0ZjYjQ"

# (what a person pastes, platform given or None, platform:kind:value expected, canonical URL)
TABLE = [
    # X / Twitter: both hosts, mobile and www, @handle, case, slashes, tracking, sub-pages
    ("https://twitter.com/UKinJordan", None, "x:handle:ukinjordan", "https://x.com/ukinjordan"),
    ("https://x.com/ukinjordan", None, "x:handle:ukinjordan", "https://x.com/ukinjordan"),
    ("http://www.twitter.com/UKinJordan/", None, "x:handle:ukinjordan", "https://x.com/ukinjordan"),
    (
        "https://mobile.twitter.com/UKinJordan?s=20",
        None,
        "x:handle:ukinjordan",
        "https://x.com/ukinjordan",
    ),
    ("https://m.twitter.com/UKinJordan", None, "x:handle:ukinjordan", "https://x.com/ukinjordan"),
    ("https://mobile.x.com/UKinJordan", None, "x:handle:ukinjordan", "https://x.com/ukinjordan"),
    ("x.com/UKinJordan", None, "x:handle:ukinjordan", "https://x.com/ukinjordan"),
    (
        "twitter.com/UKinJordan?ref_src=twsrc%5Egoogle%7Ctwcamp%5Eserp",
        None,
        "x:handle:ukinjordan",
        "https://x.com/ukinjordan",
    ),
    (
        "https://x.com/UKinJordan/status/1790000000000000000?t=abc&s=19",
        None,
        "x:handle:ukinjordan",
        "https://x.com/ukinjordan",
    ),
    ("https://twitter.com/@UKinJordan", None, "x:handle:ukinjordan", "https://x.com/ukinjordan"),
    (
        "https://twitter.com/intent/user?screen_name=UKinJordan",
        None,
        "x:handle:ukinjordan",
        "https://x.com/ukinjordan",
    ),
    ("HTTPS://X.COM/UKINJORDAN#top", None, "x:handle:ukinjordan", "https://x.com/ukinjordan"),
    ("  https://x.com/ukinjordan  ", None, "x:handle:ukinjordan", "https://x.com/ukinjordan"),
    ("//twitter.com/ukinjordan", None, "x:handle:ukinjordan", "https://x.com/ukinjordan"),
    ("@UKinJordan", "x", "x:handle:ukinjordan", "https://x.com/ukinjordan"),
    ("UKinJordan", "x", "x:handle:ukinjordan", "https://x.com/ukinjordan"),
    ("https://x.com/ukinjordan", "x", "x:handle:ukinjordan", "https://x.com/ukinjordan"),
    # A bare handle without a platform may be on any platform
    ("@UKinJordan", None, ":handle:ukinjordan", ""),
    ("ukinjordan", None, ":handle:ukinjordan", ""),
    # Facebook: vanity names, page ids in every form, mobile and web hosts, fb.com
    (
        "https://www.facebook.com/UKinJordan",
        None,
        "facebook:handle:ukinjordan",
        "https://www.facebook.com/ukinjordan",
    ),
    (
        "https://m.facebook.com/UKinJordan/?ref=page_internal",
        None,
        "facebook:handle:ukinjordan",
        "https://www.facebook.com/ukinjordan",
    ),
    (
        "https://web.facebook.com/UKinJordan",
        None,
        "facebook:handle:ukinjordan",
        "https://www.facebook.com/ukinjordan",
    ),
    (
        "https://business.facebook.com/UKinJordan/posts/123",
        None,
        "facebook:handle:ukinjordan",
        "https://www.facebook.com/ukinjordan",
    ),
    (
        "https://es-la.facebook.com/UKinJordan",
        None,
        "facebook:handle:ukinjordan",
        "https://www.facebook.com/ukinjordan",
    ),
    (
        "fb.com/UKinJordan",
        None,
        "facebook:handle:ukinjordan",
        "https://www.facebook.com/ukinjordan",
    ),
    (
        "https://www.facebook.com/pg/UKinJordan/about/",
        None,
        "facebook:handle:ukinjordan",
        "https://www.facebook.com/ukinjordan",
    ),
    (
        "https://www.facebook.com/UKinJordan?fbclid=IwAR0abc",
        None,
        "facebook:handle:ukinjordan",
        "https://www.facebook.com/ukinjordan",
    ),
    (
        "https://www.facebook.com/profile.php?id=100064590123456",
        None,
        "facebook:id:100064590123456",
        "https://www.facebook.com/profile.php?id=100064590123456",
    ),
    (
        "https://www.facebook.com/pages/British-Embassy-Amman/123456789012",
        None,
        "facebook:id:123456789012",
        "https://www.facebook.com/profile.php?id=123456789012",
    ),
    (
        "https://www.facebook.com/people/Embassy-in-Amman/100064590123456/",
        None,
        "facebook:id:100064590123456",
        "https://www.facebook.com/profile.php?id=100064590123456",
    ),
    (
        "https://www.facebook.com/123456789012",
        None,
        "facebook:id:123456789012",
        "https://www.facebook.com/profile.php?id=123456789012",
    ),
    (
        "123456789012",
        "facebook",
        "facebook:id:123456789012",
        "https://www.facebook.com/profile.php?id=123456789012",
    ),
    ("ukinjordan", "facebook", "facebook:handle:ukinjordan", "https://www.facebook.com/ukinjordan"),
    # Instagram
    (
        "https://www.instagram.com/ukinjordan/",
        None,
        "instagram:handle:ukinjordan",
        "https://www.instagram.com/ukinjordan",
    ),
    (
        "https://instagram.com/UKinJordan?igshid=MzRlODBiNWFlZA==",
        None,
        "instagram:handle:ukinjordan",
        "https://www.instagram.com/ukinjordan",
    ),
    (
        "https://www.instagram.com/stories/ukinjordan/3100000000/",
        None,
        "instagram:handle:ukinjordan",
        "https://www.instagram.com/ukinjordan",
    ),
    (
        "instagr.am/uk.in.jordan",
        None,
        "instagram:handle:uk.in.jordan",
        "https://www.instagram.com/uk.in.jordan",
    ),
    # YouTube: @handle, /c/, /user/, /channel/, legacy vanity, mobile and music hosts
    (
        "https://www.youtube.com/@UKinJordan",
        None,
        "youtube:handle:ukinjordan",
        "https://www.youtube.com/@ukinjordan",
    ),
    (
        "https://m.youtube.com/@UKinJordan/videos",
        None,
        "youtube:handle:ukinjordan",
        "https://www.youtube.com/@ukinjordan",
    ),
    (
        "https://www.youtube.com/c/UKinJordan",
        None,
        "youtube:handle:ukinjordan",
        "https://www.youtube.com/@ukinjordan",
    ),
    (
        "https://www.youtube.com/c/UKinJordan/featured?view_as=subscriber",
        None,
        "youtube:handle:ukinjordan",
        "https://www.youtube.com/@ukinjordan",
    ),
    (
        "https://www.youtube.com/user/UKinJordan",
        None,
        "youtube:handle:ukinjordan",
        "https://www.youtube.com/@ukinjordan",
    ),
    (
        "https://www.youtube.com/UKinJordan",
        None,
        "youtube:handle:ukinjordan",
        "https://www.youtube.com/@ukinjordan",
    ),
    (
        f"https://www.youtube.com/channel/{YT_ID}",
        None,
        f"youtube:id:{YT_ID}",
        f"https://www.youtube.com/channel/{YT_ID}",
    ),
    (
        f"https://music.youtube.com/channel/{YT_ID}?si=xyz",
        None,
        f"youtube:id:{YT_ID}",
        f"https://www.youtube.com/channel/{YT_ID}",
    ),
    (YT_ID, "youtube", f"youtube:id:{YT_ID}", f"https://www.youtube.com/channel/{YT_ID}"),
    ("@UKinJordan", "youtube", "youtube:handle:ukinjordan", "https://www.youtube.com/@ukinjordan"),
    # LinkedIn
    (
        "https://www.linkedin.com/company/british-embassy-amman/",
        None,
        "linkedin:handle:company/british-embassy-amman",
        "https://www.linkedin.com/company/british-embassy-amman",
    ),
    (
        "https://uk.linkedin.com/company/british-embassy-amman/posts/?feedView=all",
        None,
        "linkedin:handle:company/british-embassy-amman",
        "https://www.linkedin.com/company/british-embassy-amman",
    ),
    (
        "linkedin.com/in/Jane-Doe-123",
        None,
        "linkedin:handle:in/jane-doe-123",
        "https://www.linkedin.com/in/jane-doe-123",
    ),
    (
        "company/British-Embassy-Amman",
        "linkedin",
        "linkedin:handle:company/british-embassy-amman",
        "https://www.linkedin.com/company/british-embassy-amman",
    ),
    # TikTok, Threads
    (
        "https://www.tiktok.com/@UKinJordan",
        None,
        "tiktok:handle:ukinjordan",
        "https://www.tiktok.com/@ukinjordan",
    ),
    (
        "https://www.tiktok.com/@ukinjordan/video/7300000000000000000?lang=en",
        None,
        "tiktok:handle:ukinjordan",
        "https://www.tiktok.com/@ukinjordan",
    ),
    (
        "https://www.threads.net/@UKinJordan",
        None,
        "threads:handle:ukinjordan",
        "https://www.threads.com/@ukinjordan",
    ),
    (
        "https://www.threads.com/@ukinjordan/post/C1abc",
        None,
        "threads:handle:ukinjordan",
        "https://www.threads.com/@ukinjordan",
    ),
    # Telegram, WhatsApp channels
    ("https://t.me/UKinJordan", None, "telegram:handle:ukinjordan", "https://t.me/ukinjordan"),
    ("https://t.me/s/UKinJordan", None, "telegram:handle:ukinjordan", "https://t.me/ukinjordan"),
    ("telegram.me/ukinjordan/123", None, "telegram:handle:ukinjordan", "https://t.me/ukinjordan"),
    ("@UKinJordan", "telegram", "telegram:handle:ukinjordan", "https://t.me/ukinjordan"),
    (
        "https://whatsapp.com/channel/0029VaD2Ab1CdEfGhIjKlM3n",
        None,
        "whatsapp:handle:0029VaD2Ab1CdEfGhIjKlM3n",
        "https://whatsapp.com/channel/0029VaD2Ab1CdEfGhIjKlM3n",
    ),
    (
        "https://www.whatsapp.com/channel/0029VaD2Ab1CdEfGhIjKlM3n?utm_source=x",
        None,
        "whatsapp:handle:0029VaD2Ab1CdEfGhIjKlM3n",
        "https://whatsapp.com/channel/0029VaD2Ab1CdEfGhIjKlM3n",
    ),
    # Fediverse: @user@server, profile URLs, ActivityPub actor URLs, remote profiles
    (
        "@UKinJordan@Mastodon.Social",
        None,
        "mastodon:handle:ukinjordan@mastodon.social",
        "https://mastodon.social/@ukinjordan",
    ),
    (
        "ukinjordan@mastodon.social",
        None,
        "mastodon:handle:ukinjordan@mastodon.social",
        "https://mastodon.social/@ukinjordan",
    ),
    (
        "https://mastodon.social/@UKinJordan",
        None,
        "mastodon:handle:ukinjordan@mastodon.social",
        "https://mastodon.social/@ukinjordan",
    ),
    (
        "https://mastodon.social/@ukinjordan/111111111111111111",
        None,
        "mastodon:handle:ukinjordan@mastodon.social",
        "https://mastodon.social/@ukinjordan",
    ),
    (
        "https://mastodon.social/users/ukinjordan",
        "mastodon",
        "mastodon:handle:ukinjordan@mastodon.social",
        "https://mastodon.social/@ukinjordan",
    ),
    (
        "https://fosstodon.org/@ukinjordan@social.example.gov",
        None,
        "mastodon:handle:ukinjordan@social.example.gov",
        "https://social.example.gov/@ukinjordan",
    ),
    (
        "@ukinjordan@social.example.gov",
        "mastodon",
        "mastodon:handle:ukinjordan@social.example.gov",
        "https://social.example.gov/@ukinjordan",
    ),
    # Bluesky
    (
        "https://bsky.app/profile/UKinJordan.bsky.social",
        None,
        "bluesky:handle:ukinjordan.bsky.social",
        "https://bsky.app/profile/ukinjordan.bsky.social",
    ),
    (
        "@ukinjordan.bsky.social",
        None,
        "bluesky:handle:ukinjordan.bsky.social",
        "https://bsky.app/profile/ukinjordan.bsky.social",
    ),
    (
        "https://bsky.app/profile/did:plc:abc123def456",
        None,
        "bluesky:id:did:plc:abc123def456",
        "https://bsky.app/profile/did:plc:abc123def456",
    ),
    (
        "embassy.example.gov",
        "bluesky",
        "bluesky:handle:embassy.example.gov",
        "https://bsky.app/profile/embassy.example.gov",
    ),
    # Weibo, WeChat, VK, Flickr
    (
        "https://weibo.com/u/1234567890",
        None,
        "weibo:id:1234567890",
        "https://weibo.com/u/1234567890",
    ),
    (
        "https://m.weibo.cn/u/1234567890?luicode=1",
        None,
        "weibo:id:1234567890",
        "https://weibo.com/u/1234567890",
    ),
    ("https://weibo.com/ukinchina", None, "weibo:handle:ukinchina", "https://weibo.com/ukinchina"),
    ("gh_0123456789ab", "wechat", "wechat:handle:gh_0123456789ab", ""),
    ("https://vk.com/UKinRussia", None, "vk:handle:ukinrussia", "https://vk.com/ukinrussia"),
    ("https://m.vk.com/club12345", None, "vk:handle:club12345", "https://vk.com/club12345"),
    (
        "https://www.flickr.com/photos/ukinjordan/albums",
        None,
        "flickr:handle:ukinjordan",
        "https://www.flickr.com/photos/ukinjordan",
    ),
    (
        "https://www.flickr.com/people/12345678@N02/",
        None,
        "flickr:handle:12345678@N02",
        "https://www.flickr.com/photos/12345678@N02",
    ),
    # Websites and blogs
    (
        "https://www.gov.example/world/jordan?utm_source=twitter&utm_medium=social",
        None,
        "website:handle:gov.example/world/jordan",
        "https://gov.example/world/jordan",
    ),
    (
        "http://Embassy.Example.org/",
        None,
        "website:handle:embassy.example.org",
        "https://embassy.example.org",
    ),
    (
        "embassy.example.org/blog/",
        "website",
        "website:handle:embassy.example.org/blog",
        "https://embassy.example.org/blog",
    ),
    (
        "https://medium.com/@ukinjordan",
        None,
        "website:handle:medium.com/@ukinjordan",
        "https://medium.com/@ukinjordan",
    ),
    (
        "https://example.org:443/news",
        None,
        "website:handle:example.org/news",
        "https://example.org/news",
    ),
]


def test_the_table_has_at_least_sixty_variants():
    assert len(TABLE) >= 60


@pytest.mark.parametrize(("text", "platform", "expected", "url"), TABLE)
def test_variant_is_normalised_to_its_canonical_form(text, platform, expected, url):
    address = normalise(text, platform)

    assert f"{address.platform}:{address.kind}:{address.value}" == expected
    assert address.url == url


REFUSED = [
    ("javascript:alert(document.cookie)", None, "scheme"),
    ("JavaScript:alert(1)", None, "scheme"),
    ("javascript://x.com/%0Aalert(1)", None, "scheme"),
    ("data:text/html;base64,PHNjcmlwdD4=", None, "scheme"),
    ("mailto:press@embassy.example", None, "scheme"),
    ("tel:+962000000", None, "scheme"),
    ("ftp://x.com/ukinjordan", None, "scheme"),
    ("https://x.com@evil.example/ukinjordan", None, "disguise"),
    ("https://x.com:8080/ukinjordan", None, "port"),
    ("https://www.facebook.com/ukinjordan", "x", "host-mismatch"),
    ("https://evil.example/ukinjordan", "x", "host-mismatch"),
    ("https://x.com/ukinjordan", "website", "host-mismatch"),
    ("https://x.com/ukinjordan", "mastodon", "host-mismatch"),
    ("https://mastodon.social/@ukinjordan", "website", "host-mismatch"),
    ("@someone@x.com", None, "host-mismatch"),
    ("https://www.youtube.com/watch?v=aqz-KE-bpKQ", None, "not-an-account"),
    ("https://youtu.be/aqz-KE-bpKQ", None, "not-an-account"),
    ("https://www.instagram.com/p/C1abcdef/", None, "not-an-account"),
    ("https://x.com/search?q=embassy", None, "not-an-account"),
    ("https://t.me/+AbCdEf123", None, "private"),
    ("https://vm.tiktok.com/ZMabcdef/", None, "short-link"),
    ("", None, "empty"),
    ("   ", None, "empty"),
    ("x" * 501, None, "too-long"),
    ("https://exa mple.org/", None, "host"),
    ("a handle with spaces", None, "handle"),
    ("this is not valid!", "x", "handle"),
    ("@home", "x", "handle"),
    ("http://[::1/", None, "url"),
]


@pytest.mark.parametrize(("text", "platform", "code"), REFUSED)
def test_bad_input_is_refused_with_a_reason(text, platform, code):
    with pytest.raises(ChannelAddressError) as caught:
        normalise(text, platform)

    assert caught.value.code == code
    assert caught.value.messages[0]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=120))
def test_no_text_raises_anything_but_a_validation_error(text):
    with contextlib.suppress(ValidationError):
        normalise(text)


URLISH = st.builds(
    lambda scheme, host, parts, query: f"{scheme}{host}/{'/'.join(parts)}{query}",
    st.sampled_from(["https://", "http://", "", "//", "HTTPS://www.", "https://m."]),
    st.sampled_from(
        [
            "x.com",
            "twitter.com",
            "facebook.com",
            "instagram.com",
            "youtube.com",
            "linkedin.com",
            "tiktok.com",
            "t.me",
            "whatsapp.com",
            "bsky.app",
            "threads.net",
            "weibo.com",
            "vk.com",
            "flickr.com",
            "mastodon.social",
            "example.org",
        ]
    ),
    st.lists(
        st.one_of(
            st.from_regex(r"[@A-Za-z0-9_.\-]{1,24}", fullmatch=True),
            st.sampled_from(["c", "user", "channel", "@name", "profile", "company", "in", "s"]),
        ),
        max_size=3,
    ),
    st.sampled_from(["", "?utm_source=x", "?id=123456789", "#top", "?s=20&t=abc"]),
)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(URLISH, st.text(max_size=60)),
    st.sampled_from(
        [None, "x", "facebook", "mastodon", "website", "youtube", "flickr", "wechat", "linkedin"]
    ),
)
def test_normalising_twice_changes_nothing(text, platform):
    try:
        address = normalise(text, platform)
    except ValidationError:
        return

    again = normalise(address.canonical, address.platform or None)

    assert again == address
    if address.url:
        assert normalise(address.url) == address
