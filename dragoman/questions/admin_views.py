"""The live screen: where moderators and the official run a session (staff only)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import queries, services
from .forms import ModerationForm
from .models import Question, QuestionSessionPage


def _session_for(request: HttpRequest, session_id: int) -> QuestionSessionPage:
    session = QuestionSessionPage.objects.filter(pk=session_id, translation_of__isnull=True).first()
    if session is None:
        raise Http404("No such session")
    if not services.user_can_moderate(request.user, session=session):
        raise PermissionDenied
    return session


def sessions(request: HttpRequest) -> HttpResponse:
    """Every session, to open its live screen."""
    visible = [
        session
        for session in queries.moderatable_sessions()
        if services.user_can_moderate(request.user, session=session)
    ]
    # Whoever moderates questions or comments sees the list, empty or not (as the menu says).
    moderator = request.user.has_perm("questions.moderate_question") or request.user.has_perm(
        "conversations.moderate_comment"
    )
    if not visible and not moderator:
        raise PermissionDenied
    return render(
        request,
        "questions/admin/sessions.html",
        {
            "page_title": _("Question sessions"),
            "header_title": _("Question sessions"),
            "sessions": visible,
        },
    )


def live(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session_for(request, session_id)
    template = (
        "questions/admin/queue.html"
        if request.GET.get("part") == "queue"
        else "questions/admin/live.html"
    )
    context: dict[str, Any] = {
        "page_title": session.title,
        "header_title": session.title,
        "session": session,
        "queue": queries.moderation_queue(session=session),
        "message": "",
    }
    return render(request, template, context)


@require_POST
def act(request: HttpRequest, session_id: int, question_id: int) -> HttpResponse:
    session = _session_for(request, session_id)
    question = Question.objects.filter(pk=question_id, session=session).first()
    if question is None:
        raise Http404("No such question")
    form = ModerationForm(request.POST)
    message = ""
    if not form.is_valid():
        message = " ".join(str(error) for errors in form.errors.values() for error in errors)
    else:
        data = form.cleaned_data
        action = data["action"]
        user = request.user
        try:
            if action == "approve":
                services.question_approve(
                    acting_user=user, question=question, body=data["body"] or None
                )
            elif action == "edit":
                services.question_edit(acting_user=user, question=question, body=data["body"])
            elif action == "dismiss":
                services.question_dismiss(acting_user=user, question=question)
            elif action == "pin":
                services.question_pin(acting_user=user, question=question)
            elif action == "unpin":
                services.question_unpin(acting_user=user, question=question)
            elif action == "merge":
                into = Question.objects.filter(pk=data["into"] or 0, session=session).first()
                if into is None:
                    raise ValidationError(_("Give the number of a question of this session."))
                services.question_merge(acting_user=user, question=question, into=into)
            elif action == "answer":
                services.question_answer(acting_user=user, question=question, answer=data["answer"])
        except ValidationError as error:
            message = " ".join(error.messages)
    address = reverse("questions_admin:live", kwargs={"session_id": session.pk})
    if message:
        return _with_message(request, session, message)
    return redirect(f"{address}#question-{question.pk}")


def _with_message(request: HttpRequest, session: QuestionSessionPage, message: str) -> HttpResponse:
    context = {
        "page_title": session.title,
        "header_title": session.title,
        "session": session,
        "queue": queries.moderation_queue(session=session),
        "message": message,
    }
    return render(request, "questions/admin/live.html", context, status=400)
