"""The search form: the query and every filter, all optional, all from the address (GET).

Filters name things by slug or code, so that a search's address reads well and lasts. A
value that names nothing is a form error the reader sees, never a 500.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from html import escape
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Exists, OuterRef
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from dragoman.blogs.models import Blogger, BlogPage, EntryTag
from dragoman.core.widgets import InputMarkup
from dragoman.missions.models import Mission
from dragoman.publishing.fragments import remembered

from .engines import SearchFilters
from .parsing import MAX_QUERY_LENGTH, clean_text

SORTS = [("relevance", _("Best match")), ("date", _("Newest first"))]
# Searches go this many pages deep; beyond, a reader should narrow the search.
MAX_PAGE = 100


@dataclass(frozen=True)
class FilterChoices:
    """What the blog, blogger, mission and country filters offer: (id, slug, label) each."""

    blogs: list[tuple[int, str, str]]
    bloggers: list[tuple[int, str, str]]
    missions: list[tuple[int, str, str]]
    countries: list[tuple[str, str]]  # (code, name), by name


# Every search renders these lists, which grow with the network (hundreds of blogs and
# bloggers): remembered until a blog, blogger or mission changes, which refreshes the site.
@remembered(lambda: [])
def filter_choices() -> FilterChoices:
    missions = list(
        Mission.objects.order_by("country", "name").values_list(
            "pk", "slug", "name", "country_code", "country"
        )
    )
    countries = {code.upper(): country for _pk, _slug, _name, code, country in missions}
    return FilterChoices(
        blogs=list(
            BlogPage.objects.live().public().order_by("title").values_list("pk", "slug", "title")
        ),
        bloggers=list(
            Blogger.objects.order_by("display_name").values_list("pk", "slug", "display_name")
        ),
        missions=[(pk, slug, name) for pk, slug, name, _code, _country in missions],
        countries=sorted(countries.items(), key=lambda item: item[1]),
    )


class PreparedChoices(BaseChoiceIterator):
    """Choices already in Django's form, (value, label) pairs without groups.

    Django normalises a list of choices again for every form, field and widget; for the
    hundreds of blogs and bloggers of a large network that cost more than the rest of the
    form. Django takes an iterator like this one as it is.
    """

    def __init__(self, choices: list[tuple[str, Any]]) -> None:
        # Text already: ListSelect writes these pairs as they are.
        self.choices = tuple((value, str(label)) for value, label in choices)

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self.choices)


@dataclass(frozen=True)
class FormChoices:
    """What every search form of one language takes from FilterChoices."""

    blog_ids: dict[str, int]
    blogger_ids: dict[str, int]
    mission_ids: dict[str, int]
    choices: dict[str, PreparedChoices]  # by field name


# By the identity of the remembered FilterChoices (the same object until the site changes)
# and the language: building these for hundreds of blogs and bloggers on every search was a
# tenth of the search page's Python calls.
_form_choices: dict[tuple[int, str | None], tuple[FilterChoices, FormChoices]] = {}


def prepared_choices(choices: FilterChoices, language: str | None) -> FormChoices:
    """The forms' choices and slug-to-id maps for these FilterChoices, built once."""
    key = (id(choices), language)
    held = _form_choices.get(key)
    if held is not None and held[0] is choices:
        return held[1]

    def listed(anything: Any, rows: list[tuple[int, str, str]]) -> PreparedChoices:
        return PreparedChoices([("", anything), *((slug, label) for _pk, slug, label in rows)])

    prepared = FormChoices(
        blog_ids={slug: pk for pk, slug, _title in choices.blogs},
        blogger_ids={slug: pk for pk, slug, _name in choices.bloggers},
        mission_ids={slug: pk for pk, slug, _name in choices.missions},
        choices={
            "blog": listed(_("All blogs"), choices.blogs),
            "blogger": listed(_("Any blogger"), choices.bloggers),
            "mission": listed(_("Any mission"), choices.missions),
            "country": PreparedChoices([("", _("Any country")), *choices.countries]),
            "language": PreparedChoices([("", _("Any language")), *settings.CONTENT_LANGUAGES]),
            "sort": PreparedChoices(SORTS),
        },
    )
    # A site change makes new FilterChoices: the old ones' entries are dropped with them.
    if len(_form_choices) >= 32:
        _form_choices.clear()
    _form_choices[key] = (choices, prepared)
    return prepared


@lru_cache(maxsize=64)
def options_markup(choices: tuple[tuple[str, str], ...]) -> str:
    """The <option> elements of these (value, label) pairs, none selected, escaped."""
    return "\n  ".join(
        f'<option value="{escape(value)}">{escape(label)}</option>' for value, label in choices
    )


