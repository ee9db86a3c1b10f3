"""The page cache as a reader, an editor and a CDN see it."""

import gzip
from urllib.parse import urlencode

import brotli
import pytest
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.middleware.csrf import get_token

from dragoman.publishing import pagecache
from dragoman.publishing.middleware import PageCacheMiddleware
from tests.factories import EntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry():
    return EntryFactory(title="Opening of the trade office", tags=["trade"])


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    return user


def test_second_anonymous_request_is_a_hit_with_the_same_bytes(client, entry):
    first = client.get(entry.url)
    second = client.get(entry.url)

    assert (first.headers["X-Cache"], second.headers["X-Cache"]) == ("MISS", "HIT")
    assert second.content == first.content
    assert "Opening of the trade office" in second.content.decode()


def test_cached_page_carries_validators_and_cdn_headers(client, entry):
    response = client.get(entry.url)

    assert response.headers["ETag"].startswith('W/"')
    assert response.headers["Last-Modified"].endswith("GMT")
    assert response.headers["Cache-Control"].startswith("public, max-age=0, s-maxage=")
    assert response.headers["Vary"] == "Accept, Accept-Encoding"
    assert "Content-Security-Policy" in response.headers
    assert "Set-Cookie" not in response.headers


def test_matching_if_none_match_gets_304_without_a_body(client, entry):
    etag = client.get(entry.url).headers["ETag"]

    response = client.get(entry.url, headers={"if-none-match": etag})

    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["ETag"] == etag


def test_stale_if_none_match_gets_the_page(client, entry):
    client.get(entry.url)

    response = client.get(entry.url, headers={"if-none-match": 'W/"something-else"'})

    assert response.status_code == 200


def test_gzip_when_accepted(client, entry):
    plain = client.get(entry.url).content

    response = client.get(entry.url, headers={"accept-encoding": "gzip, deflate"})

    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content) == plain
    assert int(response.headers["Content-Length"]) == len(response.content)


def test_brotli_preferred_when_accepted(client, entry):
    plain = client.get(entry.url).content

    response = client.get(entry.url, headers={"accept-encoding": "gzip, br"})

    assert response.headers["Content-Encoding"] == "br"
    assert brotli.decompress(response.content) == plain


def test_encoding_refused_with_q0_is_not_used(client, entry):
    response = client.get(entry.url, headers={"accept-encoding": "br;q=0, gzip;q=0"})

    assert "Content-Encoding" not in response.headers


def test_head_gets_headers_and_no_body(client, entry):
    length = len(client.get(entry.url).content)

    response = client.head(entry.url)

    assert response.headers["X-Cache"] == "HIT"
    assert response.content == b""
    assert int(response.headers["Content-Length"]) == length


def test_unknown_query_parameters_share_the_page_without_growing_the_cache(client, entry):
    client.get(entry.url)

    response = client.get(entry.url + "?utm_source=newsletter&x=<script>")

    assert response.headers["X-Cache"] == "HIT"
    assert "&lt;script&gt;" not in response.content.decode()


def test_page_parameter_is_part_of_the_key(client, entry):
    blog_url = entry.get_parent().url
    client.get(blog_url)

    assert client.get(blog_url + "?page=1").headers["X-Cache"] == "MISS"
    assert client.get(blog_url + "?page=1&utm=x").headers["X-Cache"] == "HIT"


def test_a_page_number_spelled_otherwise_is_that_page_but_never_stored(client, entry):
    # The page shows the number as asked (canonical and language links): "01" or "٣" stored
    # under the key of "1" or "3" would hand a visitor's spelling to every later reader.
    blog_url = entry.get_parent().url

    for spelling in ("01", "٣"):
        response = client.get(blog_url, {"page": spelling})
        assert response.status_code in (200, 404)
        assert "X-Cache" not in response.headers or response.headers["X-Cache"] == "BYPASS"


def test_nonsense_page_parameter_bypasses_the_cache_and_is_a_404(client, entry):
    response = client.get(entry.get_parent().url + "?page=abc")

    assert response.status_code == 404
    assert "X-Cache" not in response.headers


def test_not_found_pages_are_never_stored(client, entry):
    client.get("/blogs/no-such-blog/")

    assert client.get("/blogs/no-such-blog/").status_code == 404
    assert client.get("/blogs/no-such-blog/").headers.get("X-Cache") != "HIT"


