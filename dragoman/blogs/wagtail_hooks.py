from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Blogger


class BloggerViewSet(SnippetViewSet):
    model = Blogger
    icon = "user"
    menu_label = "Bloggers"
    add_to_admin_menu = True
    menu_order = 200
    list_display = ["display_name", "job_title", "mission"]
    list_filter = ["mission"]
    search_fields = ["display_name", "job_title"]


register_snippet(BloggerViewSet)
