"""schema.org descriptions of entries, so that shared links and search engines read them right."""

from typing import Any

from django.conf import settings

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
        "url": entry.full_url,
        "mainEntityOfPage": entry.full_url,
        "keywords": [tag.name for tag in tags],
        "author": [
            {
                "@type": "Person",
                "name": author.display_name,
                "jobTitle": author.job_title,
                "url": settings.BASE_URL + author.get_absolute_url(),
            }
            for author in entry.authors
        ],
        "isPartOf": {"@type": "Blog", "name": blog.title, "url": blog.full_url},
        "publisher": {
            "@type": "Organization",
            "name": settings.SITE_NAME,
            "url": settings.BASE_URL,
        },
    }
    if image_url:
        data["image"] = image_url
    return data
