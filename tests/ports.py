"""Loopback ports for the servers tests start (Dragoman, nginx, Dovecot, a fediverse peer...)."""

from __future__ import annotations

import socket


def free_port() -> int:
    """A loopback port nothing listens on now, chosen by the system: never a fixed one, as
    pytest-xdist's workers and several checkouts of the project run tests on one machine at
    once. Nothing listens on it afterwards either, so it also serves as a refused port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
