"""What every entry card says in words: its byline's "Posted on" (blogs/includes/byline.html)
and its count of comments (blogs/includes/entry_card.html).

Written as `{% blocktranslate %}` blocks, the byline's with three filtered values, they cost
each card some 700 Python calls: the template machinery around the same translations and
formats. These tags do what the blocks did, with the same messages and the same HTML.
"""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format, localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

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
