"""What a follow names, who follows an entry, and the counts the digital team sees."""

from __future__ import annotations

from dragoman.subscriptions import queries, services
from dragoman.subscriptions.models import Follow

from .conftest import confirmed


def test_follow_values_are_canonical(blog_entry):
    blog = blog_entry.blog
    assert queries.follow_value_canonical(kind="blog", value=str(blog.pk)) == str(blog.pk)
    assert queries.follow_value_canonical(kind="blog", value="12345678901234567890") is None
    assert queries.follow_value_canonical(kind="language", value="fa") == "fa"
    assert (
        queries.follow_value_canonical(kind="search", value="page=2&q=visa&sort=date") == "q=visa"
    )
    assert queries.follow_value_canonical(kind="search", value="page=2") is None
    assert queries.follow_value_canonical(kind="search", value="blog=no-such-blog") is None


def test_subscribers_following_counts_each_subscriber_once(blog_entry):
    blog = blog_entry.blog
    both = confirmed("both@example.org", kind="blog", value=blog.pk)
    services.follow_add(subscriber=both, kind="language", value="en")
    confirmed("fr@example.org", kind="language", value="fr")
    services.subscription_request(
        email="pending@example.org",
        kind="blog",
        value=str(blog.pk),
        frequency="each",
        language="en",
    )

    assert queries.subscribers_following(blog_entry) == [both.pk]


def test_overview_counts_without_addresses(blog_entry):
    confirmed("a@example.org", kind="blog", value=blog_entry.blog.pk)
    services.address_suspend(email="a@example.org", kind="complaint")

    overview = queries.overview()

    assert overview.subscribers["suspended"] == 1
    assert overview.complaints_30_days == 1
    assert overview.follows == {Follow.Kind.BLOG: 1}
