"""Demo subscribers: a few confirmed readers following blogs, a tag and a language, each
entry or as digests. The demo sends mail to its console (EMAIL_URL's default,
``consolemail://``), so a newcomer who publishes an entry sees the messages go out there."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from dragoman.blogs.models import BlogPage

from . import links, services
from .models import Follow, Frequency, Subscriber


@transaction.atomic
def demo_subscriptions_build(*, report: Callable[[str], object]) -> None:
    blogs = list(BlogPage.objects.live().order_by("pk")[:2])
    if not blogs or Subscriber.objects.exists():
        return
    readers = [
        ("reader.each@example.org", "en", Frequency.EACH, [("blog", str(blogs[0].pk))]),
        ("lecteur.daily@example.org", "fr", Frequency.DAILY, [("language", "fr")]),
        ("qari.weekly@example.org", "ar", Frequency.WEEKLY, [("language", "ar")]),
        (
            "reader.tags@example.org",
            "en",
            Frequency.EACH,
            [("blog", str(blogs[-1].pk)), ("language", "en")],
        ),
    ]
    first = None
    for email, language, frequency, follows in readers:
        kind, value = follows[0]
        subscriber = services.subscription_request(
            email=email, kind=kind, value=value, frequency=frequency, language=language
        )
        assert subscriber is not None
        services.subscriber_confirm(subscriber=subscriber)
        for kind, value in follows[1:]:
            services.follow_add(subscriber=subscriber, kind=kind, value=value)
        first = first or subscriber
    report(
        f"{Subscriber.objects.count()} email subscribers ({Follow.objects.count()} follows); "
        "messages print to this console. A subscriber's page: "
        f"{links.manage_url(first) if first else ''}"
    )
