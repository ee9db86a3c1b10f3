"""The digital team's audit: Wagtail's site history, including deleted entries.

Wagtail shows the history of deleted pages only to people who may add or edit at the tree's
root, which here nobody but a superuser can (the network has exactly one home page). The
digital team must still see who deleted what, so this report lists every page log entry to
holders of the manage-bloggers permission, and is otherwise Wagtail's own report.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import IntegerField, Value
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.log_actions import registry as log_action_registry
from wagtail.models import PageLogEntry

from .services import MANAGE_BLOGGERS


class AuditView(LogEntriesView):
    page_title = _("Audit: who changed what")
    index_url_name = "authoring_audit"
    index_results_url_name = "authoring_audit_results"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.has_perm(MANAGE_BLOGGERS):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_filename(self) -> str:
        return "audit-" + super().get_filename().removeprefix("audit-log-")

    def get_filtered_queryset(self) -> Any:
        self.log_models = list(log_action_registry.get_log_entry_models())
        queryset = None
        for index, log_model in enumerate(self.log_models):
            if log_model is PageLogEntry:
                entries = log_model.objects.all()  # deleted entries too
            else:
                entries = log_model.objects.viewable_by_user(self.request.user)
            sub_queryset = self.filter_queryset(
                entries.values("pk", "timestamp").annotate(
                    log_model_index=Value(index, output_field=IntegerField())
                )
            ).order_by()
            queryset = sub_queryset if queryset is None else queryset.union(sub_queryset, all=True)
        assert queryset is not None  # Wagtail always registers its page log
        return queryset.order_by("-timestamp")
