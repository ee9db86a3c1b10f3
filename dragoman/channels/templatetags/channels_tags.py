"""Official channels on blog and profile pages, linked with rel="me" so Mastodon verifies them."""

from typing import Any

from django import template

from dragoman.channels import queries

register = template.Library()


@register.inclusion_tag("channels/includes/official_channels.html")
def official_channels_of_blog(blog: Any) -> dict[str, Any]:
    return {"channels": queries.blog_channels(blog)}


@register.inclusion_tag("channels/includes/official_channels.html")
def official_channels_of_blogger(blogger: Any) -> dict[str, Any]:
    return {"channels": queries.blogger_channels(blogger)}


@register.inclusion_tag("channels/includes/mission_channels.html")
def official_channels_of_mission(mission: Any) -> dict[str, Any]:
    return {"mission": mission, "channels": queries.mission_channels(mission)}
