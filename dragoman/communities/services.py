"""Every change of state of a community: one function each, keyword-only.

Each checks who acts (a manager for manager actions) and writes the audit entry of a
manager's action in the same transaction, so that no action is done without its record.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction

from dragoman.blogs.models import BlogIndexPage, BlogPage
from dragoman.core.changes import announce

from . import rights
from .announcements import ReplyPosted
from .models import (
    MEMBER_SETTINGS,
    Attachment,
    AuditEntry,
    Community,
    Event,
    Invitation,
    JoinRequest,
    Membership,
    Reply,
    Topic,
    token_digest,
    token_new,
)
from .queries import community_of_page

User = get_user_model()
INVITATION_DAYS = 14
# What members may attach to a reply: sniffed from the bytes, never trusted from the name.
ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
ATTACHMENT_SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"%PDF-": "application/pdf",
}


class InvitationInvalid(Exception):
    """An invitation that is unknown, revoked, expired or used up (one message for all:
    a guesser learns nothing about which)."""


def audit(*, community: Community, actor: Any, action: str, detail: str = "") -> AuditEntry:
    return AuditEntry.objects.create(
        community=community,
        actor=actor,
        actor_name=getattr(actor, "username", "") or "system",
        action=action,
        detail=detail[:300],
    )


def manager_require(*, community: Community, user: Any) -> Membership:
    membership = Membership.objects.filter(
        community=community,
        user=user,
        status=Membership.Status.ACTIVE,
        role=Membership.Role.MANAGER,
    ).first()
    if membership is None:
        raise PermissionDenied(_("Only a manager of this community may do this."))
    return membership


@transaction.atomic
def community_create(
    *,
    name: str,
    slug: str,
    description: str,
    languages: list[str] | None = None,
    listed: bool = False,
    how_to_join: str = "",
    with_blog: bool = True,
    acting_user: Any = None,
) -> Community:
    """A community, its group, its collection (images and documents) and its private blog.

    The blog is made private before it is first published, so there is no moment at which
    it is public: its view restriction admits only the community's group.
    """
    group = Group.objects.create(name=f"Community: {name} ({slug})"[:150])
    blog = None
    if with_blog:
        index = BlogIndexPage.objects.first()
        if index is None:
            raise ValidationError(_("The network has no blog index yet."))
        blog = BlogPage(
            title=name,
            slug=f"community-{slug}",
            description=description[:1000],
            language=(languages or ["en"])[0],
            live=False,
            owner=acting_user,
        )
        index.add_child(instance=blog)
        restriction = PageViewRestriction.objects.create(
            page=blog, restriction_type=PageViewRestriction.GROUPS
        )
        restriction.groups.set([group])
        blog.save_revision(user=acting_user).publish(user=acting_user)
        blog.refresh_from_db()
    community = Community(
        name=name,
        slug=slug,
        description=description,
        languages=languages or ["en"],
        listed=listed,
        how_to_join=how_to_join,
        group=group,
        blog=blog,
        collection=collection_create(name=name, group=group),
    )
    community.full_clean()
    community.save()
    rights.managers_group_ensure(django_apps, community)
    rights.community_author_ensure(django_apps)
    return community


def collection_create(*, name: str, group: Group) -> Collection:
    """The collection of a community's images and documents, restricted to its group before
    anything is put in it (media.py keeps its files outside the public media)."""
    collection = Collection.get_first_root_node().add_child(name=f"Community: {name}"[:255])
    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.GROUPS
    )
    restriction.groups.set([group])
    return collection


def _membership_admit(
    *, community: Community, user: Any, role: str = Membership.Role.MEMBER, name: str = ""
) -> Membership:
    membership, _created = Membership.objects.get_or_create(
        community=community,
        user=user,
        defaults={"role": role, "display_name": name or user.get_full_name() or user.username},
    )
    if membership.status == Membership.Status.REMOVED:
        raise PermissionDenied(_("You were removed from this community."))
    if role == Membership.Role.MANAGER and membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    user.groups.add(community.group)
    manager_rights_sync(membership=membership)
    return membership


def manager_rights_sync(*, membership: Membership) -> None:
    """Give the person the managers' rights in the Wagtail admin (rights.py) while they are an
    active manager, and take them away otherwise: called at every change of role or status,
    so that a removed or demoted manager's next request to the admin is refused."""
    group = rights.managers_group_ensure(django_apps, membership.community)
    active_manager = (
        membership.pk is not None
        and membership.status == Membership.Status.ACTIVE
        and membership.role == Membership.Role.MANAGER
    )
    if active_manager:
        membership.user.groups.add(group)
    else:
        membership.user.groups.remove(group)


