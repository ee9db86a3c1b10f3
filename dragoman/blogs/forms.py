"""The entry editor's form: Wagtail's page form with the rules entries add to it."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm


class EntryPageForm(WagtailAdminPageForm):
    """A go-live time, when newly set, must lie in the future.

    Wagtail publishes at once when the time has passed; a blogger who typed a past time
    almost certainly made a mistake, so we say so instead of publishing.
    """

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean() or {}
        go_live_at = cleaned_data.get("go_live_at")
        if go_live_at and "go_live_at" in self.changed_data and go_live_at <= timezone.now():
            self.add_error(
                "go_live_at",
                _("This time has already passed. Choose a time in the future, or publish now."),
            )
        return cleaned_data
