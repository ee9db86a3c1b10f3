"""Wagtail's renditions cache: a rendition is written once, not again at every render."""

import pytest
from django.core.cache import caches
from django.template import Context, Template
from wagtail.images import get_image_model

from dragoman.demo.images import image_create, landscape_png

pytestmark = pytest.mark.django_db

FIGURE = Template(
    "{% load images %}"
    "{% picture image format-{webp,jpeg} width-{200,400} alt='' %}"
    "{% image image fill-120x60 alt='' %}"
)


@pytest.fixture
def rendition_writes(monkeypatch):
    """The keys of renditions written to the default cache (where the renditions cache keeps
    them), however they are written."""
    store = caches["default"]
    written: list[str] = []
    set_one, set_many = store.set, store.set_many

    def counted_set(key, value, *args, **kwargs):
        written.append(key)
        return set_one(key, value, *args, **kwargs)

    def counted_set_many(data, *args, **kwargs):
        written.extend(data)
        return set_many(data, *args, **kwargs)

    monkeypatch.setattr(store, "set", counted_set)
    monkeypatch.setattr(store, "set_many", counted_set_many)
    return written


def test_renditions_are_written_when_made_and_only_read_afterwards(rendition_writes):
    image = image_create(title="Dam", png=landscape_png(seed=4, width=800, height=450))
    first = FIGURE.render(Context({"image": image}))
    made = len(rendition_writes)

    again = FIGURE.render(Context({"image": get_image_model().objects.get(pk=image.pk)}))

    # Four for the picture, one for the image (Wagtail writes one it makes twice).
    assert len(set(rendition_writes)) == 5
    assert len(rendition_writes) == made  # the second render read them all from the cache
    assert again == first


def test_a_rendition_missing_from_the_cache_is_written_again(rendition_writes):
    image = image_create(title="Dam", png=landscape_png(seed=5, width=800, height=450))
    FIGURE.render(Context({"image": image}))
    caches["renditions"].clear()
    rendition_writes.clear()

    FIGURE.render(Context({"image": get_image_model().objects.get(pk=image.pk)}))

    assert len(set(rendition_writes)) == 5