@transaction.atomic
def member_role_change(*, membership: Membership, role: str, acting_user: Any) -> Membership:
    """A manager makes a member a manager, or a manager an ordinary member."""
    manager_require(community=membership.community, user=acting_user)
    if role not in Membership.Role.values:
        raise ValidationError(_("Choose a role."))
    if membership.user_id == acting_user.pk:
        # So that a community is never left without a manager by a slip of the hand.
        raise ValidationError(_("Another manager changes a manager's role."))
    if membership.status != Membership.Status.ACTIVE:
        raise ValidationError(_("Only an active member's role can change."))
    if membership.role == role:
        return membership
    membership.role = role
    membership.save(update_fields=["role"])
    manager_rights_sync(membership=membership)
    audit(
        community=membership.community,
        actor=acting_user,
        action="role_change",
        detail=f"{membership.display_name}: {role}",
    )
    return membership


def privacy_change_require(*, page: Page, user: Any) -> None:
    """A community's blog is private by construction (community_create): nobody makes it or
    a page under it public, or changes who may read it, from Wagtail's privacy setting, not
    even its managers, whose right to publish there would otherwise let them (Wagtail ties
    the privacy setting to publishing). Superusers keep every right."""
    if user.is_superuser:
        return
    if community_of_page(page=page) is not None:
        raise PermissionDenied(_("A community's blog stays private to its members."))


def entry_audit(*, page: Page, acting_user: Any, action: str) -> AuditEntry | None:
    """Record in the community's audit log what someone did in the admin to a page of its
    private blog (Wagtail's hooks forward here); pages elsewhere are not the log's business."""
    community = community_of_page(page=page)
    if community is None:
        return None
    return audit(community=community, actor=acting_user, action=action, detail=page.title)


def media_added_audit(*, item: Any) -> AuditEntry | None:
    """Record in the community's audit log an image or document a person added to its
    collection (Wagtail's upload forms name the uploader); media elsewhere is not the log's
    business."""
    community = Community.objects.filter(collection_id=item.collection_id).first()
    if community is None:
        return None
    kind = "image" if hasattr(item, "renditions") else "document"
    actor = getattr(item, "uploaded_by_user", None)
    return audit(community=community, actor=actor, action=f"{kind}_add", detail=item.title)


@transaction.atomic
def member_add(
    *,
    community: Community,
    user: Any,
    role: str = Membership.Role.MEMBER,
    name: str = "",
    acting_user: Any = None,
) -> Membership:
    """Admit a person (a manager or the system, e.g. the demo, acts)."""
    if acting_user is not None:
        manager_require(community=community, user=acting_user)
        audit(community=community, actor=acting_user, action="member_add", detail=user.email)
    return _membership_admit(community=community, user=user, role=role, name=name)


def _user_for_email(email: str) -> Any:
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(username=email[:150], email=email)
        user.set_unusable_password()
        user.save()
    from allauth.account.models import EmailAddress

    # The address is proven: the person has the invitation sent to it, or a code sent to it.
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def invitation_url(*, invitation_token: str) -> str:
    from django.urls import reverse

    return settings.BASE_URL + reverse("communities:invitation", args=[invitation_token])


@transaction.atomic
def invitation_create(
    *,
    community: Community,
    acting_user: Any,
    email: str = "",
    days: int = INVITATION_DAYS,
    max_uses: int = 1,
) -> tuple[Invitation, str]:
    """A personal invitation (sent by email at once) or a shareable link; returns the token,
    which is shown once and stored only as a digest."""
    manager_require(community=community, user=acting_user)
    if not 1 <= days <= 90:
        raise ValidationError(_("An invitation lasts between 1 and 90 days."))
    if not 1 <= max_uses <= 1000:
        raise ValidationError(_("An invitation link may be used between 1 and 1,000 times."))
    token = token_new()
    invitation = Invitation.objects.create(
        community=community,
        email=email.strip().lower(),
        token_digest=token_digest(token),
        expires_at=timezone.now() + timedelta(days=days),
        max_uses=1 if email else max_uses,
        created_by=acting_user,
    )
    audit(
        community=community,
        actor=acting_user,
        action="invitation_create",
        detail=email or f"link, {max_uses} uses, {days} days",
    )
    if email:
        url = invitation_url(invitation_token=token)
        transaction.on_commit(
            lambda: send_mail(
                _("You are invited to join %(name)s") % {"name": community.name},
                render_to_string(
                    "communities/email/invitation.txt", {"community": community, "url": url}
                ),
                None,
                [invitation.email],
            )
        )
    return invitation, token


