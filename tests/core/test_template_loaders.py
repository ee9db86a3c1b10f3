"""Our HTML templates lose their indentation as they load; the page a reader sees does not change."""

from pathlib import Path

import pytest
from django.template import Origin, engines
from django.utils import translation

import dragoman
from dragoman.core.template_loaders import compact, compacts
from tests.blogs.reader import page_html
from tests.factories import BloggerFactory, EntryFactory

PACKAGE = Path(dragoman.__file__).resolve().parent


def test_a_line_break_between_two_tags_disappears_with_the_indentation():
    source = "<ul>\n  <li>\n    {% if x %}\n      <a>one</a>\n    {% endif %}\n  </li>\n</ul>\n"

    assert compact(source) == "<ul><li>{% if x %}<a>one</a>{% endif %}</li></ul>"


def test_a_line_break_next_to_words_or_a_value_becomes_one_space():
    source = "<p>\n  Posted\n  <time>today</time>\n  by\n  {{ name }}\n  ·\n  <a>RSS</a>\n</p>"

    assert compact(source) == "<p> Posted <time>today</time> by {{ name }} · <a>RSS</a></p>"


def test_spaces_within_a_line_are_kept_as_written():
    source = '  {% if last %} {% translate "and" %} {% else %}, {% endif %}\n'

    assert compact(source) == '{% if last %} {% translate "and" %} {% else %}, {% endif %}'


def test_attributes_wrapped_one_per_line_are_separated_by_one_space():
    source = '<input\n  type="text"\n  name="q"\n  {% if x %}required{% endif %}>\n'

    assert compact(source) == '<input type="text" name="q" {% if x %}required{% endif %}>'


def test_preformatted_text_keeps_its_lines():
    source = "<div>\n  <pre>\n  one\n    two\n  </pre>\n  <p>after</p>\n</div>"

    assert compact(source) == "<div><pre>\n  one\n    two\n  </pre><p>after</p></div>"


@pytest.mark.parametrize(
    ("name", "compacted"),
    [
        (PACKAGE / "templates" / "base.html", True),
        (PACKAGE / "conversations" / "templates" / "conversations" / "email" / "digest.txt", False),
        (Path(engines["django"].engine.find_template("wagtailadmin/base.html")[1].name), False),
    ],
)
def test_only_our_own_html_templates_are_compacted(name, compacted):
    assert compacts(Origin(str(name))) is compacted


@pytest.mark.django_db
def test_a_byline_of_three_bloggers_reads_a_comma_b_and_c(client):
    bloggers = [BloggerFactory(display_name=name) for name in ("Ana", "Ben", "Chloé")]
    with translation.override("en"):
        path = EntryFactory(authors=bloggers).url

    byline = page_html(client.get(path)).select_one(".byline")

    assert " ".join(byline.get_text("").split()).endswith("by Ana, Ben and Chloé")
