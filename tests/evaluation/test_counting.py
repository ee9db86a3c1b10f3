"""Pages served from the cache and from renders, as people and as robots, counted exactly;
no cookie, script or third-party request; the day's salt and hashes gone after the day."""

from datetime import timedelta
from io import BytesIO
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.db.models import Sum
from django.utils import timezone

from dragoman.evaluation import counting, services
from dragoman.evaluation.models import DailySalt, Figure, ReaderMark
from dragoman.publishing.wsgi import PageCacheApplication
from tests.factories import EntryFactory

pytestmark = pytest.mark.django_db

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
PHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
FEEDLY = "Feedly/1.0 (+http://www.feedly.com/fetcher.html; 123 subscribers; feed-id=42)"


def total(**filters) -> int:
    return Figure.objects.filter(**filters).aggregate(n=Sum("count"))["n"] or 0


@pytest.fixture
def wsgi_app():
    # As Django's test client does: keep the test's transaction open between requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield PageCacheApplication(WSGIHandler())
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def wsgi_get(app, path, **headers):
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",  # the host the test client rendered for (keyed)
        "REMOTE_ADDR": "192.0.2.7",
        "wsgi.url_scheme": "http",
        "wsgi.input": BytesIO(b""),
        "wsgi.errors": BytesIO(),
        "SCRIPT_NAME": "",
        **{"HTTP_" + name.upper(): value for name, value in headers.items()},
    }
    seen = {}

    def start_response(line, response_headers, exc_info=None):
        seen["line"], seen["headers"] = line, dict(response_headers)

    b"".join(app(environ, start_response))
    return seen


def test_people_and_robots_counted_from_renders_and_hits(client, counting_on, wsgi_app):
    entry = EntryFactory(language="fr")
    blog = entry.get_parent().specific
    person = {"HTTP_USER_AGENT": FIREFOX, "REMOTE_ADDR": "192.0.2.7"}

    first = client.get(entry.url, **person, HTTP_REFERER="https://www.example.org/a/path?x=1")
    second = client.get(entry.url, **person)
    fast = wsgi_get(wsgi_app, entry.url, user_agent=PHONE)
    robot = client.get(entry.url, HTTP_USER_AGENT=GOOGLEBOT)
    head = client.head(entry.url, **person)
    prefetch = client.get(entry.url, **person, HTTP_SEC_PURPOSE="prefetch")

    assert first["X-Cache"] == "MISS"
    assert second["X-Cache"] == "HIT"
    assert fast["headers"]["X-Cache"] == "HIT"
    assert robot["X-Cache"] == head["X-Cache"] == prefetch["X-Cache"] == "HIT"
    assert not Figure.objects.exists()  # nothing written per request
    counting.flush()

    views = {"metric": "view", "entry_id": entry.pk}
    assert total(**views, dimension="") == 3
    assert total(**views, dimension="", blog_id=blog.pk, mission_id=blog.mission_id) == 3
    assert total(**views, dimension="language", value="fr") == 3
    assert total(**views, dimension="device", value="desktop") == 2
    assert total(**views, dimension="device", value="mobile") == 1
    assert total(**views, dimension="referrer", value="example.org") == 1
    assert total(metric="excluded", value="robot") == 1
    assert total(metric="excluded", value="head") == 1
    assert total(metric="excluded", value="prefetch") == 1
    # The referrer's domain only, never its address.
    assert not Figure.objects.filter(value__contains="path").exists()
    # Two readers today: the desktop one twice, the phone once.
    assert ReaderMark.objects.filter(scope=f"entry:{entry.pk}").count() == 2
    assert ReaderMark.objects.filter(scope="network").count() == 2
    assert ReaderMark.objects.filter(scope=f"mission:{blog.mission_id}").count() == 2


def test_the_day_closed_keeps_readers_and_destroys_salt_and_hashes(client, counting_on):
    entry = EntryFactory()
    blog = entry.get_parent().specific
    for address in ("192.0.2.1", "192.0.2.2", "192.0.2.2"):
        client.get(entry.url, HTTP_USER_AGENT=FIREFOX, REMOTE_ADDR=address)
    counting.flush()
    today = timezone.localdate()
    salt = DailySalt.objects.get(day=today).salt
    assert ReaderMark.objects.count() == 2 * 4  # network, mission, blog, entry

    services.days_close(today=today + timedelta(days=1))

    assert not DailySalt.objects.exists()
    assert not ReaderMark.objects.exists()
    # Never made again for a day that is over.
    assert services.salt_of(today, today=today + timedelta(days=1)) is None
    readers = {"metric": "readers", "day": today}
    assert total(**readers, entry_id=0, blog_id=0, mission_id=0) == 2
    assert total(**readers, entry_id=entry.pk) == 2
    assert total(**readers, entry_id=0, blog_id=blog.pk) == 2
    assert total(**readers, entry_id=0, blog_id=0, mission_id=blog.mission_id) == 2
    # Nothing that stood for a reader is left anywhere in the figures.
    assert not Figure.objects.filter(value__contains=salt[:8]).exists()
    assert not Figure.objects.filter(value__contains="192.0.2").exists()


