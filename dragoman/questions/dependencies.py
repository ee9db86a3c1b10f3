"""What the question sessions' public pages show, named as dependencies for the page cache.

``session(pk)``: the session's page and its translations' (questions, votes, answers, the
waiting count). Transcripts also appear in the network's feeds and sitemap (``blogs``'
``FEEDS`` and ``SITEMAP``) once their session has ended.
"""

from __future__ import annotations

from dragoman.core.changes import Dependency


def session(pk: int | str) -> Dependency:
    return Dependency("session", str(pk))


def _session_paths(key: str) -> list[str]:
    from .models import QuestionSessionPage

    found = QuestionSessionPage.objects.filter(pk=int(key)).first()
    return [found.url] if found is not None and found.url else []


def register() -> None:
    from dragoman.publishing.dependencies import addresses, cacheable_page_type, cacheable_route

    from .models import QuestionSessionPage

    # A translated transcript shows the original's questions: both pages depend on it.
    cacheable_page_type(
        QuestionSessionPage,
        lambda page: [
            session(page.pk),
            *([session(page.translation_of_id)] if page.translation_of_id else []),
        ],
    )
    cacheable_route("questions:feed", lambda kw: [Dependency("feeds")])
    addresses("session", _session_paths)
