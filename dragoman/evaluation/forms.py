from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A dashboard over more than this many days would read years of rows for one page.
LONGEST_PERIOD_DAYS = 3 * 366


class PeriodForm(forms.Form):
    """What the dashboard shows: a scope (none: the network) and a period."""

    mission = forms.IntegerField(label=_("mission"), required=False, min_value=1, max_value=2**62)
    blog = forms.IntegerField(label=_("blog"), required=False, min_value=1, max_value=2**62)
    entry = forms.IntegerField(label=_("entry"), required=False, min_value=1, max_value=2**62)
    start = forms.DateField(
        label=_("from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    format = forms.ChoiceField(
        label=_("format"), required=False, choices=[("", "HTML"), ("csv", "CSV")]
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The last thirty days unless said otherwise.
        end = data.get("end") or timezone.localdate()
        start = data.get("start") or end - timedelta(days=29)
        if start > end:
            raise forms.ValidationError(_("The period must start before it ends."))
        if (end - start).days > LONGEST_PERIOD_DAYS:
            raise forms.ValidationError(_("Choose a period of three years at most."))
        data["start"], data["end"] = start, end
        return data
