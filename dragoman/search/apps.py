from django.apps import AppConfig


class SearchConfig(AppConfig):
    # "search" does not clash with Wagtail's own search app, whose label is "wagtailsearch".
    name = "dragoman.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from dragoman.blogs.announcements import (
            BlogChanged,
            BloggerChanged,
            EntriesChanged,
            EntryChanged,
            SectionPrivacyChanged,
        )
        from dragoman.core.changes import Moment, listen
        from dragoman.core.replicas import lagging_reads_allow

        from . import services

        # Search answers anonymous readers from a read replica, when there is one: a second's
        # lag is invisible there, and it is the heaviest public read.
        lagging_reads_allow("search:search")
        lagging_reads_allow("search:feed")

        # The search document is a copy of the entry: kept inside the change's transaction.
        listen(EntryChanged, services.entry_changed_index, moment=Moment.IN_TRANSACTION)
        listen(EntriesChanged, services.entries_changed_index, moment=Moment.IN_TRANSACTION)
        listen(BlogChanged, services.blog_changed_index, moment=Moment.IN_TRANSACTION)
        listen(BloggerChanged, services.blogger_changed_index, moment=Moment.IN_TRANSACTION)
        listen(
            SectionPrivacyChanged,
            services.section_privacy_changed_index,
            moment=Moment.IN_TRANSACTION,
        )
