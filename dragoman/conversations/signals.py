"""Signals only forward to services: settings edited in the admin bypass our services."""

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import services
from .models import BlogConversationSettings, NetworkConversationSettings


@receiver(post_save, sender=NetworkConversationSettings)
@receiver(post_save, sender=BlogConversationSettings)
@receiver(post_delete, sender=BlogConversationSettings)
def conversation_settings_saved(sender: Any, **kwargs: Any) -> None:
    services.conversation_settings_changed()
