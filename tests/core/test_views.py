"""The site's own small pages: robots.txt, the health check and the error pages."""

import pytest
from django.test import override_settings

from dragoman.core.views import server_error

pytestmark = pytest.mark.django_db


def test_robots_txt_keeps_crawlers_out_of_the_admin_and_names_the_sitemap(client, settings):
    settings.BASE_URL = "https://blogs.example.org"

    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().splitlines() == [
        "User-agent: *",
        "Disallow: /admin/",
        "Sitemap: https://blogs.example.org/sitemap.xml",
    ]


def test_health_check_answers_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok\n"


@pytest.mark.parametrize("path", ["/robots.txt", "/healthz"])
def test_a_head_request_is_answered_and_a_post_is_refused(client, path):
    assert client.head(path).status_code == 200
    assert client.post(path).status_code == 405


def test_page_not_found_is_the_sites_styled_404(client, settings):
    settings.DEBUG = False  # Django's own technical page otherwise

    response = client.get("/no-such-page-anywhere/")

    assert response.status_code == 404
    page = response.content.decode()
    assert "<h1>Page not found</h1>" in page
    assert "There is no page at this address." in page


@override_settings(SITE_NAME="Letters from the posts")
def test_server_error_page_names_the_site_without_a_request_context(rf):
    response = server_error(rf.get("/"))

    assert response.status_code == 500
    assert "Letters from the posts" in response.content.decode()
