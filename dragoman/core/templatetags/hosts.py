"""Full addresses on the right host: ``{{ page.full_url|on_canonical_host }}`` for what names
a page (og:url), ``{{ rendition.full_url|on_reader_host }}`` for what a reader's browser or a
crawler fetches from the host it came by (see ``dragoman.core.hosts``)."""

from django import template

from dragoman.core import hosts

register = template.Library()


@register.filter
def on_canonical_host(url: str | None) -> str:
    return hosts.on_canonical_host(url or "")


@register.filter
def on_reader_host(url: str | None) -> str:
    return hosts.on_reader_host(url or "")
