"""The demo network fixture, shared with the reading site's tests (built once per module)."""

from tests.blogs.conftest import demo_network, uncached

__all__ = ["demo_network", "uncached"]
