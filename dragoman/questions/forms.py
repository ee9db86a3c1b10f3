"""The readers' question and vote forms, and the moderation screen's forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from dragoman.conversations import defences
from dragoman.conversations.public_forms import PlainTextField, PublicForm

from .models import MAX_QUESTION


class QuestionForm(PublicForm):
    """What a reader sends to a session: plain text, kept as text, shown as text."""

    name = PlainTextField(
        label=_("Name (optional: leave empty to ask anonymously)"),
        max_length=80,
        required=False,
    )
    body = PlainTextField(
        label=_("Your question"),
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto", "maxlength": MAX_QUESTION}),
        max_length=MAX_QUESTION,
        strip=True,
        error_messages={
            "required": _("Please write a question."),
            "max_length": _(
                "A question may be at most %(limit_value)d characters long (this one has %(show_value)d)."
            ),
        },
    )

    blank_body_message = _("Please write a question.")
    too_many_links_message = ngettext_lazy(
        "A question may contain at most %(limit)d link.",
        "A question may contain at most %(limit)d links.",
        "limit",
    )
    blocked_word_message = _(
        "Your question contains “%(word)s”, which our moderation policy does not "
        "allow. Please rephrase it."
    )

    def __init__(self, *args: Any, session_id: int, **kwargs: Any) -> None:
        self.session_id = session_id
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs.update({"autocomplete": "name", "dir": "auto"})

    def new_stamp(self) -> str:
        # The comment form's stamp, for the session (the view checks it with its id).
        return defences.form_stamp(entry_id=self.session_id)

    def clean_body(self) -> str:
        return self.checked_body(self.cleaned_data["body"])


class ModerationForm(forms.Form):
    """One action on one question, from the live screen."""

    ACTIONS = [
        ("approve", _("Approve")),
        ("edit", _("Save wording")),
        ("dismiss", _("Dismiss")),
        ("pin", _("Pin as next")),
        ("unpin", _("Unpin")),
        ("merge", _("Merge into")),
        ("answer", _("Answer")),
    ]
    action = forms.ChoiceField(choices=ACTIONS)
    body = PlainTextField(
        label=_("Wording"), required=False, max_length=MAX_QUESTION, widget=forms.Textarea
    )
    answer = PlainTextField(
        label=_("Answer"), required=False, max_length=10000, widget=forms.Textarea
    )
    into = forms.IntegerField(label=_("Merge into question number"), required=False, min_value=1)
