"""Granting and revoking permission to blog, invitations, and review before publishing.

Every permission is a Wagtail one: each blog has its own group ("Blog: <title>") with page
permissions on the blog's subtree, so Wagtail's admin, explorer and reports enforce them.
Services that staff call take `acting_user` and check it, so commands and views obey the
same rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group, Permission, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from dragoman.blogs import services as blog_services
from dragoman.blogs.models import Blogger, BlogPage
from dragoman.core.once import one_time_consume
from dragoman.missions.models import Mission

from . import roles
from .models import BlogAccess, Invitation
from .tokens import invitation_token_generator

REVIEW_WORKFLOW_NAME = "Review before publishing"
REVIEW_TASK_NAME = "Digital team review"
MANAGE_BLOGGERS = "authoring.manage_bloggers"

AnyUser = User | AnonymousUser


def permission_require(user: AnyUser | None, permission: str) -> None:
    """Raise PermissionDenied unless the user holds the permission (None: a system task)."""
    if user is not None and not user.has_perm(permission):
        raise PermissionDenied(_("You do not have permission to do this."))


def _page_permission(codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)


def _blog_page_codenames(*, review: bool) -> list[str]:
    # Under review a blogger submits and an editor publishes: no publish permission.
    if review:
        return [c for c in roles.BLOG_PAGE_PERMISSIONS if c != "publish_page"]
    return list(roles.BLOG_PAGE_PERMISSIONS)


@transaction.atomic
def blog_access_ensure(*, blog: BlogPage) -> Group:
    """The blog's own group, created with page permissions on the blog's subtree if missing."""
    access = BlogAccess.objects.select_related("group").filter(blog=blog).first()
    if access is not None:
        return access.group
    base = f"Blog: {blog.title}"[:140]
    name = base
    if Group.objects.filter(name=name).exists():
        name = f"{base} ({blog.pk})"
    group = Group.objects.create(name=name)
    for codename in _blog_page_codenames(review=blog_review_required(blog=blog)):
        GroupPagePermission.objects.create(
            group=group, page=blog, permission=_page_permission(codename)
        )
    BlogAccess.objects.create(blog=blog, group=group)
    return group


def _blog_bloggers_add(*, blog: BlogPage, blogger: Blogger, acting_user: AnyUser | None) -> None:
    """Credit the blogger on the blog's public page, through a revision like any edit."""
    if blog.bloggers.filter(pk=blogger.pk).exists():
        return
    had_draft = blog.has_unpublished_changes
    latest = blog.get_latest_revision_as_object()
    latest.bloggers.add(blogger)
    user = acting_user if isinstance(acting_user, User) else None
    revision = latest.save_revision(user=user, log_action=True)
    if had_draft:
        # Someone's unfinished edit of the blog stays a draft; the live page gets the credit.
        BlogPage.bloggers.through.objects.get_or_create(blogpage=blog, blogger=blogger)
    else:
        revision.publish(user=user)


@transaction.atomic
def blogger_grant(
    *, blogger: Blogger, blogs: Sequence[BlogPage], acting_user: AnyUser | None
) -> None:
    """Let a blogger (who has a user account) write on these blogs."""
    permission_require(acting_user, MANAGE_BLOGGERS)
    if blogger.user is None:
        raise ValidationError(_("This blogger has no user account to grant access to."))
    blogger.user.groups.add(Group.objects.get(name=roles.BLOGGERS))
    for blog in blogs:
        blogger.user.groups.add(blog_access_ensure(blog=blog))
        _blog_bloggers_add(blog=blog, blogger=blogger, acting_user=acting_user)