def test_a_signed_in_editor_never_gets_the_anonymous_copy(client, entry, editor):
    client.logout()
    client.get(entry.url)
    client.force_login(editor)

    response = client.get(entry.url)

    assert response.headers.get("X-Cache") is None
    assert response.status_code == 200


def test_a_signed_in_editor_never_fills_the_anonymous_cache(client, entry, editor):
    client.get(entry.url)
    client.logout()

    response = client.get(entry.url)

    assert response.headers["X-Cache"] == "MISS"
    assert b"editor@example.org" not in response.content


def test_admin_is_never_cached(client, editor):
    client.get("/admin/")

    assert client.get("/admin/").headers.get("X-Cache") is None


def test_page_that_sets_a_cookie_or_a_csrf_token_is_not_stored(rf):
    def view_with_form(request):
        return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')

    def view_with_cookie(request):
        response = HttpResponse("hello")
        response.set_cookie("tracking", "1")
        return response

    for view in (view_with_form, view_with_cookie):
        request = rf.get("/robots.txt")
        request.resolver_match = type("Match", (), {"view_name": "robots_txt", "kwargs": {}})()
        response = PageCacheMiddleware(view)(request)
        assert response.headers["X-Cache"] == "BYPASS"
    key = pagecache.page_key("/robots.txt", "", host="testserver")
    assert key is not None
    assert pagecache.cache().get(key) is None


def test_no_cached_page_holds_a_session_or_csrf_token(client, entry):
    for url in (entry.url, "/", "/tags/trade/", "/feed/rss/", "/sitemap.xml"):
        client.get(url)
        response = client.get(url)
        assert response.headers["X-Cache"] == "HIT", url
        assert b"csrfmiddlewaretoken" not in response.content
        assert "Set-Cookie" not in response.headers
    assert not client.cookies


def test_session_cookie_bypasses_the_cache(client, entry):
    client.get(entry.url)
    client.cookies["sessionid"] = "made-up"

    response = client.get(entry.url)

    assert response.headers.get("X-Cache") is None


def test_page_cache_can_be_switched_off(client, entry, settings):
    settings.DRAGOMAN_PAGE_CACHE = False

    client.get(entry.url)

    assert client.get(entry.url).headers.get("X-Cache") is None


def test_a_page_rendered_while_something_changed_is_not_stored(client, entry):
    key = pagecache.page_key(entry.url, "", host="testserver")
    epoch = pagecache.current_epoch()
    page = pagecache.build_page(versions={}, status=200, headers=[], body=b"old")

    pagecache.bump(["home"])

    assert not pagecache.store(key, page, epoch)
    assert client.get(entry.url).headers["X-Cache"] == "MISS"


def test_sites_are_remembered_until_a_site_changes(client, entry, settings):
    from wagtail.models import Site

    from dragoman.blogs.models import BlogIndexPage

    settings.ALLOWED_HOSTS = ["testserver", "blogs.example.org"]
    settings.DRAGOMAN_PAGE_CACHE = False  # every request is routed
    assert (
        client.get("/", HTTP_HOST="blogs.example.org").context["page"].specific_class.__name__
        == "HomePage"
    )

    index = BlogIndexPage.objects.get()
    Site.objects.create(hostname="blogs.example.org", port=80, root_page=index)

    response = client.get("/", HTTP_HOST="blogs.example.org")
    assert response.context["page"].pk == index.pk  # the new site, not the remembered one
    assert (
        client.get("/", HTTP_HOST="testserver").context["page"].specific_class.__name__
        == "HomePage"
    )


@pytest.mark.parametrize("number", ["¹", "²³", "½", "-1", "0", "100000", "1e3"])
def test_a_page_number_that_is_no_whole_number_in_range_never_uses_the_cache(number):
    # "¹" passes str.isdigit() but not int(): it once made /search/?page=¹ a server error.
    assert pagecache.page_key("/tags/", urlencode({"page": number}), host="testserver") is None


def test_only_the_page_number_as_the_site_writes_it_has_a_key():
    assert pagecache.page_key("/tags/", "page=3", host="testserver") is not None
    assert pagecache.page_key("/tags/", "page=٣", host="testserver") is None
    assert pagecache.page_key("/tags/", "page=03", host="testserver") is None
