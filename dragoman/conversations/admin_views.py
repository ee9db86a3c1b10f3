"""The moderation queue, official replies and the answering report in the Wagtail admin."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import queries, services
from .bulk_actions import bulk_action_data
from .forms import ModerationForm, ReplyForm
from .models import Comment


def _require_moderator(request: HttpRequest) -> None:
    if not services.user_can_moderate_any(request.user):
        raise PermissionDenied


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def queue(request: HttpRequest) -> HttpResponse:
    """The comments to judge, oldest first, filtered by state and blog; bulk actions."""
    _require_moderator(request)
    status = request.GET.get("status", Comment.Status.PENDING)
    if status not in {*Comment.Status.values, ""}:
        status = Comment.Status.PENDING
    blog_id = _int_or_none(request.GET.get("blog"))
    comments = queries.moderation_queue(user=request.user, status=status, blog_id=blog_id)
    if request.method == "POST":
        data = bulk_action_data(request.POST, selection="comments")
        form = ModerationForm(data, queryset=queries.moderatable_comments(request.user))
        if form.is_valid():
            done = services.comments_moderate(
                comments=form.cleaned_data["comments"],
                action=form.cleaned_data["action"],
                acting_user=request.user,
                reason=form.cleaned_data["reason"],
            )
            messages.success(
                request,
                ngettext("%(count)d comment moderated.", "%(count)d comments moderated.", done)
                % {"count": done},
            )
        else:
            messages.error(request, _("Choose an action and at least one comment."))
        return redirect(request.get_full_path())
    page = Paginator(comments, 50).get_page(request.GET.get("p"))
    return render(
        request,
        "conversations/admin/queue.html",
        {
            "page_title": _("Comments"),
            "header_title": _("Comments"),
            "comments": page,
            "status": status,
            "blog_id": blog_id,
            "statuses": Comment.Status.choices,
            "blogs": queries.moderatable_blogs(request.user),
            "actions": ModerationForm.ACTIONS,
        },
    )


def reply(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Answer a reader's comment officially, in the thread under the entry."""
    _require_moderator(request)
    comment = get_object_or_404(
        queries.moderatable_comments(request.user).select_related("entry", "blog"), pk=comment_id
    )
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.official_reply_create(
                comment=comment, acting_user=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your official reply is published."))
            return redirect(reverse("conversations_admin:queue") + "?status=approved")
    return render(
        request,
        "conversations/admin/reply.html",
        {
            "page_title": _("Official reply"),
            "header_title": _("Official reply"),
            "comment": comment,
            "replies": comment.replies.order_by("created_at"),
            "form": form,
        },
    )


def report(request: HttpRequest) -> HttpResponse:
    """For the digital team: the share of comments answered and the median time to answer."""
    if not request.user.has_perm("conversations.moderate_comment"):
        raise PermissionDenied
    by_blog, by_mission = queries.reply_report()
    context: dict[str, Any] = {
        "page_title": _("Answering on time"),
        "header_title": _("Answering on time"),
        "by_blog": by_blog,
        "by_mission": by_mission,
        "sections": queries.reply_report_sections(),
    }
    return render(request, "conversations/admin/report.html", context)
