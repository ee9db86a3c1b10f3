"""Run a server beside `dragoman serve` and stop it when the main server stops.

``python -m dragoman.core.children PARENT_PID command...``: starts the command, and ends it
(SIGTERM, then SIGKILL) once the parent process is gone, or ends when the command does.
It detaches at once (the caller's ``wait`` returns), so the server never waits for it. Used
for the live streams' ASGI server (see ``serve``).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time


def parent_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def main() -> None:
    parent = int(sys.argv[1])
    # Leave the server's family: granian, on its way down, waits for every child it has, and
    # would wait for this one, which waits for granian to go.
    if os.fork() > 0:
        os._exit(0)
    os.setsid()
    child = subprocess.Popen(sys.argv[2:])  # noqa: S603 - the serve command's own argument list
    with contextlib.suppress(KeyboardInterrupt):
        while child.poll() is None and parent_alive(parent):
            time.sleep(1)
    if child.poll() is None:
        child.send_signal(signal.SIGTERM)
        try:
            child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            child.kill()


if __name__ == "__main__":
    main()
