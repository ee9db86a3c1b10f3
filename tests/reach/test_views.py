import feedparser
import pytest
from django.test import override_settings

ONION = f"{'v' * 56}.onion"
REACH = {
    "BASE_URL": "http://127.0.0.1:8000",
    "DRAGOMAN_MIRROR_HOSTS": ["mirror.example"],
    "DRAGOMAN_ONION_ADDRESS": ONION,
    "ALLOWED_HOSTS": ["testserver", "mirror.example", ONION],
}


@pytest.mark.django_db
@override_settings(**REACH)
def test_the_mirror_list_page_links_every_address(client):
    html = client.get("/mirrors/").content.decode()

    assert 'href="http://127.0.0.1:8000/"' in html
    assert 'href="http://mirror.example/"' in html
    assert f'href="http://{ONION}/"' in html
    assert 'href="/mirrors/feed/"' in html


@pytest.mark.django_db
@override_settings(**REACH)
def test_the_mirror_feed_has_one_item_per_address(client):
    feed = feedparser.parse(client.get("/mirrors/feed/").content)

    assert [item.link for item in feed.entries] == [
        "http://127.0.0.1:8000/",
        "http://mirror.example/",
        f"http://{ONION}/",
    ]


@pytest.mark.django_db
@override_settings(**REACH)
def test_on_the_onion_service_the_mirror_list_gives_only_the_onion(client):
    html = client.get("/mirrors/", HTTP_HOST=ONION).content.decode()

    assert f'href="http://{ONION}/"' in html
    assert "mirror.example" not in html
    assert "127.0.0.1" not in html


@pytest.mark.django_db
def test_every_page_links_the_mirror_list(client):
    assert 'href="/mirrors/"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_mirror_list_refuses_a_post(client):
    assert client.post("/mirrors/").status_code == 405