def _unique_blogger_slug(name: str) -> str:
    base = slugify(name)[:140] or "blogger"
    slug, number = base, 2
    while Blogger.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def blogger_invite(
    *,
    acting_user: AnyUser | None,
    name: str,
    email: str,
    job_title: str,
    mission: Mission | None,
    blogs: Sequence[BlogPage],
) -> Invitation:
    """Create the account and profile, grant the blogs, and email a one-time link.

    The account has no usable password until the invited person sets one through the link,
    valid 72 hours and only once.
    """
    permission_require(acting_user, MANAGE_BLOGGERS)
    email = get_user_model().objects.normalize_email(email.strip()).lower()
    user_model = get_user_model()
    if (
        user_model.objects.filter(email__iexact=email).exists()
        or user_model.objects.filter(username__iexact=email).exists()
    ):
        raise ValidationError(
            {"email": _("Someone with this email address already has an account.")}
        )
    first_name, _space, last_name = name.strip().partition(" ")
    user = user_model(
        username=email, email=email, first_name=first_name[:150], last_name=last_name[:150]
    )
    user.set_unusable_password()
    user.full_clean()
    user.save()
    blogger = blog_services.blogger_create(
        display_name=name.strip(),
        slug=_unique_blogger_slug(name),
        job_title=job_title,
        mission=mission,
        user=user,
    )
    blogger_grant(blogger=blogger, blogs=blogs, acting_user=acting_user)
    invitation = Invitation.objects.create(
        user=user, invited_by=acting_user if isinstance(acting_user, User) else None
    )
    link = invitation_link(invitation=invitation)
    blog_titles = ", ".join(blog.title for blog in blogs)
    # The person must never get a link to an account that was rolled back.
    transaction.on_commit(
        lambda: send_mail(
            subject=_("You are invited to blog on %(site)s") % {"site": settings.SITE_NAME},
            message=_(
                "Hello %(name)s,\n\nYou may now write on: %(blogs)s.\n\n"
                "Choose your password here (this link works once, for 72 hours):\n%(link)s\n\n"
                "Your username is %(username)s.\n"
            )
            % {"name": name, "blogs": blog_titles, "link": link, "username": email},
            from_email=None,
            recipient_list=[email],
        )
    )
    return invitation


@transaction.atomic
def blogger_account_create(
    *, acting_user: AnyUser | None, blogger: Blogger, username: str, password: str | None
) -> Any:
    """Give an existing profile a user account with a password, and grant its blogs.

    For imports and the demo; real people are invited, so that they choose their password.
    `password=None` makes an account nobody can sign in to until a password is set for it.
    """
    permission_require(acting_user, MANAGE_BLOGGERS)
    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", password=password
    )
    blogger.user = user
    blogger.full_clean()
    blogger.save(update_fields=["user"])
    blogger_grant(blogger=blogger, blogs=list(blogger.blogs.all()), acting_user=acting_user)
    return user


@transaction.atomic
def digital_team_member_create(
    *, acting_user: AnyUser | None, username: str, email: str, password: str
) -> Any:
    """An editor of the digital team (only an administrator or a system task may add one)."""
    if acting_user is not None and not acting_user.is_superuser:
        raise PermissionDenied(_("Only an administrator may add to the digital team."))
    user = get_user_model().objects.create_user(username=username, email=email, password=password)
    user.groups.add(Group.objects.get(name=roles.DIGITAL_TEAM))
    return user


@transaction.atomic
def moderator_create(
    *, acting_user: AnyUser | None, username: str, email: str, password: str
) -> Any:
    """A moderator, who judges and answers comments on every blog and nothing else (only an
    administrator or a system task may add one, as for the digital team)."""
    if acting_user is not None and not acting_user.is_superuser:
        raise PermissionDenied(_("Only an administrator may add a moderator."))
    user = get_user_model().objects.create_user(username=username, email=email, password=password)
    user.groups.add(Group.objects.get(name=roles.MODERATORS))
    return user


def invitation_link(*, invitation: Invitation) -> str:
    user = invitation.user
    path = reverse(
        "authoring_invitation_accept",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": invitation_token_generator.make_token(user),
        },
    )
    return f"{settings.BASE_URL}{path}"


def invitation_user(*, uidb64: str, token: str) -> Any:
    """The invited user if the link is genuine, unused and younger than 72 hours, else None."""
    try:
        pk = urlsafe_base64_decode(uidb64).decode()
        user = get_user_model().objects.select_related("invitation").get(pk=pk)
    except (ValueError, TypeError, OverflowError, get_user_model().DoesNotExist):
        return None
    if not hasattr(user, "invitation") or user.invitation.accepted_at is not None:
        return None
    if not invitation_token_generator.check_token(user, token):
        return None
    return user


