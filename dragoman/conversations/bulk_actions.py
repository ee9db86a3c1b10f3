"""The moderation queues' bulk actions (comments, campaign messages): one form that acts on
the ticked rows, and a button on each row that acts on that row alone."""

from __future__ import annotations

from django.http import QueryDict


def bulk_action_data(posted: QueryDict, *, selection: str) -> QueryDict:
    """The queue's posted data as its bulk-action form reads it: a row's own button
    ("act_on=approve:12") stands for that action, with that row alone in ``selection`` (the
    form's field of ticked rows), whatever else was ticked."""
    data = posted.copy()
    single = data.get("act_on", "")
    if ":" in single:
        data["action"], row_id = single.split(":", 1)
        data.setlist(selection, [row_id])
    return data
