"""The digital team's CSV import: upload, see every change, then apply all of it or nothing."""

from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import services
from .forms import ImportForm

SIGNING_SALT = "dragoman.channels.import"


def may_import(user: Any) -> bool:
    return bool(user.has_perms(["channels.add_channel", "channels.change_channel"]))


def channel_import(request: HttpRequest) -> HttpResponse:
    if not may_import(request.user):
        raise PermissionDenied
    context: dict[str, Any] = {"form": ImportForm()}
    status = 200
    if request.method == "POST" and "payload" in request.POST:
        # Apply exactly the file the editor previewed: it travels back signed, and is planned
        # again, so a change to the register since the preview is seen, not overwritten blindly.
        try:
            data = signing.loads(request.POST["payload"], salt=SIGNING_SALT, max_age=3600)
        except signing.BadSignature:
            context["file_error"] = _("The preview expired or was altered; upload the file again.")
            return render(request, "channels/admin/import.html", context, status=400)
        try:
            plan = services.register_import_apply(data=data, acting_user=request.user)
        except services.ImportRefused as refused:
            context.update(plan=refused.plan, applied=False)
            status = 400
        else:
            context.update(plan=plan, applied=True)
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        context["form"] = form
        if not form.is_valid():
            status = 400
        else:
            upload = form.cleaned_data["file"]
            if upload.size > services.MAX_IMPORT_BYTES:
                context["file_error"] = _("The file is larger than 2 MB; split it.")
                status = 400
            else:
                data = upload.read()
                plan = services.register_import_plan(data=data)
                context["plan"] = plan
                if plan.ok:
                    text = data.decode("utf-8-sig")
                    context["payload"] = signing.dumps(text, salt=SIGNING_SALT, compress=True)
                else:
                    status = 400
    return render(request, "channels/admin/import.html", context, status=status)
