"""The digital team's access pages in the Wagtail admin, and the invitation link."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView
from wagtail.admin.views import account
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from dragoman.blogs.models import Blogger, BlogPage

from . import queries, services
from .forms import GrantForm, InviteForm, ProfileForm, RevokeForm


class ManageBloggersMixin(WagtailAdminTemplateMixin):
    header_icon = "group"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.has_perm(services.MANAGE_BLOGGERS):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class AccessIndexView(ManageBloggersMixin, TemplateView):
    template_name = "authoring/access_index.html"
    page_title = gettext_lazy("Permission to blog")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["bloggers"] = queries.access_overview()
        context["blogs"] = queries.blogs_with_review()
        return context


class InviteView(ManageBloggersMixin, FormView):
    template_name = "authoring/invite.html"
    page_title = gettext_lazy("Invite a blogger")
    form_class = InviteForm

    def form_valid(self, form: InviteForm) -> HttpResponse:
        try:
            invitation = services.blogger_invite(acting_user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(email)s is invited; they have 72 hours to choose a password.")
            % {"email": invitation.user.email},
        )
        return redirect("authoring_access")


class BloggerAccessView(ManageBloggersMixin, TemplateView):
    """Grant more blogs to one blogger, or take some away."""

    template_name = "authoring/blogger_access.html"
    page_title = gettext_lazy("Permission to blog")

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.blogger = get_object_or_404(
            Blogger.objects.select_related("user"), pk=kwargs["blogger_id"], user__isnull=False
        )

    def get_page_subtitle(self) -> str:
        return self.blogger.display_name

    def forms(self, data: Any = None) -> tuple[GrantForm, RevokeForm]:
        granted = queries.blogs_of_user(self.blogger.user)
        grant = GrantForm(
            data if data and "grant" in data else None,
            blogs=BlogPage.objects.exclude(pk__in=granted).order_by("title"),
            prefix="grant",
        )
        revoke = RevokeForm(
            data if data and "revoke" in data else None, blogs=granted, prefix="revoke"
        )
        return grant, revoke

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        grant, revoke = kwargs.get("forms") or self.forms()
        context.update(blogger=self.blogger, grant_form=grant, revoke_form=revoke)
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        grant, revoke = self.forms(request.POST)
        if grant.is_bound and grant.is_valid():
            services.blogger_grant(
                blogger=self.blogger, blogs=grant.cleaned_data["blogs"], acting_user=request.user
            )
            messages.success(request, _("Permission to blog granted."))
            return redirect("authoring_access")
        if revoke.is_bound and revoke.is_valid():
            services.blogger_revoke(
                acting_user=request.user,
                blogger=self.blogger,
                blogs=list(revoke.cleaned_data["blogs"]),
            )
            messages.success(
                request,
                _("Permission to blog revoked; %(name)s's entries stay published.")
                % {"name": self.blogger.display_name},
            )
            return redirect("authoring_access")
        return self.render_to_response(self.get_context_data(forms=(grant, revoke)), status=400)


class ProfileView(WagtailAdminTemplateMixin, FormView):
    """A blogger's own public profile (name, job title, photo, biography)."""

    template_name = "authoring/profile.html"
    page_title = gettext_lazy("My public profile")
    header_icon = "user"
    form_class = ProfileForm

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.blogger = get_object_or_404(Blogger, user_id=request.user.pk)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": self.blogger}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "blogger": self.blogger}

    def form_valid(self, form: ProfileForm) -> HttpResponse:
        data = {name: form.cleaned_data[name] for name in services.PROFILE_FIELDS}
        services.blogger_profile_update(acting_user=self.request.user, blogger=self.blogger, **data)
        messages.success(self.request, _("Your public profile is saved."))
        return redirect("authoring_profile")


@require_POST
def blog_review(request: HttpRequest, blog_id: int) -> HttpResponse:
    """Turn "review before publishing" on or off for one blog."""
    blog = get_object_or_404(BlogPage, pk=blog_id)
    required = request.POST.get("required") == "on"
    services.blog_review_set(acting_user=request.user, blog=blog, required=required)
    if required:
        message = _("Entries on “%(blog)s” now need the digital team's approval.")
    else:
        message = _("Bloggers on “%(blog)s” publish by themselves again.")
    messages.success(request, message % {"blog": blog.title})
    return redirect("authoring_access")


@sensitive_post_parameters()
@never_cache
def invitation_accept(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The one-time link: choose a password, then go straight to writing."""
    user = services.invitation_user(uidb64=uidb64, token=token)
    if user is None:
        return render(request, "authoring/invitation_invalid.html", status=410)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(user=user, password=form.cleaned_data["new_password1"])
        except services.LinkUsed:
            # Someone sent the form with this link a moment earlier: theirs counts.
            return render(request, "authoring/invitation_invalid.html", status=410)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome! Your password is set."))
        return redirect(reverse("wagtailadmin_home"))
    return render(
        request,
        "authoring/invitation_accept.html",
        {"form": form, "invited_user": user},
        status=400 if form.is_bound else 200,
    )


class PasswordResetConfirmView(account.PasswordResetConfirmView):
    """Wagtail's "choose a new password" step, with the link consumed once in the database.

    Django checks the reset token, then saves the password: two requests sent at the same
    moment both pass the check. The password is written by `password_reset_complete`, which
    lets exactly one of them through.
    """

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            services.password_reset_complete(
                user=form.user, password=form.cleaned_data["new_password1"]
            )
        except services.LinkUsed:
            context = self.get_context_data(form=None, validlink=False)
            return self.render_to_response(context, status=410)
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        # Wagtail's reset does not sign the person in (post_reset_login is off): they sign in.
        return redirect(self.get_success_url())
