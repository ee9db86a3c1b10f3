"""The search form: the query and every filter, all optional, all from the address (GET).

Filters name things by slug or code, so that a search's address reads well and lasts. A
value that names nothing is a form error the reader sees, never a 500.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from dragoman.blogs.models import Blogger, BlogPage, EntryTag
from dragoman.missions.models import Mission

from .engines import SearchFilters
from .parsing import MAX_QUERY_LENGTH, clean_text

SORTS = [("relevance", _("Best match")), ("date", _("Newest first"))]
# Searches go this many pages deep; beyond, a reader should narrow the search.
MAX_PAGE = 100


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
        widget=forms.SearchInput(attrs={"maxlength": str(MAX_QUERY_LENGTH)}),
    )
    blog = forms.ChoiceField(
        label=_("Blog"),
        required=False,
        error_messages={"invalid_choice": _("There is no blog “%(value)s”.")},
    )
    blogger = forms.ChoiceField(
        label=_("Blogger"),
        required=False,
        error_messages={"invalid_choice": _("There is no blogger “%(value)s”.")},
    )
    mission = forms.ChoiceField(
        label=_("Mission"),
        required=False,
        error_messages={"invalid_choice": _("There is no mission “%(value)s”.")},
    )
    country = forms.ChoiceField(
        label=_("Country"),
        required=False,
        error_messages={"invalid_choice": _("There is no mission in “%(value)s”.")},
    )
    tag = forms.CharField(label=_("Tag"), required=False, max_length=100)
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Any language")), *settings.CONTENT_LANGUAGES],
        error_messages={"invalid_choice": _("“%(value)s” is not a language we publish in.")},
    )
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter the start date as YYYY-MM-DD.")},
    )
    date_to = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter the end date as YYYY-MM-DD.")},
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2999)
    sort = forms.ChoiceField(label=_("Order"), required=False, choices=SORTS)
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        blogs = list(
            BlogPage.objects.live().public().order_by("title").values_list("pk", "slug", "title")
        )
        self.blog_ids = {slug: pk for pk, slug, _title in blogs}
        self.choices_set("blog", _("All blogs"), [(slug, title) for _pk, slug, title in blogs])
        bloggers = list(
            Blogger.objects.order_by("display_name").values_list("pk", "slug", "display_name")
        )
        self.blogger_ids = {slug: pk for pk, slug, _name in bloggers}
        self.choices_set("blogger", _("Any blogger"), [(s, name) for _pk, s, name in bloggers])
        missions = list(Mission.objects.order_by("country", "name"))
        self.mission_ids = {mission.slug: mission.pk for mission in missions}
        self.choices_set("mission", _("Any mission"), [(m.slug, m.name) for m in missions])
        countries = {mission.country_code.upper(): mission.country for mission in missions}
        self.choices_set(
            "country", _("Any country"), sorted(countries.items(), key=lambda item: item[1])
        )

    def choices_set(self, name: str, anything: Any, choices: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", anything), *choices]

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
        data = self.cleaned_data
        return SearchFilters(
            blog_id=self.blog_ids.get(data.get("blog") or ""),
            blogger_id=self.blogger_ids.get(data.get("blogger") or ""),
            mission_id=self.mission_ids.get(data.get("mission") or ""),
            country_code=data.get("country") or None,
            tag=data.get("tag") or None,
            language=data.get("language") or None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            year=data.get("year"),
        )
