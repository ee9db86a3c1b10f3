from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "dragoman.evaluation"
    label = "evaluation"
    verbose_name = _("Evaluation")

    def ready(self) -> None:
        from django.conf import settings

        from dragoman.blogs.sharing import share_watch
        from dragoman.core.scheduler import every
        from dragoman.publishing import served
        from dragoman.search.queries import search_watch

        from . import classify, counting

        if settings.DRAGOMAN_COUNTING:
            counting.Limits.read()
            # The crawlers' list compiles into regular expressions in about half a second:
            # at start-up, not in a reader's request.
            classify.warm()
            served.watch(counting.page_served)
            search_watch(counting.searched)
            share_watch(counting.share_clicked)
        # Closing a day (readers counted, marks and salt destroyed) soon after midnight, the
        # retention roll-up, and the monthly reports on the first day.
        every(10 * 60, "evaluation-close-days")
        every(60 * 60, "evaluation-monthly-reports")