def test_yesterdays_salt_is_gone_and_todays_kept(client, counting_on):
    entry = EntryFactory()
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    DailySalt.objects.create(day=yesterday, salt="y" * 64)
    ReaderMark.objects.create(day=yesterday, scope="network", digest="d" * 32)
    client.get(entry.url, HTTP_USER_AGENT=FIREFOX)
    counting.flush()

    closed = services.days_close()

    assert closed == [yesterday]
    assert list(DailySalt.objects.values_list("day", flat=True)) == [today]
    assert not ReaderMark.objects.filter(day=yesterday).exists()
    assert ReaderMark.objects.filter(day=today).exists()
    assert total(metric="readers", day=yesterday, entry_id=0, blog_id=0, mission_id=0) == 1


def test_a_salt_remembered_by_a_process_is_not_used_once_its_day_is_closed():
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    services._salts[yesterday] = "s" * 64  # remembered before another process closed the day

    assert services.salt_of(yesterday) is None


def test_pages_carry_no_cookie_script_or_third_party_request(client, counting_on, settings):
    entry = EntryFactory()
    own = {"", "testserver", urlsplit(settings.BASE_URL).netloc}
    for _ in range(2):  # rendered, then from the cache
        response = client.get(entry.url, HTTP_USER_AGENT=FIREFOX)
        assert response.status_code == 200
        assert not response.cookies
        assert "Set-Cookie" not in response
        page = BeautifulSoup(response.content, "html.parser")
        assert not page.select("script[src]")
        for element in page.select("[src], link[href]"):
            address = element.get("src") or element.get("href")
            assert urlsplit(address).netloc in own, address


def test_feed_fetches_and_subscribers_reported(client, counting_on):
    EntryFactory()
    client.get("/feed/rss/", HTTP_USER_AGENT=FEEDLY)
    client.get("/feed/rss/", HTTP_USER_AGENT=FEEDLY.replace("123", "125"))
    client.get("/feed/rss/", HTTP_USER_AGENT=FIREFOX)
    counting.flush()

    assert total(metric="feed", dimension="") == 3
    assert total(metric="feed", dimension="reader", value="Feedly") == 2
    assert total(metric="view") == 0
    assert Figure.objects.get(metric="subscribers", value="Feedly").count == 125


def test_share_clicks_go_on_untouched_and_are_counted(client, counting_on):
    entry = EntryFactory()
    page = BeautifulSoup(client.get(entry.url).content, "html.parser")
    link = page.select_one("a.share__link--x")["href"]
    assert link == f"/share/x/{entry.pk}/"

    response = client.get(link, HTTP_USER_AGENT=FIREFOX)
    client.get(link, HTTP_USER_AGENT=GOOGLEBOT)  # a link preview
    counting.flush()

    assert response.status_code == 302
    target = response["Location"]
    assert target.startswith("https://x.com/intent/post?")
    assert "utm_" not in target
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["Cache-Control"] == "no-store"
    assert total(metric="share", dimension="network", value="x", entry_id=entry.pk) == 1
    assert total(metric="excluded", value="robot") >= 1


def test_share_of_an_unknown_network_or_entry_is_a_404(client, counting_on):
    entry = EntryFactory()
    assert client.get(f"/share/myspace/{entry.pk}/").status_code == 404
    assert client.get("/share/x/999999/").status_code == 404
    draft = EntryFactory(live=False)
    assert client.get(f"/share/x/{draft.pk}/").status_code == 404


def test_searches_counted_by_words_only(client, counting_on):
    EntryFactory(title="Embassy garden party")
    client.get("/search/", {"q": "Embassy  garden"}, HTTP_USER_AGENT=FIREFOX)
    client.get("/search/", {"q": "zzyzx"}, HTTP_USER_AGENT=FIREFOX)
    counting.flush()

    assert total(metric="search", value="embassy garden") == 1
    assert total(metric="search", value="zzyzx") == 1
    assert total(metric="search_empty", value="zzyzx") == 1
    assert total(metric="search_empty", value="embassy garden") == 0


def test_counting_off_writes_nothing(client, settings):
    entry = EntryFactory()
    client.get(entry.url, HTTP_USER_AGENT=FIREFOX)
    client.get(entry.url, HTTP_USER_AGENT=FIREFOX)
    counting.flush()
    assert not Figure.objects.exists()
