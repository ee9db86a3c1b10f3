"""Responses personal to a member never go to a shared cache."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control

from .privacy import is_marked_private

# Members' and sign-in pages, under any language prefix.
# Where a second factor is required of those who must have one.
GUARDED = re.compile(r"^/(?:admin/|django-admin/|(?:[a-z]{2}(?:-[a-z]+)?/)?members/)")
MEMBER_PAGE = re.compile(r"^/(?:[a-z]{2}(?:-[a-z]+)?/)?(?:members|accounts)/")


class MemberPagesMiddleware:
    """`Cache-Control: private, no-store` on members' pages, sign-in pages, and a community
    blog's pages served by Wagtail (marked by the `before_serve_page` hook).

    Also on any other page rendered for a signed-in person outside the admin: such a page may
    list entries of their private blogs (the one visibility rule lets members see them), so
    no shared cache may keep it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        path = request.path_info
        personal = is_marked_private(request) or bool(MEMBER_PAGE.match(path))
        if not personal and not path.startswith(("/admin/", "/django-admin/")):
            # Only asks for the user when a session cookie came: a public request loads none.
            user = getattr(request, "user", None)
            personal = bool(request.COOKIES and user is not None and user.is_authenticated)
        if personal:
            response.headers.pop("Expires", None)
            cache_control = response.headers.get("Cache-Control", "")
            if "no-store" not in cache_control or "private" not in cache_control:
                response.headers.pop("Cache-Control", None)
                patch_cache_control(response, private=True, no_store=True)
        return response


class SecondFactorRequiredMiddleware:
    """Members of the groups named in DRAGOMAN_MFA_REQUIRED_GROUPS (the digital team) must
    use a second factor to reach the admin and the members' pages.

    Without an authenticator they are sent to set one up (TOTP, with recovery codes); with one
    but a session that was not opened with it (a password alone, e.g. at the admin's own
    sign-in form), they are signed out and sent to the sign-in, which asks for both.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        refusal = self.refusal(request)
        return refusal if refusal is not None else self.get_response(request)

    def refusal(self, request: HttpRequest) -> HttpResponseBase | None:
        groups = settings.DRAGOMAN_MFA_REQUIRED_GROUPS
        if not groups or not GUARDED.match(request.path_info):
            return None
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None  # nobody signed in: nothing to ask
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if not user.groups.filter(name__in=groups).exists():
            return None
        from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
        from allauth.mfa.models import Authenticator

        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            return redirect("mfa_activate_totp")
        records = request.session.get(AUTHENTICATION_METHODS_SESSION_KEY) or []
        if not any(record.get("method") == "mfa" for record in records):
            logout(request)
            return redirect(f"{reverse('account_login')}?next={request.path}")
        return None
