from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import MEMBER_SETTINGS, PROFILE_FIELDS, Event, JoinRequest, Membership


class JoinRequestForm(forms.ModelForm):
    # A field people never see: robots fill it in (the public form carries no CSRF cookie).
    website = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = JoinRequest
        fields = ["name", "email", "message"]


class InvitationAcceptForm(forms.Form):
    name = forms.CharField(label=_("Your name, as members will see it"), max_length=120)
    email = forms.EmailField(label=_("Your email address"))


class TopicForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    language = forms.ChoiceField(label=_("Language"), choices=settings.CONTENT_LANGUAGES)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea, max_length=10000)


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Your reply"), widget=forms.Textarea, max_length=10000)
    answers = forms.IntegerField(
        required=False, widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1
    )
    attachment = forms.FileField(
        label=_("Attachment (PNG, JPEG or PDF, at most 5 MB)"), required=False
    )


class ProfileForm(forms.ModelForm):
    shown_fields = forms.MultipleChoiceField(
        label=_("Fields shown in the directory"),
        choices=list(PROFILE_FIELDS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Membership
        fields = list(MEMBER_SETTINGS)


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address (leave empty for a shareable link)"), required=False
    )
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=90, initial=14)
    max_uses = forms.IntegerField(
        label=_("Use limit (links only)"), min_value=1, max_value=1000, initial=20
    )


class EventForm(forms.ModelForm):
    link = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")

    class Meta:
        model = Event
        fields = ["title", "description", "starts_at", "ends_at", "place", "link"]
        widgets: dict[str, Any] = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("place") and not data.get("link"):
            raise forms.ValidationError(_("Give a place, an online link, or both."))
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            raise forms.ValidationError(_("An event cannot end before it starts."))
        return data
