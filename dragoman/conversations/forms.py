"""The readers' comment form and the staff's reply and moderation forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from . import defences
from .models import Comment
from .public_forms import PlainTextField, PublicForm

MAX_BODY = 5000


class CommentForm(PublicForm):
    """What a reader fills in under an entry. Plain text only: no markup is ever kept."""

    name = PlainTextField(
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
    body = PlainTextField(
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

    blank_body_message = _("Please write a comment.")
    too_many_links_message = ngettext_lazy(
        "A comment may contain at most %(limit)d link.",
        "A comment may contain at most %(limit)d links.",
        "limit",
    )
    blocked_word_message = _(
        "Your comment contains “%(word)s”, which our moderation policy does not "
        "allow. Please rephrase it."
    )

    def __init__(self, *args: Any, entry_id: int, **kwargs: Any) -> None:
        self.entry_id = entry_id
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs.update({"autocomplete": "name", "dir": "auto"})
        self.fields["email"].widget.attrs.update({"autocomplete": "email"})

    def new_stamp(self) -> str:
        return defences.form_stamp(entry_id=self.entry_id)

    def clean_body(self) -> str:
        return self.checked_body(self.cleaned_data["body"])


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
