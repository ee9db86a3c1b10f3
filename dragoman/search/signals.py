"""Wagtail's and Django's signals, forwarded to the search services; no rule lives here."""

from typing import Any

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished, post_page_move


def entry_published(sender: Any, instance: Any, **kwargs: Any) -> None:
    from . import services

    services.entry_index(entry=instance)


def entry_unpublished(sender: Any, instance: Any, **kwargs: Any) -> None:
    from . import services

    services.entry_unindex(entry_id=instance.pk)


def entry_moved(sender: Any, instance: Any, **kwargs: Any) -> None:
    from . import services

    services.entry_index(entry=instance.specific)


def blog_published(sender: Any, instance: Any, **kwargs: Any) -> None:
    from . import services

    services.blog_reindex(blog=instance)


def blogger_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    from . import services

    services.blogger_reindex(blogger=instance)


def connect() -> None:
    from dragoman.blogs.models import Blogger, BlogPage, EntryPage

    page_published.connect(entry_published, sender=EntryPage, dispatch_uid="search_publish")
    page_unpublished.connect(entry_unpublished, sender=EntryPage, dispatch_uid="search_unpub")
    post_delete.connect(entry_unpublished, sender=EntryPage, dispatch_uid="search_delete")
    post_page_move.connect(entry_moved, sender=EntryPage, dispatch_uid="search_move")
    page_published.connect(blog_published, sender=BlogPage, dispatch_uid="search_blog")
    post_save.connect(blogger_saved, sender=Blogger, dispatch_uid="search_blogger")
