"""The follow form under blogs, bloggers, tags and searches, and the manage page's forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from dragoman.conversations.public_forms import PublicForm
from dragoman.core.widgets import HiddenInputMarkup

from . import defences
from .models import Follow, Frequency


class FollowForm(PublicForm):
    """Follow one thing by email. No cookie: the stamp and the Origin check stand in for
    the CSRF token, as on the comment form (the pages that hold it come from a cache)."""

    kind = forms.ChoiceField(choices=Follow.Kind.choices, widget=HiddenInputMarkup)
    value = forms.CharField(max_length=500, widget=HiddenInputMarkup)
    email = forms.CharField(
        label=_("Your email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": _("Please give your email address.")},
    )
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Frequency.choices,
        initial=Frequency.EACH,
        widget=forms.RadioSelect,
    )

    def new_stamp(self) -> str:
        # This form's own salt, and no page id: one form serves every page it stands on.
        return defences.form_stamp()


class FrequencyForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("How often"), choices=Frequency.choices, widget=forms.RadioSelect
    )


class AddFollowForm(forms.Form):
    """On the manage page: a blog or a language (bloggers, tags and searches are followed
    from their own pages)."""

    blog = forms.TypedChoiceField(label=_("Follow a blog"), required=False, coerce=str)
    language = forms.ChoiceField(
        label=_("Follow every entry in a language"),
        required=False,
        choices=[("", "—"), *settings.CONTENT_LANGUAGES],
    )

    def __init__(self, *args: Any, blogs: list[tuple[int, str]], **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["blog"].choices = [("", "—"), *((str(pk), title) for pk, title in blogs)]  # type: ignore[attr-defined]


class EraseForm(forms.Form):
    """The digital team: one person's data, to export or erase."""

    email = forms.CharField(label=_("Email address"), max_length=254)
    action = forms.ChoiceField(
        choices=[("export", _("Export")), ("erase", _("Erase"))], widget=forms.HiddenInput
    )