def invitation_find(*, token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_related("community")
        .filter(token_digest=token_digest(token))
        .first()
    )
    if invitation is None or not invitation.usable():
        raise InvitationInvalid
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, email: str, name: str = "") -> Membership:
    """Use an invitation: a personal one only by its own address, a link up to its limit."""
    invitation = invitation_find(token=token)
    email = email.strip().lower()
    if invitation.email and invitation.email != email:
        raise InvitationInvalid
    # Counted in one statement, so two people racing for the last use cannot both get in.
    counted = Invitation.objects.filter(
        pk=invitation.pk, uses__lt=F("max_uses"), revoked=False
    ).update(uses=F("uses") + 1)
    if not counted:
        raise InvitationInvalid
    user = _user_for_email(email)
    return _membership_admit(community=invitation.community, user=user, name=name)


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, acting_user: Any) -> None:
    manager_require(community=invitation.community, user=acting_user)
    invitation.revoked = True
    invitation.save(update_fields=["revoked"])
    audit(
        community=invitation.community,
        actor=acting_user,
        action="invitation_revoke",
        detail=invitation.email or "link",
    )


def join_request_create(
    *, community: Community, name: str, email: str, message: str
) -> JoinRequest:
    if not community.listed:
        raise Http404
    email = email.strip().lower()
    removed = Membership.objects.filter(
        community=community, user__email__iexact=email, status=Membership.Status.REMOVED
    ).exists()
    request = JoinRequest(
        community=community,
        name=name,
        email=email,
        message=message,
        # A removed member's request is kept (for the record) but never reaches a manager.
        status=JoinRequest.Status.REFUSED if removed else JoinRequest.Status.PENDING,
    )
    request.full_clean()
    request.save()
    return request


@transaction.atomic
def join_request_decide(*, join_request: JoinRequest, approve: bool, acting_user: Any) -> None:
    community = join_request.community
    manager_require(community=community, user=acting_user)
    if join_request.status != JoinRequest.Status.PENDING:
        raise ValidationError(_("This request has already been decided."))
    join_request.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.REFUSED
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "decided_at"])
    audit(
        community=community,
        actor=acting_user,
        action="request_approve" if approve else "request_refuse",
        detail=join_request.email,
    )
    if approve:
        user = _user_for_email(join_request.email)
        _membership_admit(community=community, user=user, name=join_request.name)
        url = settings.BASE_URL + community.get_absolute_url()
        transaction.on_commit(
            lambda: send_mail(
                _("Welcome to %(name)s") % {"name": community.name},
                render_to_string(
                    "communities/email/approved.txt", {"community": community, "url": url}
                ),
                None,
                [join_request.email],
            )
        )


@transaction.atomic
def member_remove(*, membership: Membership, acting_user: Any) -> None:
    """A manager removes a member: from the group at once, so their next request is refused."""
    manager_require(community=membership.community, user=acting_user)
    if membership.user_id == acting_user.pk:
        raise ValidationError(_("Managers leave a community from their own settings page."))
    membership.status = Membership.Status.REMOVED
    membership.feed_token_digest = ""
    membership.save(update_fields=["status", "feed_token_digest"])
    membership.user.groups.remove(membership.community.group)
    manager_rights_sync(membership=membership)
    audit(
        community=membership.community,
        actor=acting_user,
        action="member_remove",
        detail=membership.display_name,
    )


@transaction.atomic
def member_leave(*, membership: Membership) -> None:
    """A member leaves: the membership goes (they may be invited again)."""
    membership.user.groups.remove(membership.community.group)
    membership.delete()
    manager_rights_sync(membership=membership)


@transaction.atomic
def account_delete(*, user: Any) -> None:
    """Delete a person's account and what is held about them. What they wrote in threads
    stays for the conversation's sake, without their name (the author becomes empty)."""
    for membership in Membership.objects.filter(user=user).select_related("community"):
        user.groups.remove(membership.community.group)
        if membership.community.managers_id is not None:
            user.groups.remove(membership.community.managers_id)
    user.delete()


def profile_update(*, membership: Membership, **values: Any) -> Membership:
    for name in MEMBER_SETTINGS:
        if name in values:
            setattr(membership, name, values[name])
    membership.full_clean()
    membership.save()
    return membership


