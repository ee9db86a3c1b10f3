"""Factories for the network's objects, built through the services like real content.

`EntryFactory(live=True)` gives a published entry on a new blog, with one author.
"""

from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone

from dragoman.blogs import services
from dragoman.blogs.models import Blogger, BlogPage, EntryPage
from dragoman.missions.models import Mission
from dragoman.questions import services as questions
from dragoman.questions.models import QuestionSessionPage


class MissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mission
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Embassy in City {n}")
    slug = factory.Sequence(lambda n: f"mission-{n}")
    kind = Mission.Kind.EMBASSY
    city = factory.Sequence(lambda n: f"City {n}")
    country = "Testland"
    country_code = "TL"
    continent = "europe"


class BloggerFactory(factory.Factory):
    class Meta:
        model = Blogger

    display_name = factory.Sequence(lambda n: f"Blogger {n}")
    slug = factory.Sequence(lambda n: f"blogger-{n}")
    job_title = "Press Officer"
    mission = factory.SubFactory(MissionFactory)
    bio = "Writes from the embassy."

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Blogger:
        return services.blogger_create(**kwargs)


class BlogFactory(factory.Factory):
    class Meta:
        model = BlogPage

    title = factory.Sequence(lambda n: f"Blog {n}")
    slug = factory.Sequence(lambda n: f"blog-{n}")
    description = "Notes from a mission."
    mission = factory.SubFactory(MissionFactory)
    bloggers = factory.LazyFunction(lambda: [BloggerFactory()])

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> BlogPage:
        _home, index = services.network_ensure()
        return services.blog_create(index=index, **kwargs)


class EntryFactory(factory.Factory):
    """An entry; `live=False` leaves it as a draft."""

    class Meta:
        model = EntryPage

    live = True
    blog = factory.SubFactory(BlogFactory)
    title = factory.Sequence(lambda n: f"Entry number {n}")
    summary = "A short summary of the entry."
    body = factory.LazyFunction(lambda: [("paragraph", "<p>The body of the entry.</p>")])
    authors = factory.LazyAttribute(lambda o: list(o.blog.bloggers.all()))
    # Each entry a day newer than the one before, up to now: never in the future, where an
    # entry is scheduled and no reader finds it (a long run makes more than 1,000 entries).
    date = factory.Sequence(lambda n: timezone.now() - timedelta(days=max(1000 - n, 1)))
    tags: Any = ()
    language = "en"

    @classmethod
    def _create(cls, model_class: type, *args: Any, live: bool = True, **kwargs: Any) -> EntryPage:
        return services.entry_create(publish=live, **kwargs)


class ChannelFactory(factory.Factory):
    """An official channel of a new mission, saved through the register's service."""

    class Meta:
        model = "channels.Channel"

    platform = "x"
    handle = factory.Sequence(lambda n: f"dgm_test_{n}")
    blogger = None
    # An official's channel (blogger=...) has no mission of its own.
    mission = factory.Maybe(
        "blogger", yes_declaration=None, no_declaration=factory.SubFactory(MissionFactory)
    )
    languages = "en"

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Any:
        from dragoman.channels.services import channel_create

        return channel_create(**kwargs)


class QuestionSessionFactory(factory.Factory):
    """A published question session taking questions now (it began ten minutes ago and ends
    in an hour), under a new blog with its bloggers answering; `parent=` another blog, or
    the network's home page (`services.network_ensure()[0]`), where it has no officials."""

    class Meta:
        model = QuestionSessionPage

    parent = factory.SubFactory(BlogFactory)
    title = factory.Sequence(lambda n: f"Ask the ambassador {n}")
    summary = "The ambassador answers your questions about the new visa rules."
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(minutes=10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=1, minutes=10))
    language = "en"
    officials = factory.LazyAttribute(
        lambda o: list(o.parent.bloggers.all()) if isinstance(o.parent, BlogPage) else []
    )

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> QuestionSessionPage:
        return questions.session_create(**kwargs)
