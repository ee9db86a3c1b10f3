"""The demo's question sessions: one coming up with questions waiting, one finished whose
transcript is published in English and in French.

Every name and word here is invented. Questions and answers go through the services, as a
reader's and an official's would; only the clock is set back for the finished session.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from dragoman.blogs.models import BlogPage, HomePage

from . import services

UPCOMING_QUESTIONS = [
    ("Amina", "Will the embassy open a second visa office outside the capital?"),
    ("", "How can students apply for the new exchange scholarships?"),
    ("Tomás", "What is the embassy doing about the river clean-up agreement?"),
    ("", "Can families of staff members join the cultural week events?"),
]

FINISHED = [
    (
        "Layla",
        "When do the new visa rules apply?",
        "From the first of March. Applications sent before then follow the old rules.",
        "Quand les nouvelles règles de visa s'appliquent-elles ?",
        "À partir du premier mars. Les demandes envoyées avant suivent les anciennes règles.",
    ),
    (
        "",
        "Is there a way to follow the trade fair online?",
        "Yes: every talk is streamed on the embassy's channels and recorded.",
        "Peut-on suivre la foire commerciale en ligne ?",
        "Oui : chaque intervention est diffusée sur les chaînes de l'ambassade et enregistrée.",
    ),
    (
        "Jonas",
        "What did you learn in your first year in the country?",
        "That a cup of tea opens more doors than any speech.",
        "Qu'avez-vous appris pendant votre première année dans le pays ?",
        "Qu'une tasse de thé ouvre plus de portes que n'importe quel discours.",
    ),
]


def demo_questions_build(
    *, now: datetime | None = None, report: Callable[[str], None] = print
) -> None:
    now = now or timezone.now()
    moderator = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    blog = BlogPage.objects.filter(language="en").order_by("pk").first()
    parent = blog or HomePage.objects.first()
    officials = list(blog.bloggers.all()[:1]) if blog is not None else []

    upcoming = services.session_create(
        parent=parent,
        title="Ask the ambassador: the year ahead",
        summary="The ambassador answers your questions live about the embassy's plans for the year.",
        starts_at=now + timedelta(days=3),
        ends_at=now + timedelta(days=3, hours=1),
        officials=officials,
        time_zone="Europe/London",
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    )
    asked = [
        services.question_ask(session=upcoming, name=name, body=body)
        for name, body in UPCOMING_QUESTIONS
    ]
    # Two approved (readers vote for them); the others wait for a moderator.
    for question in asked[:2]:
        services.question_approve(acting_user=moderator, question=question)

    start = now - timedelta(days=10)
    finished = services.session_create(
        parent=parent,
        title="Ask the ambassador: visas and the trade fair",
        summary="An hour of questions from the public about visas, trade and life at the embassy.",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        officials=officials,
        time_zone="Europe/London",
    )
    translated = []
    for number, (name, body, answer, body_fr, answer_fr) in enumerate(FINISHED):
        question = services.question_ask(
            session=finished, name=name, body=body, now=start - timedelta(hours=5 - number)
        )
        question = services.question_approve(acting_user=moderator, question=question)
        question = services.question_answer(
            acting_user=moderator,
            question=question,
            answer=answer,
            now=start + timedelta(minutes=10 + 15 * number),
        )
        translated.append((question, body_fr, answer_fr))
    services.session_create(
        parent=parent,
        title="Questions à l'ambassadeur : visas et foire commerciale",
        summary="Une heure de questions du public sur les visas, le commerce et la vie à l'ambassade.",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        officials=officials,
        time_zone="Europe/London",
        language="fr",
        translation_of=finished,
        translated=translated,
    )
    report("2 question sessions (one upcoming, one transcript in English and French)")
