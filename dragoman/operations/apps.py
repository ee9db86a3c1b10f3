from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "dragoman.operations"
    label = "operations"
    verbose_name = "Operations"

    def ready(self) -> None:
        from dragoman.core import scheduler
        from dragoman.publishing import served

        from . import locks, metrics

        # The page cache's answers, told with every public page served (one call on a hit,
        # the hook the evaluation's counting uses too); see metrics.py.
        served.watch(metrics.page_served)
        # Periodic jobs once per cluster, however many schedulers run (locks.py).
        scheduler.claim_provide(locks.scheduled_run_claim)
