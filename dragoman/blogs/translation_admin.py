"""Editors' translation tools in the Wagtail admin: start a translation, see what is missing."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin.auth import user_has_any_page_permission

from . import services, translations
from .models import EntryPage

REPORT_PAGE_SIZE = 50


def entry_translate(request: HttpRequest, entry_id: int) -> HttpResponse:
    """Ask for a language (GET), then create the draft translation and open it (POST)."""
    entry = get_object_or_404(EntryPage, pk=entry_id)
    if not entry.get_parent().permissions_for_user(request.user).can_add_subpage():
        raise PermissionDenied
    choices = translations.missing_languages(entry)
    context = {"entry": entry, "choices": choices, "header_title": _("Translate")}
    if request.method != "POST":
        return render(request, "blogs/admin/entry_translate.html", context)
    language = request.POST.get("language", "")
    try:
        draft = services.entry_translation_create(
            # The admin's URLs only ever reach signed-in users.
            entry=entry,
            language=language,
            acting_user=cast(AbstractBaseUser, request.user),
        )
    except ValidationError as error:
        context["error"] = " ".join(error.messages)
        return render(request, "blogs/admin/entry_translate.html", context, status=400)
    messages.success(
        request,
        _("Draft translation created. Translate it, then publish it when it is ready."),
    )
    return redirect("wagtailadmin_pages:edit", draft.pk)


def may_translate(user: Any) -> bool:
    """Whoever may write a page somewhere; moderators, who judge comments only, may not."""
    return bool(user_has_any_page_permission(user))


def translations_missing(request: HttpRequest) -> HttpResponse:
    """Entries lacking a version in one interface language, newest first."""
    if not may_translate(request.user):
        raise PermissionDenied
    codes = [code for code, _name in settings.LANGUAGES]
    language = request.GET.get("language") or next(
        code for code in codes if code != settings.LANGUAGE_CODE
    )
    if language not in codes:
        return render(
            request,
            "blogs/admin/translations_missing.html",
            {"error": _("Unknown language."), "languages": settings.LANGUAGES},
            status=400,
        )
    paginator = Paginator(
        translations.entries_lacking_translation(language=language, user=request.user),
        REPORT_PAGE_SIZE,
    )
    try:
        entries = paginator.page(request.GET.get("p") or 1)
    except (EmptyPage, PageNotAnInteger) as error:
        raise Http404(str(error)) from error
    return render(
        request,
        "blogs/admin/translations_missing.html",
        {
            "entries": entries,
            "language": language,
            "languages": settings.LANGUAGES,
            "header_title": _("Entries to translate"),
            "report_url": reverse("blogs_translations_missing"),
        },
    )
