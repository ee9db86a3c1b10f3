from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SubscriptionsConfig(AppConfig):
    name = "dragoman.subscriptions"
    label = "subscriptions"
    verbose_name = _("Email subscriptions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dragoman.blogs.announcements import EntryChanged
        from dragoman.core import scheduler
        from dragoman.core.changes import Moment, listen

        from . import bounces, sending

        # Deliveries are queued by a task after the entry's commit: the publish request only
        # adds one row to the task queue, whatever the number of subscribers.
        listen(EntryChanged, sending.entry_changed_queue, moment=Moment.TASK)
        bounces.connect()
        # A safety net for the task chain: sends what is queued (after a crash, a restart,
        # a mail server that was away) and releases the claims of a worker that died.
        scheduler.every(scheduler.INTERVAL_SECONDS, "subscriptions-send")
        scheduler.every(60 * 60, "subscriptions-digest")
        scheduler.every(scheduler.DAY_SECONDS, "subscriptions-purge")
        scheduler.every(15 * 60, "subscriptions-bounces")
        post_migrate.connect(digital_team_permission_grant, sender=self)


def digital_team_permission_grant(**kwargs: object) -> None:
    """The digital team sees the counts and answers people's data requests."""
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    group = Group.objects.filter(name="Digital team").first()
    if group is None:
        return
    content_type = ContentType.objects.get_for_model(apps.get_model("subscriptions", "Subscriber"))
    permission, _created = Permission.objects.get_or_create(
        content_type=content_type,
        codename="manage_subscribers",
        defaults={"name": "Can see subscription counts, export and erase addresses"},
    )
    group.permissions.add(permission)
