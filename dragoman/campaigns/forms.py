"""The readers' message form and the moderators' form."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from django_countries import countries

from dragoman.conversations import defences
from dragoman.conversations.public_forms import PlainTextField, PublicForm

from .models import MAX_MESSAGE, Message


class MessageForm(PublicForm):
    """What a reader fills in on a campaign page. Plain text only: no markup is ever kept."""

    name = PlainTextField(
        label=_("Name (optional: leave it empty to stay anonymous)"),
        max_length=80,
        required=False,
    )
    country = forms.ChoiceField(label=_("Country (optional)"), required=False)
    language = forms.ChoiceField(label=_("Language of your message (optional)"), required=False)
    body = PlainTextField(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto", "maxlength": MAX_MESSAGE}),
        max_length=MAX_MESSAGE,
        strip=True,
        error_messages={
            "required": _("Please write a message."),
            "max_length": _(
                "A message may be at most %(limit_value)d characters long (this one has %(show_value)d)."
            ),
        },
    )

    blank_body_message = _("Please write a message.")
    too_many_links_message = ngettext_lazy(
        "A message may contain at most %(limit)d link.",
        "A message may contain at most %(limit)d links.",
        "limit",
    )
    blocked_word_message = _(
        "Your message contains a word our moderation policy does not allow: “%(word)s”."
    )

    def __init__(self, *args: Any, campaign_id: int, **kwargs: Any) -> None:
        self.campaign_id = campaign_id
        super().__init__(*args, **kwargs)
        # Country names in the reader's language, sorted in it (django-countries).
        country = cast(forms.ChoiceField, self.fields["country"])
        country.choices = [("", "—"), *[(c.code, c.name) for c in countries]]
        language = cast(forms.ChoiceField, self.fields["language"])
        language.choices = [("", "—"), *settings.CONTENT_LANGUAGES]
        self.fields["name"].widget.attrs.update({"autocomplete": "name", "dir": "auto"})
        self.fields["country"].widget.attrs.update({"autocomplete": "country"})

    def new_stamp(self) -> str:
        # The comment form's stamp, for the campaign (the view checks it with its id).
        return defences.form_stamp(entry_id=self.campaign_id)

    def clean_body(self) -> str:
        return self.checked_body(self.cleaned_data["body"])


class ModerationForm(forms.Form):
    """Approve or reject the chosen messages of one campaign."""

    ACTIONS = [("approve", _("Approve")), ("reject", _("Reject"))]
    action = forms.ChoiceField(choices=ACTIONS)
    messages = forms.ModelMultipleChoiceField(queryset=Message.objects.none())

    def __init__(self, *args: Any, queryset: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        messages_field = cast(forms.ModelMultipleChoiceField, self.fields["messages"])
        messages_field.queryset = queryset
