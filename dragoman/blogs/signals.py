from typing import Any

from wagtail.models import Page

from . import services


def ensure_network_after_migrate(sender: Any, **kwargs: Any) -> None:
    # A flushed database (a transactional test's teardown) has no page tree to build on.
    if Page.get_first_root_node() is None:
        return
    services.network_ensure()


def entry_moved(sender: Any, instance: Any, parent_page_after: Any, **kwargs: Any) -> None:
    services.entry_blog_record(entry_id=instance.pk, blog_id=parent_page_after.pk)