class ListSelect(forms.Select):
    """Django's <select> markup, written in Python instead of a template per option.

    The blog and blogger lists run to hundreds of options on a large network; rendering each
    option through a template took most of the search page's time at 100,000 entries
    (bench/search.py). The options are written once per list (and language), then only the
    chosen one is marked. These lists have no option groups.
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        if isinstance(self.choices, PreparedChoices):
            choices = self.choices.choices
        else:
            choices = tuple(
                ("" if option is None else str(option), str(label))
                for option, label in self.choices
            )
        markup = options_markup(choices)
        chosen = self.format_value(value)
        for option, _label in choices:
            if option in chosen:
                # Labels are escaped, so this start tag is found only where it begins.
                start = f'<option value="{escape(option)}">'
                markup = markup.replace(start, start[:-1] + " selected>", 1)
                break
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        # Every value and label is escaped (options_markup), the attributes by flatatt.
        return mark_safe(  # noqa: S308
            f'<select name="{escape(name)}"{attributes}>\n  {markup}\n</select>'
        )


class SearchBox(InputMarkup, forms.SearchInput):
    pass


class TextBox(InputMarkup, forms.TextInput):
    pass


class DateBox(InputMarkup, forms.DateInput):
    pass


class NumberBox(InputMarkup, forms.NumberInput):
    pass


# The years a search can filter on. Engines turn a day into an aware datetime and add a day
# to the end date; near year 1 or 9999 that overflows (a 500 on `?date_to=9999-12-31`), and
# no entry is dated outside these years anyway. The `year` filter takes the same range.
FIRST_YEAR = 1900
LAST_YEAR = 2999


class SearchDateField(forms.DateField):
    """A day between FIRST_YEAR and LAST_YEAR, or a form error that says so."""

    def to_python(self, value: Any) -> date | None:
        day = super().to_python(value)
        if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise forms.ValidationError(
                _("Enter a date between the years %(first)s and %(last)s."),
                code="out_of_range",
                params={"first": FIRST_YEAR, "last": LAST_YEAR},
            )
        return day


class QueryField(forms.CharField):
    """Free text, cleaned rather than refused: control characters go, long queries are cut."""

    def to_python(self, value: Any) -> str:
        return clean_text(str(value or ""))

    def bound_data(self, data: Any, initial: Any) -> str:
        # The box shows the query as searched, not 10,000 characters of what was sent.
        return self.to_python(data)


class SearchForm(forms.Form):
    q = QueryField(
        label=_("Search for"),
        required=False,
        widget=SearchBox(attrs={"maxlength": str(MAX_QUERY_LENGTH)}),
    )
    blog = forms.ChoiceField(
        label=_("Blog"),
        required=False,
        widget=ListSelect,
        error_messages={"invalid_choice": _("There is no blog “%(value)s”.")},
    )
    blogger = forms.ChoiceField(
        label=_("Blogger"),
        required=False,
        widget=ListSelect,
        error_messages={"invalid_choice": _("There is no blogger “%(value)s”.")},
    )
    mission = forms.ChoiceField(
        label=_("Mission"),
        required=False,
        widget=ListSelect,
        error_messages={"invalid_choice": _("There is no mission “%(value)s”.")},
    )
    country = forms.ChoiceField(
        label=_("Country"),
        required=False,
        widget=ListSelect,
        error_messages={"invalid_choice": _("There is no mission in “%(value)s”.")},
    )
    tag = forms.CharField(label=_("Tag"), required=False, max_length=100, widget=TextBox)
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        widget=ListSelect,
        choices=[("", _("Any language")), *settings.CONTENT_LANGUAGES],
        error_messages={"invalid_choice": _("“%(value)s” is not a language we publish in.")},
    )
    date_from = SearchDateField(
        label=_("From"),
        required=False,
        widget=DateBox(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter the start date as YYYY-MM-DD.")},
    )
    date_to = SearchDateField(
        label=_("Until"),
        required=False,
        widget=DateBox(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter the end date as YYYY-MM-DD.")},
    )
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        widget=NumberBox,
    )
    sort = forms.ChoiceField(label=_("Order"), required=False, choices=SORTS, widget=ListSelect)
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.prepared = prepared_choices(filter_choices(), get_language())
        for name, choices in self.prepared.choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices

    def clean_country(self) -> str:
        return self.cleaned_data["country"].upper()

    def clean_tag(self) -> str:
        slug = self.cleaned_data["tag"].strip()
        if (
            slug
            and not Tag.objects.filter(
                Exists(EntryTag.objects.filter(tag=OuterRef("pk"))), slug=slug
            ).exists()
        ):
            raise forms.ValidationError(_("No entry has the tag “%(tag)s”."), params={"tag": slug})
        return slug

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if isinstance(start, date) and isinstance(end, date) and end < start:
            self.add_error("date_to", _("The end date comes before the start date."))
        return cleaned

    def filters(self) -> SearchFilters:
        """The valid form's filters, as the engines take them."""
        data, prepared = self.cleaned_data, self.prepared
        return SearchFilters(
            blog_id=prepared.blog_ids.get(data.get("blog") or ""),
            blogger_id=prepared.blogger_ids.get(data.get("blogger") or ""),
            mission_id=prepared.mission_ids.get(data.get("mission") or ""),
            country_code=data.get("country") or None,
            tag=data.get("tag") or None,
            language=data.get("language") or None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            year=data.get("year"),
        )
