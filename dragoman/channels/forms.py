from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from . import services
from .queries import RegisterFilters, filter_choices

FILTER_LABELS = {
    "country": _("Country"),
    "mission": _("Mission"),
    "platform": _("Platform"),
    "language": _("Language"),
    "audience": _("Audience or topic"),
    "status": _("Status"),
}


class RegisterFilterForm(forms.Form):
    """The register's filters; every one optional, each a closed list."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, choices in filter_choices().items():
            self.fields[name] = forms.ChoiceField(
                label=FILTER_LABELS[name],
                required=False,
                choices=[("", _("Any")), *choices],
            )

    def filters(self) -> RegisterFilters:
        return RegisterFilters(
            **{name: self.cleaned_data.get(name) or "" for name in FILTER_LABELS}
        )


class CheckForm(forms.Form):
    q = forms.CharField(
        label=_("Address or handle of the account"),
        max_length=500,
        help_text=_("For example https://x.com/name, @name, or @name@server for Mastodon."),
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "UTF-8 CSV with the columns of the register's export. "
            "You will see the changes before anything is saved."
        ),
    )


class ChannelAdminForm(WagtailAdminModelForm):
    """The admin's channel form: accepts any form of the address and stores the canonical one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "languages" in self.fields and self.instance.pk:
            self.initial["languages"] = " ".join(self.instance.language_codes)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        platform = cleaned.get("platform") or ""
        try:
            identity = services.channel_identity(
                platform=platform,
                handle=cleaned.get("handle") or "",
                platform_id=cleaned.get("platform_id") or "",
            )
        except ValidationError as error:
            for field_name, messages in error.message_dict.items():
                for message in messages:
                    self.add_error(field_name if field_name in self.fields else None, message)
        else:
            cleaned["handle"] = identity["handle"]
            cleaned["platform_id"] = identity["platform_id"]
            self.instance.url = identity["url"]
        try:
            cleaned["languages"] = services.languages_parse(cleaned.get("languages") or "")
        except ValidationError as error:
            self.add_error("languages", error)
        return cleaned
