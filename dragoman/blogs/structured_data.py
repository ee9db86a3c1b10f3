"""schema.org descriptions of entries, so that shared links and search engines read them right."""

from typing import Any

from dragoman.core.hosts import canonical_origin, canonical_url, on_canonical_host
from dragoman.core.queries import network_name

from .models import BlogPage, EntryPage


def blog_posting(
    *, entry: EntryPage, blog: BlogPage, tags: list[Any], image_url: str = ""
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": entry.title,
        "description": entry.summary,
        "inLanguage": entry.language,
        "datePublished": entry.date.isoformat(),
        "dateModified": (entry.last_published_at or entry.date).isoformat(),
        "url": on_canonical_host(entry.full_url or ""),
        "mainEntityOfPage": on_canonical_host(entry.full_url or ""),
        "keywords": [tag.name for tag in tags],
        "author": [
            {
                "@type": "Person",
                "name": author.display_name,
                "jobTitle": author.job_title,
                "url": canonical_url(author.get_absolute_url()),
            }
            for author in entry.authors
        ],
        "isPartOf": {
            "@type": "Blog",
            "name": blog.title,
            "url": on_canonical_host(blog.full_url or ""),
        },
        "publisher": {
            "@type": "Organization",
            "name": network_name(),
            "url": canonical_origin(),
        },
    }
    if image_url:
        data["image"] = image_url
    return data
