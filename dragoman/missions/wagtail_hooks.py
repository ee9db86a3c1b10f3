from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Mission


class MissionViewSet(SnippetViewSet):
    model = Mission
    icon = "site"
    menu_label = "Missions"
    add_to_admin_menu = True
    menu_order = 300
    list_display = ["name", "city", "country", "kind"]
    list_filter = ["kind", "continent"]
    search_fields = ["name", "city", "country"]


register_snippet(MissionViewSet)
