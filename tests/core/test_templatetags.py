"""The core template libraries: Wagtail's image tags with their filters kept, and HTML dates."""

from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.utils import timezone

from dragoman.demo.images import image_create, landscape_png

PICTURE = (
    "{% picture image format-{avif,webp,jpeg} width-{360,720} "
    'sizes="50rem" alt="A dam" class="figure__image" %}'
    "{% srcset_image image width-{200,400} alt='' %}"
    "{% image image format-jpeg width-300 alt='' %}"
)


@pytest.mark.django_db
def test_the_image_tags_give_wagtails_own_output():
    image = image_create(title="Dam", png=landscape_png(seed=1, width=800, height=450))

    ours = Template("{% load images %}" + PICTURE).render(Context({"image": image}))
    wagtails = Template("{% load wagtailimages_tags %}" + PICTURE).render(Context({"image": image}))

    assert ours == wagtails
    assert ours.count("<source") == 2 and ' srcset="' in ours and 'alt="A dam"' in ours


@pytest.mark.django_db
def test_a_compiled_image_tag_builds_its_filters_once():
    image = image_create(title="Dam", png=landscape_png(seed=2, width=800, height=450))
    template = Template("{% load images %}" + PICTURE)
    picture, srcset, single = (node for node in template.nodelist if hasattr(node, "filter_specs"))

    template.render(Context({"image": image}))
    kept = (picture.get_filters(), srcset.get_filters(), single.get_filter())
    template.render(Context({"image": image}))

    assert picture.get_filters() is kept[0] and len(kept[0]) == 6
    assert srcset.get_filters() is kept[1]
    assert single.get_filter() is kept[2] and kept[2].spec == "format-jpeg|width-300"


def test_html_datetime_is_to_the_second_with_the_offset_in_the_current_time_zone():
    moment = datetime(2026, 12, 6, 19, 54, 14, 123456, tzinfo=UTC)
    template = Template(
        "{% load dragoman_tags %}{{ moment|html_datetime }}|{{ none|html_datetime }}"
    )

    with timezone.override("Asia/Tehran"):
        assert template.render(Context({"moment": moment, "none": None})) == (
            "2026-12-06T23:24:14+0330|"
        )
