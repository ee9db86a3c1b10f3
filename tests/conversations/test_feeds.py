from django.contrib.auth.models import User

from dragoman.conversations import services


def test_entry_and_blog_feeds_carry_published_comments_only(client, entry):
    admin = User.objects.create_superuser("root", "root@example.org", "pw")
    blog = entry.get_parent().specific
    comment = services.comment_submit(entry=entry, blog=blog, name="Amina", body="Published one")
    services.comment_approve(comment=comment, acting_user=admin)
    services.comment_submit(entry=entry, blog=blog, name="Bob", body="Waiting one")

    entry_feed = client.get(f"/conversations/entries/{entry.pk}/feed/atom/")
    blog_feed = client.get(f"/blogs/{blog.slug}/comments/feed/atom/").content.decode()
    network_feed = client.get("/conversations/feed/atom/").content.decode()

    assert entry_feed["Content-Type"].startswith("application/atom+xml")
    for feed in (entry_feed.content.decode(), blog_feed, network_feed):
        assert "Published one" in feed
        assert "Waiting one" not in feed
        assert "Amina on “Opening of the new consulate”" in feed


def test_feed_of_an_unknown_entry_or_blog_is_404(client, db):
    assert client.get("/conversations/entries/999999/feed/atom/").status_code == 404
    assert client.get("/blogs/no-such-blog/comments/feed/atom/").status_code == 404
