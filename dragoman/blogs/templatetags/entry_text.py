"""What every entry card says in words: its byline's "Posted on" (blogs/includes/byline.html)
and its count of comments (blogs/includes/entry_card.html); and the cards themselves.

Written as `{% blocktranslate %}` blocks, the byline's with three filtered values, they cost
each card some 700 Python calls: the template machinery around the same translations and
formats. These tags do what the blocks did, with the same messages and the same HTML.

`{% entry_cards %}` writes a list's cards as blogs/includes/entry_card.html and its byline
write them: rendered through the templates, ten cards were a third of a listing page's Python
calls (some 13,000: two includes, two loops and some thirty variables a card). The templates
stay the markup's reference: tests/blogs/test_entry_text.py holds the writer to them, card
by card, in left-to-right and right-to-left languages.
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django import template
from django.utils import timezone
from django.utils.formats import date_format, localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_bidi, gettext, ngettext

from dragoman.core.markup import escaped
from dragoman.core.templatetags.languages import solar_date

register = template.Library()


@register.simple_tag
def posted(moment: datetime) -> SafeString:
    """'Posted <time datetime="…">date</time> by', as `{% blocktranslate %}` rendered it: the
    date in the interface language's DATE_FORMAT and the ISO moment, both in the current time
    zone (as the `date` filter gives them), then the Solar Hijri date on Persian pages."""
    # As the `date` filter's template_localtime: only an aware moment changes zone.
    aware = isinstance(moment, datetime) and timezone.is_aware(moment)
    local = timezone.localtime(moment) if aware else moment
    values = {
        "iso": escape(local.isoformat()),
        "date": escape(date_format(local, "DATE_FORMAT")),
        "solar": solar_date(moment),
    }
    # The message is the translators' (safe, as blocktranslate takes it); the values are
    # escaped above.
    message = gettext('Posted <time datetime="%(iso)s">%(date)s</time>%(solar)s by')
    return mark_safe(message % values)  # noqa: S308


@register.simple_tag
def comment_count(count: int) -> SafeString:
    """'3 comments', as `{% blocktranslate count counter=... %}` rendered it (the number
    localized and escaped as a template's variable is)."""
    message = ngettext("%(counter)s comment", "%(counter)s comments", count)
    return mark_safe(message % {"counter": conditional_escape(localize(count))})  # noqa: S308


@register.simple_tag
def entry_cards(cards: Iterable[Any]) -> SafeString:
    """The cards of a list (`blogs.queries.EntryCard`s), each as blogs/includes/entry_card.html
    writes it with blogs/includes/byline.html: the same markup, words and escaping."""
    # What the templates asked once a card ({% get_current_language %}, the bidi flag,
    # {% translate %}), asked once a list; translated words are escaped as {% translate %}
    # writes them.
    language = escaped(get_language())
    direction = "rtl" if get_language_bidi() else "ltr"
    tags_label = escaped(gettext("Tags"))
    and_word = escaped(gettext("and"))
    parts: list[str] = []
    for card in cards:
        url = escaped(card.url)
        parts.append(
            f'<article class="entry-card" lang="{escaped(card.language)}" '
            f'dir="{escaped(card.direction)}"><h3 class="entry-card__title">'
            f'<a href="{url}">{escaped(card.title)}</a></h3>'
            f'<p class="byline" lang="{language}" dir="{direction}">{posted(card.date)} '
        )
        authors = card.authors
        last = len(authors) - 1
        for index, author in enumerate(authors):
            parts.append(
                f'<a class="byline__author" href="{escaped(author.get_absolute_url())}" '
                f'dir="auto">{escaped(author.display_name)}</a>'
            )
            if index < last:
                parts.append(f" {and_word} " if index == last - 1 else ", ")
        parts.append(f'</p><p class="entry-card__summary">{escaped(card.summary)}</p>')
        count = getattr(card, "comment_count", None)
        if count:
            parts.append(
                f'<p class="entry-card__comments"><a href="{url}#conversation">'
                f"{comment_count(count)}</a></p>"
            )
        if card.tags:
            parts.append(f'<ul class="tag-list" aria-label="{tags_label}">')
            for tag in card.tags:
                parts.append(
                    f'<li><a class="tag-list__tag" href="{escaped(tag.url)}" '
                    f'dir="auto">{escaped(tag.name)}</a></li>'
                )
            parts.append("</ul>")
        parts.append("</article>")
    return mark_safe("".join(parts))  # noqa: S308 - every value escaped above
