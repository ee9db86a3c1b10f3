"""The constraints that keep an entry from being owed twice to one subscriber."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from dragoman.subscriptions.models import Delivery, Follow

from .conftest import confirmed


def test_one_delivery_per_subscriber_and_entry(blog_entry):
    subscriber = confirmed("a@example.org", kind="blog", value=blog_entry.blog.pk)
    Delivery.objects.create(subscriber=subscriber, entry=blog_entry)
    with pytest.raises(IntegrityError):
        Delivery.objects.create(subscriber=subscriber, entry=blog_entry)


def test_one_follow_per_thing(blog_entry):
    subscriber = confirmed("a@example.org", kind="blog", value=blog_entry.blog.pk)
    with pytest.raises(IntegrityError):
        Follow.objects.create(subscriber=subscriber, kind="blog", value=str(blog_entry.blog.pk))
