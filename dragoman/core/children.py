"""Run a server beside `dragoman serve` and stop it when the main server stops.

``python -m dragoman.core.children PARENT_PID command...``: starts the command, and ends it
(SIGTERM, then SIGKILL) once the parent process is gone, or ends when the command does.

``python -m dragoman.core.children PARENT_PID --embed module:app HOST PORT BACKPRESSURE``:
serves that ASGI application in this very process (granian's embedded server, on uvloop when
installed) until the parent process is gone. The live streams' server runs so (see
``serve``): the granian command line would add a supervisor process of its own (about 30 MB)
beside this watcher's (about 10 MB) for the one worker it starts.

Either way it detaches at once (the caller's ``wait`` returns), so the server never waits
for it.
"""

from __future__ import annotations

import asyncio
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


def new_event_loop() -> asyncio.AbstractEventLoop:
    """uvloop when installed: a stream's every send is a wake-up of the loop from granian's
    thread (``call_soon_threadsafe``), which uvloop makes much cheaper than asyncio's."""
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


def embed(parent: int, target: str, host: str, port: int, backpressure: int) -> None:
    """Serve an ASGI application here until the parent process is gone (or SIGTERM)."""
    import importlib

    from granian.constants import HTTPModes, Interfaces
    from granian.log import LogLevels
    from granian.server.embed import Server

    module_name, _sep, attribute = target.partition(":")
    loop = new_event_loop()
    asyncio.set_event_loop(loop)

    async def serve() -> None:
        application = getattr(importlib.import_module(module_name), attribute)
        stopping = asyncio.Event()
        while not stopping.is_set() and parent_alive(parent):
            server = Server(
                application,
                address=host,
                port=port,
                interface=Interfaces.ASGI,
                websockets=False,
                # Browsers reach it in plain HTTP/1.1; one runtime thread, as the loop is the work.
                http=HTTPModes.http1,
                runtime_threads=1,
                # A stream is a request that lasts: let them all in at once.
                backlog=4096,
                backpressure=backpressure,
                log_level=LogLevels.warning,
            )

            def stop(server: Server = server) -> None:
                stopping.set()
                server.stop()

            for number in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(number, stop)

            async def watch(server: Server = server) -> None:
                while parent_alive(parent):
                    await asyncio.sleep(1)
                stop(server)

            watcher = loop.create_task(watch())
            try:
                await server.serve()
            except Exception:  # a failed worker comes back, as granian's respawn would
                await asyncio.sleep(1)
            finally:
                watcher.cancel()

    loop.run_until_complete(serve())


def main() -> None:
    parent = int(sys.argv[1])
    # Leave the server's family: granian, on its way down, waits for every child it has, and
    # would wait for this one, which waits for granian to go.
    if os.fork() > 0:
        os._exit(0)
    os.setsid()
    if sys.argv[2] == "--embed":
        target, host, port, backpressure = sys.argv[3:7]
        embed(parent, target, host, int(port), int(backpressure))
        return
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
