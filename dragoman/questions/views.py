"""Readers' side of question sessions: ask a question, vote, add the session to a calendar.

Session pages come from the shared page cache and set no cookie, so the forms carry the
comments' defences instead of a CSRF token (``dragoman.conversations.defences``): the
Origin/Referer check, a signed timestamp, a honeypot and a rate limit per keyed hash of the
client. Every answer is a redirect back to the page (or a page saying what was refused).
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from dragoman.conversations import defences
from dragoman.conversations.public_views import form_again, refusal_page, submission_refused
from dragoman.core.counters import count_in_window

from . import calendar, queries, services
from .forms import QuestionForm
from .models import Question, QuestionSessionPage

VOTE_RATE_KEY = "questions:votes:{client}"
FORM_PAGE = "questions/question_form_page.html"
REFUSED_PAGE = "questions/refused.html"


def _public_session(session_id: int) -> QuestionSessionPage:
    session = QuestionSessionPage.objects.visible(None).filter(pk=session_id).first()
    if session is None:
        raise Http404("No such session")
    return session


def voter_hash(request: HttpRequest, session_id: int) -> str:
    """Who voted, as a keyed hash of the client and the session: the same reader gets the same
    value all through one session and a different one in the next; no address is kept."""
    client = defences.client_hash(defences.client_address(request))
    return hmac.new(
        settings.SECRET_KEY.encode(), f"vote:{session_id}:{client}".encode(), hashlib.sha256
    ).hexdigest()


# No CSRF cookie on cached pages: the Origin/Referer check and the signed stamp stand in
# for it (see dragoman/conversations/defences.py).
@csrf_exempt
@never_cache
@require_POST
def question_create(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _public_session(session_id)
    form = QuestionForm(request.POST, session_id=session.pk)
    refused = submission_refused(
        request,
        form,
        target_id=session.pk,
        closed="" if session.accepts_questions() else _("This session no longer takes questions."),
        form_page=FORM_PAGE,
        refused_page=REFUSED_PAGE,
        session=session,
    )
    if refused is not None:
        return refused
    try:
        services.question_ask(
            session=session,
            name=form.cleaned_data["name"],
            body=form.cleaned_data["body"],
            ip_hash=defences.client_hash(defences.client_address(request)),
        )
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
        return form_again(request, form, FORM_PAGE, session=session)
    # Committed: only now is the reader thanked.
    return render(request, "questions/thanks.html", {"session": session})


@csrf_exempt
@never_cache
@require_POST
def question_vote(request: HttpRequest, session_id: int, question_id: int) -> HttpResponse:
    session = _public_session(session_id)
    question = Question.objects.filter(pk=question_id, session=session).first()
    if question is None:
        raise Http404("No such question")
    try:
        defences.check_origin(request)
        defences.check_honeypot(request.POST.get("website", ""))
        defences.check_stamp(request, stamp=request.POST.get("stamp", ""), entry_id=session.pk)
        if not defences.benchmark_mode(request):
            count, period = vote_rate_limit()
            key = VOTE_RATE_KEY.format(
                client=defences.client_hash(defences.client_address(request))
            )
            if count_in_window(key, period=period) > count:
                raise defences.Refusal(
                    _("You have voted many times in a short time. Please wait a few minutes."),
                    status=429,
                )
    except defences.Refusal as refusal:
        return refusal_page(request, refusal, REFUSED_PAGE, session=session)
    try:
        services.question_vote(question=question, voter=voter_hash(request, session.pk))
    except ValidationError as error:
        return refusal_page(
            request,
            defences.Refusal(" ".join(error.messages), status=409),
            REFUSED_PAGE,
            session=session,
        )
    # Whether counted or already counted, the reader goes back to the question.
    return redirect(f"{session.url}#question-{question.pk}")


def vote_rate_limit() -> tuple[int, int]:
    return (
        int(getattr(settings, "DRAGOMAN_QUESTION_VOTE_RATE_COUNT", 60)),
        int(getattr(settings, "DRAGOMAN_QUESTION_VOTE_RATE_PERIOD", 600)),
    )


# The calendar file changes when the session's page does: a browser may keep it an hour.
@cache_control(public=True, max_age=3600)
@require_GET
def session_ics(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _public_session(session_id)
    response = HttpResponse(
        calendar.session_ics(session, url=request.build_absolute_uri(session.url)),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="session-{session.pk}.ics"'
    return response


@never_cache
@require_GET
def session_live(request: HttpRequest, page_id: int) -> HttpResponse:
    """For the live process (``live.py``), before it opens a stream: whether the public may see
    this session page (404 if not), the session whose events it follows and its translated
    wording. The rule stays here, on the QuerySet (``queries.live_version``); the live process,
    which loads no model, asks."""
    found = queries.live_version(page_id)
    if found is None:
        raise Http404
    session_id, translated = found
    return JsonResponse(
        {
            "session": session_id,
            "translated": [[question, *wording] for question, wording in translated.items()],
        },
        json_dumps_params={"ensure_ascii": False},
    )