class LinkUsed(Exception):
    """A one-time link that was used already (perhaps a moment ago, by a concurrent request)."""


@transaction.atomic
def invitation_accept(*, user: Any, password: str) -> Any:
    """Set the invited person's password; the link stops working.

    Raises LinkUsed when the invitation was accepted already: of two people sending the form
    at the same moment, exactly one sets the password.
    """
    if not one_time_consume(
        rows=Invitation.objects.filter(user=user), field="accepted_at", new=timezone.now()
    ):
        raise LinkUsed
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


@transaction.atomic
def password_reset_complete(*, user: Any, password: str) -> Any:
    """Set a new password through a password-reset link; the link stops working.

    Django's reset token is valid until the password hash it was made from changes, and
    `user.password` is the hash the token was checked against: the new one is written only
    where the row still holds it. Raises LinkUsed when a concurrent request changed it first.
    """
    seen = user.password
    user.set_password(password)
    if not one_time_consume(
        rows=get_user_model().objects.filter(pk=user.pk),
        field="password",
        expected=seen,
        new=user.password,
    ):
        user.password = seen
        raise LinkUsed
    return user


@transaction.atomic
def blogger_revoke(
    *,
    acting_user: AnyUser | None,
    blogger: Blogger,
    blogs: Sequence[BlogPage] | None = None,
) -> None:
    """Take away permission to blog (on these blogs, or everywhere).

    Entries stay published under the blogger's name: the credits and the profile are part of
    the public record, only the right to write goes.
    """
    permission_require(acting_user, MANAGE_BLOGGERS)
    user = blogger.user
    if user is None:
        return
    accesses = BlogAccess.objects.filter(group__user=user)
    if blogs is not None:
        accesses = accesses.filter(blog__in=blogs)
    user.groups.remove(*[access.group_id for access in accesses])
    if not BlogAccess.objects.filter(group__user=user).exists():
        user.groups.remove(*Group.objects.filter(name=roles.BLOGGERS))


PROFILE_FIELDS = ("display_name", "job_title", "photo", "bio")


@transaction.atomic
def blogger_profile_update(
    *, acting_user: AnyUser | None, blogger: Blogger, **fields: Any
) -> Blogger:
    """Change a public profile: its own blogger, or the digital team, may."""
    own = (
        acting_user is not None
        and blogger.user_id is not None
        and blogger.user_id == acting_user.pk
    )
    if not own:
        permission_require(acting_user, "blogs.change_blogger")
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not profile fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(blogger, name, value)
    blogger.full_clean()
    blogger.save(update_fields=list(fields))
    return blogger


def blog_review_required(*, blog: BlogPage) -> bool:
    return WorkflowPage.objects.filter(page=blog, workflow__name=REVIEW_WORKFLOW_NAME).exists()


def review_workflow_ensure() -> Workflow:
    """The workflow whose one task asks the digital team to approve."""
    workflow, _created = Workflow.objects.get_or_create(name=REVIEW_WORKFLOW_NAME)
    if not WorkflowTask.objects.filter(workflow=workflow).exists():
        task = GroupApprovalTask.objects.filter(name=REVIEW_TASK_NAME).first()
        if task is None:
            task = GroupApprovalTask.objects.create(name=REVIEW_TASK_NAME)
            task.groups.set([Group.objects.get(name=roles.DIGITAL_TEAM)])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return workflow


@transaction.atomic
def blog_review_set(*, acting_user: AnyUser | None, blog: BlogPage, required: bool) -> None:
    """Turn "review before publishing" on or off for one blog.

    On: the blog's subtree gets the review workflow and its bloggers lose publish permission,
    so they submit and an editor approves or sends back with a comment. Off: the reverse.
    """
    permission_require(acting_user, MANAGE_BLOGGERS)
    group = blog_access_ensure(blog=blog)
    publish = _page_permission("publish_page")
    if required:
        WorkflowPage.objects.update_or_create(
            page=blog, defaults={"workflow": review_workflow_ensure()}
        )
        GroupPagePermission.objects.filter(group=group, page=blog, permission=publish).delete()
    else:
        WorkflowPage.objects.filter(page=blog).delete()
        GroupPagePermission.objects.get_or_create(group=group, page=blog, permission=publish)
