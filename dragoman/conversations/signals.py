"""Signals only forward to services: settings edited in the admin bypass our services."""

from typing import Any

from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import services
from .models import BlogConversationSettings, NetworkConversationSettings


def _as_by_default(instance: Model) -> bool:
    """Every field holds its default: what readers saw before the row existed."""
    return all(
        getattr(instance, field.attname) == field.get_default()
        for field in instance._meta.concrete_fields
        if field.has_default() and not field.primary_key
    )


@receiver(post_save, sender=NetworkConversationSettings)
@receiver(post_save, sender=BlogConversationSettings)
@receiver(post_delete, sender=BlogConversationSettings)
def conversation_settings_saved(sender: Any, instance: Model, **kwargs: Any) -> None:
    # The network's settings are made on first read (Wagtail's settings `load`), often while
    # a page renders: made as they were, they change nothing and refresh nothing.
    if kwargs.get("created") and _as_by_default(instance):
        return
    services.conversation_settings_changed()
