from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "dragoman.publishing"
    label = "publishing"
    verbose_name = "Publishing"

    def ready(self) -> None:
        from dragoman.core import languages, queries
        from dragoman.core.changes import ContentChanged, Moment, listen

        from . import fragments, services, signals
        from .dependencies import cacheable_route, request_dependencies

        signals.connect()
        listen(ContentChanged, services.content_changed_mark, moment=Moment.IN_TRANSACTION)
        listen(ContentChanged, services.content_changed_refresh)
        cacheable_route("robots_txt", lambda kwargs: [])
        # A page the cache shares keeps only `page` in the links it writes (the language
        # switcher's): nothing else a visitor typed may reach the next reader.
        queries.site_memory_provide(lambda name, compute: fragments.remember(name, [], compute))
        languages.shared_page_rule_provide(
            lambda request: request_dependencies(request) is not None
        )
