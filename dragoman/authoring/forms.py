"""Forms of the digital team's access pages, the invitation, and the entry schedule rule."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.images.widgets import AdminImageChooser

from dragoman.blogs.models import Blogger, BlogPage, EntryPage
from dragoman.missions.models import Mission


class BlogChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.title


class InviteForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("Email address"))
    job_title = forms.CharField(label=_("Job title"), max_length=200)
    mission = forms.ModelChoiceField(
        label=_("Mission"), queryset=Mission.objects.order_by("name"), required=False
    )
    blogs = BlogChoiceField(
        label=_("Blogs they may write on"),
        queryset=BlogPage.objects.order_by("title"),
        widget=forms.CheckboxSelectMultiple,
    )


class ProfileForm(forms.ModelForm):
    """What a blogger may change about their own public profile."""

    class Meta:
        model = Blogger
        fields = ["display_name", "job_title", "photo", "bio"]
        widgets = {"photo": AdminImageChooser}


class RevokeForm(forms.Form):
    blogs = BlogChoiceField(
        label=_("Blogs to take away"),
        queryset=BlogPage.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Their entries stay published under their name."),
    )

    def __init__(self, *args: Any, blogs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["blogs"].queryset = blogs  # type: ignore[attr-defined]


class GrantForm(forms.Form):
    blogs = BlogChoiceField(
        label=_("Blogs to add"),
        queryset=BlogPage.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, blogs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["blogs"].queryset = blogs  # type: ignore[attr-defined]


class FutureScheduleMixin:
    """A go-live time, when newly set, must lie in the future.

    Wagtail publishes at once when the time has passed; a blogger who typed a past time
    almost certainly made a mistake, so we say so instead of publishing.
    """

    def clean(self: Any) -> dict[str, Any]:
        cleaned_data = super().clean() or {}  # type: ignore[misc]
        go_live_at = cleaned_data.get("go_live_at")
        if go_live_at and "go_live_at" in self.changed_data and go_live_at <= timezone.now():
            self.add_error(
                "go_live_at",
                _("This time has already passed. Choose a time in the future, or publish now."),
            )
        return cleaned_data


def entry_form_require_future_schedule() -> None:
    """Give the entry editor the future-schedule rule, on top of whatever form it has."""
    base = getattr(EntryPage, "base_form_class", None) or WagtailAdminPageForm
    if issubclass(base, FutureScheduleMixin):
        return
    # Call the form's own metaclass, so Wagtail's form machinery builds the new class.
    EntryPage.base_form_class = type(base)(
        "EntryPageForm", (FutureScheduleMixin, base), {"__module__": __name__}
    )
