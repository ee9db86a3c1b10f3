"""Thin views: the public list and page of listed communities, and the members' pages.

Members' pages take the membership from `queries.membership_of`, which answers 404 to
everyone who is not an active member, and send `Cache-Control: private, no-store`.
"""

from __future__ import annotations

import json
import mimetypes
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import icalendar
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.admin.auth import require_admin_access
from wagtail.admin.viewsets.pages import page_viewset_registry
from wagtail.models import Page

from dragoman.conversations.rendering import comment_html

from . import media, queries, services
from .forms import (
    EventForm,
    InvitationAcceptForm,
    InvitationForm,
    JoinRequestForm,
    ProfileForm,
    ReplyForm,
    TopicForm,
)
from .models import Attachment, Invitation, JoinRequest, Membership, Reply, token_digest

MemberView = Callable[..., HttpResponseBase]
ModelT = TypeVar("ModelT", bound=Model)


def private(response: HttpResponseBase) -> HttpResponseBase:
    patch_cache_control(response, private=True, no_store=True)
    return response


def member_page(view: MemberView) -> Callable[..., HttpResponseBase]:
    @wraps(view)
    def wrapped(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponseBase:
        membership = queries.membership_of(user=request.user, slug=slug)
        return private(view(request, membership, *args, **kwargs))

    return wrapped


def manager_page(view: MemberView) -> Callable[..., HttpResponseBase]:
    @wraps(view)
    def wrapped(request: HttpRequest, membership: Membership, *args: Any, **kwargs: Any) -> Any:
        if not membership.is_manager:
            raise Http404("No such page")
        return view(request, membership, *args, **kwargs)

    return member_page(wrapped)


def member_render(
    request: HttpRequest,
    template: str,
    membership: Membership,
    *,
    form: Any = None,
    **context: Any,
) -> HttpResponse:
    """A members' page: it knows its membership and community; a form with errors is a 400."""
    return render(
        request,
        template,
        {"membership": membership, "community": membership.community, "form": form, **context},
        status=400 if form is not None and form.errors else 200,
    )


def posted_row(request: HttpRequest, model: type[ModelT], field: str, **scope: Any) -> ModelT:
    """The row of `model` whose key the form posted as `field`, within `scope`; 404 for a
    missing, foreign or malformed key (never a database error)."""
    key = request.POST.get(field, "")
    if not key.isdigit() or len(key) > 18:
        raise Http404("No such row")
    return get_object_or_404(model, pk=int(key), **scope)


# Public pages (listed communities only) ------------------------------------------------------


# Listed communities and their pages change when managers change them: always asked again.
public_cache_control = cache_control(max_age=0, no_cache=True)


@public_cache_control
def community_list(request: HttpRequest) -> HttpResponse:
    return render(request, "communities/list.html", {"communities": queries.listed_communities()})


@public_cache_control
def community_public(request: HttpRequest, slug: str) -> HttpResponse:
    community = queries.listed_community(slug)
    return render(
        request, "communities/public.html", {"community": community, "form": JoinRequestForm()}
    )


@csrf_exempt  # a public page sets no cookie; the form holds nothing but a request to join
@require_POST
def join_request(request: HttpRequest, slug: str) -> HttpResponse:
    community = queries.listed_community(slug)
    form = JoinRequestForm(request.POST)
    if form.is_valid() and not form.cleaned_data["website"]:
        services.join_request_create(
            community=community,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            message=form.cleaned_data["message"],
        )
        response = render(request, "communities/request_sent.html", {"community": community})
        return private(response)  # type: ignore[return-value]
    response = render(
        request, "communities/public.html", {"community": community, "form": form}, status=400
    )
    return private(response)  # type: ignore[return-value]


# Joining ----------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Opening the link shows a form; only sending it uses the invitation (mail scanners
    that open links use nothing up)."""
    try:
        found = services.invitation_find(token=token)
    except services.InvitationInvalid:
        return render(request, "communities/invitation_invalid.html", status=404)
    form = InvitationAcceptForm(
        request.POST or None, initial={"email": found.email} if found.email else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(
                token=token, email=form.cleaned_data["email"], name=form.cleaned_data["name"]
            )
        except services.InvitationInvalid:
            form.add_error("email", _("This invitation is not for this address."))
        except PermissionDenied as refused:
            return render(
                request, "communities/invitation_invalid.html", {"reason": refused}, status=403
            )
        else:
            return render(request, "communities/joined.html", {"community": found.community})
    return render(
        request,
        "communities/invitation.html",
        {"community": found.community, "form": form, "personal": bool(found.email)},
        status=400 if form.errors else 200,
    )


# Members' pages ------------------------------------------------------------------------------


@login_required
@never_cache
def mine(request: HttpRequest) -> HttpResponse:
    return render(
        request, "communities/mine.html", {"memberships": queries.memberships_of(request.user)}
    )


@member_page
def home(request: HttpRequest, membership: Membership) -> HttpResponse:
    return member_render(
        request,
        "communities/home.html",
        membership,
        entries=queries.blog_entries(membership=membership),
        topics=queries.topics(membership=membership)[:10],
        events=queries.events(membership=membership)[:5],
    )


@member_page
def topic_list(request: HttpRequest, membership: Membership) -> HttpResponse:
    return member_render(
        request,
        "communities/topic_list.html",
        membership,
        topics=queries.topics(membership=membership),
    )


@member_page
def topic_new(request: HttpRequest, membership: Membership) -> HttpResponse:
    form = TopicForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        try:
            topic = services.topic_create(membership=membership, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("communities:topic", membership.community.slug, topic.pk)
    return member_render(request, "communities/topic_new.html", membership, form=form)


@member_page
def topic_detail(request: HttpRequest, membership: Membership, topic_id: int) -> HttpResponse:
    topic = queries.topic(membership=membership, topic_id=topic_id)
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        answers = None
        if form.cleaned_data["answers"]:
            answers = Reply.objects.filter(topic=topic, pk=form.cleaned_data["answers"]).first()
        try:
            services.reply_create(
                membership=membership,
                topic=topic,
                body=form.cleaned_data["body"],
                answers=answers,
                upload=form.cleaned_data["attachment"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("communities:topic", membership.community.slug, topic.pk)
    replies = queries.replies(membership=membership, topic=topic)
    names = queries.authors_names(
        community=membership.community, user_ids={r.author_id for r in replies if r.author_id}
    )
    shown = [
        {
            "reply": reply,
            "html": comment_html(reply.body),
            "author": names.get(reply.author_id or 0, _("former member")),
        }
        for reply in replies
    ]
    return member_render(
        request, "communities/topic_detail.html", membership, form=form, topic=topic, replies=shown
    )


@member_page
def attachment(request: HttpRequest, membership: Membership, attachment_id: int) -> Any:
    found = get_object_or_404(
        Attachment.objects.select_related("reply__topic"),
        pk=attachment_id,
        reply__topic__community=membership.community,
    )
    if (found.reply.hidden or found.reply.topic.hidden) and not membership.is_manager:
        raise Http404
    response = FileResponse(found.file.open("rb"), content_type=found.content_type)
    response["Content-Disposition"] = "attachment"
    return response


@manager_page
@require_POST
def topic_moderate(request: HttpRequest, membership: Membership, topic_id: int) -> Any:
    topic = queries.topic(membership=membership, topic_id=topic_id)
    services.topic_moderate(
        topic=topic,
        acting_user=request.user,
        hidden=request.POST.get("hidden") == "1",
        locked=request.POST.get("locked") == "1",
    )
    return redirect("communities:topic", membership.community.slug, topic.pk)


@manager_page
@require_POST
def reply_moderate(request: HttpRequest, membership: Membership, reply_id: int) -> Any:
    reply = get_object_or_404(
        Reply.objects.select_related("topic__community"),
        pk=reply_id,
        topic__community=membership.community,
    )
    services.reply_moderate(
        reply=reply, acting_user=request.user, hidden=request.POST.get("hidden") == "1"
    )
    return redirect("communities:topic", membership.community.slug, reply.topic_id)


@member_page
def event_list(request: HttpRequest, membership: Membership) -> HttpResponse:
    form = None
    if membership.is_manager:
        form = EventForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            services.event_create(
                community=membership.community, acting_user=request.user, **form.cleaned_data
            )
            return redirect("communities:events", membership.community.slug)
    elif request.method == "POST":
        raise Http404
    return member_render(
        request,
        "communities/event_list.html",
        membership,
        form=form,
        events=queries.events(membership=membership),
        past=queries.events(membership=membership, past=True)[:20],
    )


@member_page
def event_ics(request: HttpRequest, membership: Membership, event_id: int) -> HttpResponse:
    event = queries.event(membership=membership, event_id=event_id)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Dragoman//communities//EN")
    calendar.add("version", "2.0")
    item = icalendar.Event()
    item.add("uid", f"event-{event.pk}@{request.get_host()}")
    item.add("dtstamp", timezone.now())
    item.add("dtstart", event.starts_at)
    if event.ends_at:
        item.add("dtend", event.ends_at)
    item.add("summary", event.title)
    if event.description:
        item.add("description", event.description)
    if event.place:
        item.add("location", event.place)
    if event.link:
        item.add("url", event.link)
    calendar.add_component(item)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    return response


@member_page
def directory(request: HttpRequest, membership: Membership) -> HttpResponse:
    return member_render(
        request,
        "communities/directory.html",
        membership,
        people=queries.directory(membership=membership),
    )


@member_page
def settings_page(request: HttpRequest, membership: Membership) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=membership)
    feed_url = ""
    if request.method == "POST":
        action = request.POST.get("action", "profile")
        if action == "feed":
            token = services.feed_token_renew(membership=membership)
            feed_url = request.build_absolute_uri(
                reverse("communities:feed", args=[membership.community.slug, token])
            )
        elif action == "feed_revoke":
            services.feed_token_revoke(membership=membership)
            messages.success(request, _("Your private feed address no longer works."))
            return redirect("communities:settings", membership.community.slug)
        elif action == "leave":
            services.member_leave(membership=membership)
            messages.success(request, _("You have left the community."))
            return redirect("communities:mine")
        elif form.is_valid():
            services.profile_update(membership=membership, **form.cleaned_data)
            messages.success(request, _("Your settings are saved."))
            return redirect("communities:settings", membership.community.slug)
        form = ProfileForm(instance=membership) if action == "feed" else form
    return member_render(
        request, "communities/settings.html", membership, form=form, feed_url=feed_url
    )


@manager_page
def manage(request: HttpRequest, membership: Membership) -> HttpResponse:
    community = membership.community
    form = InvitationForm(request.POST or None if request.POST.get("action") == "invite" else None)
    new_link = ""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "invite" and form.is_valid():
            invitation, token = services.invitation_create(
                community=community,
                acting_user=request.user,
                email=form.cleaned_data["email"] or "",
                days=form.cleaned_data["days"],
                max_uses=form.cleaned_data["max_uses"],
            )
            if invitation.is_link:
                new_link = services.invitation_url(invitation_token=token)
            else:
                messages.success(request, _("The invitation is sent."))
                return redirect("communities:manage", community.slug)
        elif action in ("approve", "refuse"):
            join = posted_row(request, JoinRequest, "request", community=community)
            try:
                services.join_request_decide(
                    join_request=join, approve=action == "approve", acting_user=request.user
                )
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            return redirect("communities:manage", community.slug)
        elif action == "remove":
            target = posted_row(request, Membership, "membership", community=community)
            try:
                services.member_remove(membership=target, acting_user=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            return redirect("communities:manage", community.slug)
        elif action in ("make_manager", "make_member"):
            target = posted_row(request, Membership, "membership", community=community)
            role = Membership.Role.MANAGER if action == "make_manager" else Membership.Role.MEMBER
            try:
                services.member_role_change(membership=target, role=role, acting_user=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            return redirect("communities:manage", community.slug)
        elif action == "revoke":
            invitation = posted_row(request, Invitation, "invitation", community=community)
            services.invitation_revoke(invitation=invitation, acting_user=request.user)
            return redirect("communities:manage", community.slug)
    return member_render(
        request,
        "communities/manage.html",
        membership,
        form=form,
        new_link=new_link,
        **queries.management(membership=membership),
    )


# The private feed: no session, a revocable token in the address ---------------------------


class PrivateFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, slug: str, token: str) -> Membership:  # type: ignore[override]
        membership = (
            Membership.objects.select_related("community", "community__blog", "user")
            .filter(
                community__slug=slug,
                status=Membership.Status.ACTIVE,
                feed_token_digest=token_digest(token),
            )
            .first()
        )
        if membership is None or not token:
            raise Http404("No such feed")
        return membership

    def title(self, obj: Membership) -> str:
        return obj.community.name

    def link(self, obj: Membership) -> str:
        return obj.community.get_absolute_url()

    def items(self, obj: Membership) -> list[Any]:
        return queries.blog_entries(membership=obj, limit=20)

    def item_title(self, item: Any) -> str:
        return str(item.title)

    def item_description(self, item: Any) -> str:
        return str(getattr(item, "summary", "") or "")

    def item_link(self, item: Any) -> str:
        return str(item.url)

    def item_pubdate(self, item: Any) -> Any:
        return item.date

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return private(super().__call__(request, *args, **kwargs))  # type: ignore[return-value]


private_feed = PrivateFeed()


# The account: export and deletion ------------------------------------------------------------


@login_required
@never_cache
def account(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and request.POST.get("action") == "delete":
        if request.POST.get("confirm") != "delete":
            messages.error(request, _("Type “delete” to confirm."))
            return redirect("communities:account")
        user = request.user
        logout(request)
        services.account_delete(user=user)
        return render(request, "communities/deleted.html")
    return render(
        request, "communities/account.html", {"memberships": queries.memberships_of(request.user)}
    )


@login_required
@never_cache
def account_export(request: HttpRequest) -> HttpResponse:
    data = queries.export(user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return private(response)  # type: ignore[return-value]


# Images and documents of a community ----------------------------------------------------------


@never_cache
def media_file(request: HttpRequest, name: str) -> HttpResponse:
    """A file of a restricted collection, to those its restriction admits; 404 to others."""
    if not media.is_private_name(name):
        raise Http404("No such file")
    owner = media.file_owner(name)
    if owner is None or not media.collection_admits(owner[1], request):
        raise Http404("No such file")
    storage = owner[0].file.storage
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(storage.open(name, "rb"), content_type=content_type)
    # As Wagtail serves documents: the browser never runs or sniffs what it gets.
    response["Content-Security-Policy"] = "default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    return private(response)  # type: ignore[return-value]


# Wagtail's privacy setting, guarded ----------------------------------------------------------


@require_admin_access
def admin_page_privacy(request: HttpRequest, page_id: int) -> HttpResponseBase:
    """Wagtail's own privacy setting of a page (its address is routed here first), refused on
    a community's blog and the pages under it (services.privacy_change_require)."""
    page = get_object_or_404(Page, pk=page_id)
    services.privacy_change_require(page=page, user=request.user)
    wagtail_view = page_viewset_registry.as_view("set_privacy", page_id_kwarg="page_id")
    return wagtail_view(request, page_id=page_id)
