"""Forms of the digital team's access pages, the invitation, and the entry schedule rule."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.images.widgets import AdminImageChooser

from dragoman.blogs.models import Blogger, BlogPage
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
