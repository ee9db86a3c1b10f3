"""The readers' comment form and the staff's reply and moderation forms."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from dragoman.core.widgets import InputMarkup

from . import defences
from .models import Comment, NetworkConversationSettings

MAX_BODY = 5000


class StampInput(InputMarkup, forms.HiddenInput):
    """The form's signed timestamp: on every entry page, so written without templates."""


class CommentForm(forms.Form):
    """What a reader fills in under an entry. Plain text only: no markup is ever kept."""

    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        error_messages={"required": _("Please give a name (it is shown with your comment).")},
    )
    email = forms.EmailField(
        label=_("Email (optional, never shown)"),
        required=False,
        max_length=254,
        error_messages={"invalid": _("Please give a valid email address, or leave it empty.")},
    )
    body = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
        max_length=MAX_BODY,
        strip=True,
        error_messages={
            "required": _("Please write a comment."),
            "max_length": _(
                "A comment may be at most %(limit_value)d characters long (this one has %(show_value)d)."
            ),
        },
    )
    notify = forms.BooleanField(
        label=_("Email me when my comment is published or answered"), required=False
    )
    # Honeypot: hidden from people (CSS and aria-hidden); robots fill every field they see.
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    stamp = forms.CharField(widget=StampInput)

    def __init__(self, *args: Any, entry_id: int, **kwargs: Any) -> None:
        # No ":" after labels: punctuation differs between languages (French puts a space).
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.entry_id = entry_id
        self.fields["name"].widget.attrs.update({"autocomplete": "name", "dir": "auto"})
        self.fields["email"].widget.attrs.update({"autocomplete": "email"})
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        for name in ("name", "body"):
            # NUL is one of the control characters clean_<field> explains; one message for all.
            field = self.fields[name]
            field.validators = [
                v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)
            ]
        if not self.is_bound:
            self.initial["stamp"] = defences.form_stamp(entry_id=entry_id)

    def refresh_stamp(self) -> None:
        """Give a re-shown form a new stamp, so the reader can send it again."""
        data = cast(QueryDict, self.data).copy()
        data["stamp"] = defences.form_stamp(entry_id=self.entry_id)
        self.data = data

    def _no_controls(self, value: str) -> str:
        if defences.control_characters(value):
            raise forms.ValidationError(
                _("Please remove the invisible control characters from this text.")
            )
        return value

    def clean_name(self) -> str:
        return self._no_controls(self.cleaned_data["name"])

    def clean_body(self) -> str:
        body = self._no_controls(self.cleaned_data["body"])
        if not body.strip():
            raise forms.ValidationError(_("Please write a comment."))
        message = defences.check_links(body)
        if message:
            raise forms.ValidationError(message)
        word = defences.blocked_word(body, NetworkConversationSettings.load().blocklist)
        if word:
            raise forms.ValidationError(
                _(
                    "Your comment contains “%(word)s”, which our moderation policy does not "
                    "allow. Please rephrase it."
                )
                % {"word": word}
            )
        return body


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Official reply"),
        widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
        max_length=MAX_BODY,
    )

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        if defences.control_characters(body):
            raise forms.ValidationError(_("Please remove the invisible control characters."))
        return body


class ModerationForm(forms.Form):
    """A bulk action on the comments ticked in the queue."""

    ACTIONS = [
        ("approve", _("Approve")),
        ("reject", _("Reject")),
        ("spam", _("Mark as spam")),
    ]
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    reason = forms.CharField(label=_("Reason (for rejections)"), required=False, max_length=500)
    comments = forms.ModelMultipleChoiceField(
        queryset=Comment.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, queryset: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["comments"].queryset = queryset  # type: ignore[attr-defined]
