from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuestionsConfig(AppConfig):
    name = "dragoman.questions"
    label = "questions"
    verbose_name = _("Question sessions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dragoman.blogs.feeds import network_feed_also
        from dragoman.conversations.queries import reply_report_extend
        from dragoman.core import scheduler
        from dragoman.core.changes import Moment, listen
        from dragoman.search.queries import search_find_also

        from . import dependencies, feeds, live, queries
        from .announcements import SessionChanged

        dependencies.register()
        # The queues' figures (received, answered, median wait) join the answering report.
        reply_report_extend("questions/admin/report.html", queries.report_context)
        # Transcripts are found by the site search and carried by the network's feeds, each
        # time by the public's rule (queries.transcripts(None)), read when asked.
        search_find_also(queries.matching_transcripts)
        network_feed_also(feeds.network_feed_items)
        # Readers' open streams hear of every change of a session at once (Redis pub/sub
        # when the cache is Redis; otherwise each process reads the event table).
        listen(SessionChanged, live.announcement_publish, moment=Moment.AFTER_COMMIT)
        # Votes are kept only while a session runs: forgotten once it has ended.
        scheduler.every(scheduler.INTERVAL_SECONDS, "questions-forget-votes")
