"""`{% entry_cards %}` writes what blogs/includes/entry_card.html and its byline write."""

from datetime import UTC, datetime

import pytest
from django.template import engines
from django.utils import translation

from dragoman.blogs.queries import CardTag, Credit, EntryCard

# The lists' cards as they were rendered before the tag: one include a card.
THROUGH_TEMPLATES = (
    "{% load i18n %}{% translate 'Tags' as tags_label %}{% for entry in entries %}"
    '{% include "blogs/includes/entry_card.html" with entry=entry tags_label=tags_label only %}'
    "{% endfor %}"
)


def card(pk: int, *, authors: int, tags: int, comments: int | None, language: str) -> EntryCard:
    names = ["Ann <Lee>", "Bob & Co", 'Cy "C"', "Dana"]
    return EntryCard(
        pk=pk,
        title=f"Entry {pk}: <b>bold</b> & \"quoted\" 'text'",
        url=f"/blogs/a-blog/entry-{pk}/?a=1&b=2",
        language=language,
        date=datetime(2026, 3, pk % 28 + 1, 23, 30, tzinfo=UTC),
        summary=f"Summary {pk} <script>x</script> & more",
        authors=[
            Credit(display_name=name, url=f"/bloggers/{index}/?x=<y>")
            for index, name in enumerate(names[:authors])
        ],
        tags=[CardTag(name=f"tag {i} & <i>", url=f"/tags/t{i}/") for i in range(tags)],
        added={} if comments is None else {"comment_count": comments},
    )


CARDS = [
    card(1, authors=1, tags=1, comments=12, language="en"),
    card(2, authors=2, tags=0, comments=0, language="fa"),
    card(3, authors=3, tags=3, comments=1, language="ar"),
    card(4, authors=4, tags=2, comments=1234, language="fr"),
    card(5, authors=0, tags=1, comments=None, language="es"),
]


@pytest.mark.parametrize("language", ["en", "fr", "ar", "fa"])
def test_entry_cards_write_what_the_card_template_writes(language: str) -> None:
    engine = engines["django"]
    with translation.override(language):
        expected = engine.from_string(THROUGH_TEMPLATES).render({"entries": CARDS})
        written = engine.from_string("{% load entry_text %}{% entry_cards entries %}").render(
            {"entries": CARDS}
        )
    assert written == expected
    # The comparison is of something: every card, escaped once.
    assert written.count('<article class="entry-card"') == len(CARDS)
    assert "&lt;script&gt;" in written
    assert "<script>" not in written


def test_entry_cards_of_no_entries_write_nothing() -> None:
    rendered = engines["django"].from_string("{% load entry_text %}{% entry_cards entries %}")
    assert rendered.render({"entries": []}) == ""
