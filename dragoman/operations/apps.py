from django.apps import AppConfig
from django.conf import settings


class OperationsConfig(AppConfig):
    name = "dragoman.operations"
    label = "operations"
    verbose_name = "Operations"

    def ready(self) -> None:
        from dragoman.core import scheduler
        from dragoman.publishing import served

        from . import locks, metrics

        # The page cache's answers, told with every public page served (one call on a hit,
        # the hook the evaluation's counting uses too); see metrics.py. Without the page cache
        # there is nothing to count, and a watcher would make every render work out what it
        # shows for nothing.
        if settings.DRAGOMAN_PAGE_CACHE:
            served.watch(metrics.page_served)
        # Periodic jobs once per cluster, however many schedulers run (locks.py).
        scheduler.claim_provide(locks.scheduled_run_claim)
