from dragoman.subscriptions.demo import demo_subscriptions_build
from dragoman.subscriptions.models import Subscriber


def test_demo_subscribers_are_confirmed(blog_entry):
    lines: list[str] = []

    demo_subscriptions_build(report=lines.append)

    assert Subscriber.objects.confirmed().count() == 4
    assert "/subscriptions/manage/" in lines[0]
    demo_subscriptions_build(report=lines.append)  # again: nothing more
    assert Subscriber.objects.count() == 4
