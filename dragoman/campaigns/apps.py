from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "dragoman.campaigns"
    label = "campaigns"
    verbose_name = _("Campaigns")

    def ready(self) -> None:
        from dragoman.blogs.models import page_type_allow

        from . import dependencies, signals

        # A campaign lives under the network's home page or under a blog.
        page_type_allow("campaigns.CampaignPage", under=["blogs.HomePage", "blogs.BlogPage"])
        dependencies.register()
        signals.connect()
