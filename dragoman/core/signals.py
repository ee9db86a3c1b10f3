"""Forward changes of the network's name (made in the admin's settings) to the service."""

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import services
from .models import NetworkName, NetworkSettings


@receiver(post_save, sender=NetworkSettings)
@receiver(post_save, sender=NetworkName)
@receiver(post_delete, sender=NetworkName)
def network_names_changed(**kwargs: Any) -> None:
    services.network_names_refresh()
