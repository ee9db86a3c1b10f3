from typing import Any

from wagtail.models import Page

from . import services


def ensure_network_after_migrate(sender: Any, **kwargs: Any) -> None:
    # A flushed database (a transactional test's teardown) has no page tree to build on.
    if Page.get_first_root_node() is None:
        return
    services.network_ensure()


def entry_moved(sender: Any, instance: Any, parent_page_after: Any, **kwargs: Any) -> None:
    # Wagtail moves a page through the tree's own queries and saves it as a plain Page, so
    # EntryPage.save does not see the new parent.
    from .models import EntryPage

    EntryPage.objects.filter(pk=instance.pk).update(blog_id=parent_page_after.pk)
