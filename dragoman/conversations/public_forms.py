"""What every form on a public page shares: the comment form, the campaign message form, the
question form and the follow form.

These pages come from the shared page cache and set no cookie, so their forms carry no CSRF
token. Instead each form holds a signed time stamp and a honeypot, which the view checks with
the defences (``defences.py``) before it reads the form. What a reader writes is plain text:
a field of it refuses invisible control characters, NUL among them, with one message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from dragoman.core.widgets import InputMarkup

from . import defences, queries

if TYPE_CHECKING:
    # A development dependency (django-stubs): the name of what gettext_lazy returns.
    from django_stubs_ext import StrOrPromise

# The fields every public form adds after those a person fills in.
GUARDS = ("website", "stamp")


class StampInput(InputMarkup, forms.HiddenInput):
    """The form's signed timestamp: on every entry page, so written without templates."""


class PlainTextField(forms.CharField):
    """Text a reader writes: refused, with a message, if it holds invisible control
    characters (tabs and line breaks are allowed)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # NUL is one of the control characters clean() explains; one message for all.
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        if defences.control_characters(value):
            raise forms.ValidationError(
                _("Please remove the invisible control characters from this text.")
            )
        return value


class PublicForm(forms.Form):
    """A form on a cached public page: a honeypot and a signed stamp, labels without a colon.

    A subclass says what its stamp is for (``new_stamp``). One with a ``body`` the network
    publishes checks it with ``checked_body``, in its own words (the ``*_message`` attributes).
    """

    # Honeypot: hidden from people (CSS and aria-hidden); robots fill every field they see.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    stamp = forms.CharField(widget=StampInput)

    # What checked_body says, naming the form's thing (a comment, a message, a question).
    blank_body_message: StrOrPromise
    # An ngettext_lazy(singular, plural, "limit"): the number chooses the plural form.
    too_many_links_message: StrOrPromise
    # With %(word)s, the blocked word.
    blocked_word_message: StrOrPromise

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # No ":" after labels: punctuation differs between languages (French puts a space).
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        # Declared here, the guards would come first; they follow the fields (and errors)
        # that a person sees.
        for name in GUARDS:
            self.fields[name] = self.fields.pop(name)
        if not self.is_bound:
            self.initial["stamp"] = self.new_stamp()

    def new_stamp(self) -> str:
        """A signed stamp for this form, as the view's defences will check it."""
        raise NotImplementedError

    def refresh_stamp(self) -> None:
        """Give a re-shown form a new stamp, so the reader can send it again."""
        data = cast(QueryDict, self.data).copy()
        data["stamp"] = self.new_stamp()
        self.data = data

    def checked_body(self, body: str) -> str:
        """The body, if the network may publish it: not blank, few links, no blocked word."""
        if not body.strip():
            raise forms.ValidationError(self.blank_body_message)
        limit = defences.link_limit_exceeded(body)
        if limit is not None:
            raise forms.ValidationError(self.too_many_links_message % {"limit": limit})
        # The digital team's one blocklist, kept with the conversation settings.
        word = defences.blocked_word(body, queries.network_settings().blocklist)
        if word:
            raise forms.ValidationError(self.blocked_word_message % {"word": word})
        return body