def feed_token_renew(*, membership: Membership) -> str:
    """A new private feed address; the old one stops working at once."""
    token = token_new()
    membership.feed_token_digest = token_digest(token)
    membership.save(update_fields=["feed_token_digest"])
    return token


def feed_token_revoke(*, membership: Membership) -> None:
    membership.feed_token_digest = ""
    membership.save(update_fields=["feed_token_digest"])


def _attachment_check(upload: UploadedFile) -> str:
    if upload.size is None or upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(_("An attachment may be at most 5 MB."))
    head = upload.read(16)
    upload.seek(0)
    for signature, content_type in ATTACHMENT_SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    raise ValidationError(_("Attach a PNG or JPEG image or a PDF document."))


@transaction.atomic
def topic_create(*, membership: Membership, title: str, body: str, language: str = "en") -> Topic:
    topic = Topic(
        community=membership.community,
        title=title.strip(),
        author=membership.user,
        language=language,
    )
    topic.full_clean()
    topic.save()
    reply_create(membership=membership, topic=topic, body=body)
    return topic


@transaction.atomic
def reply_create(
    *,
    membership: Membership,
    topic: Topic,
    body: str,
    answers: Reply | None = None,
    upload: UploadedFile | None = None,
) -> Reply:
    if topic.community_id != membership.community_id:
        raise Http404
    if topic.locked and not membership.is_manager:
        raise ValidationError(_("This thread is closed."))
    if answers is not None and answers.topic_id != topic.pk:
        raise ValidationError(_("You can only answer a message of this thread."))
    content_type = _attachment_check(upload) if upload is not None else ""
    reply = Reply(topic=topic, author=membership.user, body=body.strip(), answers=answers)
    reply.full_clean()
    reply.save()
    if upload is not None:
        Attachment.objects.create(
            reply=reply,
            file=upload,
            name=(upload.name or "file")[:200],
            content_type=content_type,
            size=upload.size or 0,
        )
    Topic.objects.filter(pk=topic.pk).update(last_reply_at=reply.created_at)
    # The people answered: the author of the message answered, else the thread's author.
    answered = answers.author_id if answers is not None else topic.author_id
    if answered and answered != membership.user_id:
        announce(ReplyPosted(reply_id=reply.pk, answered_user_id=answered))
    return reply


def reply_notify(announcement: ReplyPosted) -> None:
    """Email the person answered, if they asked for it and are still a member."""
    reply = (
        Reply.objects.select_related("topic__community").filter(pk=announcement.reply_id).first()
    )
    if reply is None or reply.hidden:
        return
    membership = (
        Membership.objects.filter(
            community=reply.topic.community,
            user_id=announcement.answered_user_id,
            status=Membership.Status.ACTIVE,
            notify_replies=True,
        )
        .select_related("user")
        .first()
    )
    if membership is None or not membership.user.email:
        return
    from django.urls import reverse

    url = settings.BASE_URL + reverse(
        "communities:topic", args=[reply.topic.community.slug, reply.topic.pk]
    )
    send_mail(
        _("New reply in %(title)s") % {"title": reply.topic.title},
        render_to_string(
            "communities/email/reply.txt", {"reply": reply, "url": url, "membership": membership}
        ),
        None,
        [membership.user.email],
    )


@transaction.atomic
def topic_moderate(*, topic: Topic, acting_user: Any, hidden: bool, locked: bool) -> None:
    manager_require(community=topic.community, user=acting_user)
    topic.hidden, topic.locked = hidden, locked
    topic.save(update_fields=["hidden", "locked"])
    audit(
        community=topic.community,
        actor=acting_user,
        action="topic_moderate",
        detail=f"{topic.title}: hidden={hidden} locked={locked}",
    )


@transaction.atomic
def reply_moderate(*, reply: Reply, acting_user: Any, hidden: bool) -> None:
    community = reply.topic.community
    manager_require(community=community, user=acting_user)
    reply.hidden = hidden
    reply.save(update_fields=["hidden"])
    audit(
        community=community,
        actor=acting_user,
        action="reply_hide" if hidden else "reply_show",
        detail=f"{reply.topic.title} #{reply.pk}",
    )


@transaction.atomic
def event_create(*, community: Community, acting_user: Any | None, **values: Any) -> Event:
    if acting_user is not None:
        manager_require(community=community, user=acting_user)
    event = Event(community=community, created_by=acting_user, **values)
    event.full_clean()
    event.save()
    if acting_user is not None:
        audit(community=community, actor=acting_user, action="event_create", detail=event.title)
    return event
