"""The digital team's queue: followers waiting for approval, posts to a group waiting to be
relayed. Each decision is a POST to a service."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from . import services
from .models import Follow, LocalActor, Received


def _require_team(request: HttpRequest) -> None:
    if not request.user.has_perm("federation.change_follow"):
        raise PermissionDenied(_("Only the digital team decides who may follow."))


def waiting(request: HttpRequest) -> HttpResponse:
    _require_team(request)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action in ("approve", "reject"):
            follow = get_object_or_404(Follow, pk=request.POST.get("follow", "0") or 0)
            if action == "approve":
                services.follow_approve(follow=follow, acting_user=request.user)
                messages.success(request, _("The follower was approved."))
            else:
                services.follow_reject(follow=follow, acting_user=request.user)
                messages.success(request, _("The follower was turned away."))
        elif action == "relay":
            received = get_object_or_404(Received, pk=request.POST.get("received", "0") or 0)
            services.received_approve(received=received, acting_user=request.user)
            messages.success(request, _("The post was relayed to the group's followers."))
        return redirect("federation_admin:waiting")
    follows = Follow.objects.filter(
        direction=Follow.Direction.INCOMING, status=Follow.Status.PENDING
    ).select_related("local", "remote")
    posts = Received.objects.filter(
        approved=False, local__kind=LocalActor.Kind.GROUP
    ).select_related("local", "actor")
    return render(
        request,
        "federation/admin/waiting.html",
        {"follows": follows, "posts": posts, "header_title": _("Federation: waiting")},
    )
