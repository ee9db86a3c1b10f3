"""Readers' side of conversations: send a comment, the thank-you page, the policy page."""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from dragoman.blogs.models import EntryPage
from dragoman.blogs.queries import blog_of, live_entries

from . import defences, queries, services
from .forms import CommentForm
from .models import Comment
from .public_views import form_again, refusal_page, submission_refused

THANKS_SALT = "dragoman.conversations.thanks"
FORM_PAGE = "conversations/comment_form_page.html"
REFUSED_PAGE = "conversations/refused.html"


def comment_token(comment: Comment) -> str:
    """The private address of a comment's thank-you page: whoever holds it may withdraw it."""
    return signing.dumps(comment.pk, salt=THANKS_SALT)


def _live_entry(entry_id: int) -> EntryPage:
    entry = live_entries().filter(pk=entry_id).first()
    if entry is None:
        raise Http404("No such entry")
    return entry


# Entry pages come from a shared page cache and set no cookie, so there is no CSRF cookie to
# check. The form is protected instead by the Origin/Referer check and the signed timestamp
# (see defences.py), which together stop another site from posting through a visitor.
@csrf_exempt
@never_cache
@require_POST
def comment_create(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _live_entry(entry_id)
    form = CommentForm(request.POST, entry_id=entry.pk)
    blog = blog_of(entry)
    state = queries.conversation_state(entry=entry, blog=blog)
    refused = submission_refused(
        request,
        form,
        target_id=entry.pk,
        closed="" if state.is_open else (state.banner or state.closed_message),
        form_page=FORM_PAGE,
        refused_page=REFUSED_PAGE,
        entry=entry,
    )
    if refused is not None:
        return refused
    data = form.cleaned_data
    spam = defences.akismet_says_spam(
        request=request, name=data["name"], email=data["email"], body=data["body"]
    )
    try:
        comment = services.comment_submit(
            entry=entry,
            blog=blog,
            name=data["name"],
            email=data["email"],
            body=data["body"],
            notify=data["notify"],
            ip_hash=defences.client_hash(defences.client_address(request)),
            mode=state.mode,
            spam=spam,
        )
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
        return form_again(request, form, FORM_PAGE, entry=entry)
    # The comment is committed; only now is the reader thanked. No cookie, no flash message:
    # the thank-you page is addressed by a signed token that also lets the reader withdraw it.
    return redirect("conversations:thanks", token=comment_token(comment))


# Withdrawing needs no CSRF cookie either: the signed token in the address is the secret
# that proves the right to withdraw, and a forging site cannot know it.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def thanks(request: HttpRequest, token: str) -> HttpResponse:
    try:
        comment_id = signing.loads(token, salt=THANKS_SALT)
    except signing.BadSignature as error:
        raise Http404("No such comment") from error
    comment = Comment.objects.select_related("entry").filter(pk=comment_id).first()
    if comment is None:
        raise Http404("No such comment")
    if request.method == "POST":
        try:
            defences.check_origin(request)
        except defences.Refusal as refusal:
            return refusal_page(request, refusal, REFUSED_PAGE, entry=comment.entry)
        services.comment_withdraw(comment=comment)
        return redirect(reverse("conversations:thanks", kwargs={"token": token}))
    response = render(request, "conversations/thanks.html", {"comment": comment})
    # The address is a private key to the comment: keep it out of other sites' logs. Not
    # "no-referrer": browsers would then send "Origin: null" with the withdraw button.
    response["Referrer-Policy"] = "same-origin"
    return response


# The policy changes only with a release: a browser or CDN may keep it for an hour.
@cache_control(public=True, max_age=3600)
def policy(request: HttpRequest) -> HttpResponse:
    return render(request, "conversations/policy.html")
