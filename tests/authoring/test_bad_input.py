"""Bad input in the editor gets a clear message in the form, and nothing saved is lost."""

from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Collection

from dragoman.blogs.models import EntryPage
from dragoman.demo.images import landscape_png
from tests.factories import EntryFactory

from .conftest import PASSWORD, Network, entry_form_data


def add_url(network: Network) -> str:
    return reverse("wagtailadmin_pages:add", args=("blogs", "entrypage", network.own_blog.pk))


def as_blogger(client: Any) -> None:
    assert client.login(username="amira", password=PASSWORD)


def test_entry_without_a_title_is_refused_with_a_message(client, network: Network):
    as_blogger(client)

    response = client.post(
        add_url(network),
        entry_form_data(title="", blogger=network.blogger, summary="Kept summary text"),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "This field is required" in page
    assert "Kept summary text" in page  # what the blogger typed is still in the form
    assert not EntryPage.objects.filter(summary="Kept summary text").exists()


def test_clearing_the_title_of_a_saved_entry_loses_nothing(client, network: Network):
    entry = EntryFactory(blog=network.own_blog, authors=[network.blogger], title="Saved title")
    as_blogger(client)

    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(entry.pk,)),
        entry_form_data(
            title="",
            blogger=network.blogger,
            summary="New summary typed",
            credit_id=entry.entry_authors.get().pk,
            **{"action-publish": "1"},
        ),
    )

    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    entry.refresh_from_db()
    assert entry.title == "Saved title"
    assert entry.live
    assert entry.get_latest_revision_as_object().title == "Saved title"


def test_schedule_in_the_past_is_refused_with_a_message(client, network: Network):
    as_blogger(client)
    yesterday = (timezone.now() - timedelta(days=1)).strftime("%Y-%m-%d %H:%M")

    response = client.post(
        add_url(network),
        entry_form_data(
            title="Back to the future",
            blogger=network.blogger,
            go_live_at=yesterday,
            **{"action-publish": "1"},
        ),
    )

    assert response.status_code == 200
    assert "This time has already passed" in response.content.decode()
    assert not EntryPage.objects.filter(title="Back to the future").exists()


def test_unsupported_video_address_is_refused_with_a_message(client, network: Network):
    as_blogger(client)

    response = client.post(
        add_url(network),
        entry_form_data(
            title="A film",
            blogger=network.blogger,
            body=[("video", {"url": "https://example.com/some-page", "title": "Our film"})],
            **{"action-publish": "1"},
        ),
    )

    assert response.status_code == 200
    assert "Use a YouTube or Vimeo address" in response.content.decode()
    assert not EntryPage.objects.filter(title="A film").exists()


def test_image_without_alt_text_is_refused(client, network: Network):
    image = get_image_model().objects.create(
        title="Harbour", file=SimpleUploadedFile("harbour.png", landscape_png(seed=1))
    )
    as_blogger(client)

    response = client.post(
        add_url(network),
        entry_form_data(
            title="Pictures",
            blogger=network.blogger,
            body=[("image", {"image": image.pk, "alt_text": "", "caption": ""})],
            **{"action-publish": "1"},
        ),
    )

    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not EntryPage.objects.filter(title="Pictures").exists()


def upload(client: Any, name: str, content: bytes) -> Any:
    return client.post(
        reverse("wagtailimages:add"),
        {
            "title": "An upload",
            "file": SimpleUploadedFile(name, content),
            "collection": Collection.get_first_root_node().pk,
        },
    )


def test_corrupt_image_is_refused_with_a_message(client, network: Network):
    as_blogger(client)

    response = upload(client, "photo.jpg", b"this is not a picture at all" * 10)

    assert response.status_code == 200
    assert "Upload a valid image" in response.content.decode() or (
        "Not a supported image format" in response.content.decode()
    )
    assert not get_image_model().objects.filter(title="An upload").exists()


def test_oversized_image_is_refused_with_a_message(client, network: Network, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1024
    as_blogger(client)

    response = upload(client, "big.png", landscape_png(seed=2))

    assert response.status_code == 200
    assert "too large" in response.content.decode() or "too big" in response.content.decode()
    assert not get_image_model().objects.filter(title="An upload").exists()


def test_unsupported_image_type_is_refused_with_a_message(client, network: Network):
    as_blogger(client)

    response = upload(client, "drawing.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>")

    assert response.status_code == 200
    assert "Not a supported image format" in response.content.decode()


def test_blogger_uploads_a_valid_image(client, network: Network):
    as_blogger(client)

    response = upload(client, "harbour.png", landscape_png(seed=3))

    assert response.status_code == 302
    assert get_image_model().objects.filter(title="An upload").exists()
