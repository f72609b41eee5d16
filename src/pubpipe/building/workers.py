"""Worker processes for a build: each imports the engines once; Ctrl-C and SIGTERM stop them cleanly."""

from __future__ import annotations

import importlib
import importlib.util
import multiprocessing
import os
from collections import deque
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from typing import Any, cast

from .process import become_worker, job_running


def _start_worker(modules: tuple[str, ...]) -> None:
    """Each worker ignores Ctrl-C (the main process decides), exits cleanly on SIGTERM (process.py), and
    imports the engines up front so it pays for them once, while the main process is still parsing."""
    become_worker()
    for name in modules:
        if importlib.util.find_spec(name) is not None:
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001, S110 - a broken engine is reported by its own job, with a hint
                pass


def _serve(connection: Connection, warm: tuple[str, ...], inherited: list[Connection]) -> None:
    """A worker's life: take (tag, function, args) from its own pipe, send back (tag, ok, value)."""
    # The main process's ends of the pipes, copied by fork: closed, so that each pipe reports
    # end-of-file to its worker as soon as the main process is gone, however it went.
    for other in inherited:
        other.close()
    _start_worker(warm)
    parent = os.getppid()
    while True:
        try:
            while not connection.poll(1.0):
                if os.getppid() != parent:
                    return  # the main process was killed outright; nobody wants the result
            message = connection.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        tag, function, args = message
        try:
            with job_running():
                reply = (tag, True, function(*args))
        except Exception as exc:  # noqa: BLE001 - handed to the main process, which raises it
            reply = (tag, False, exc)
        try:
            connection.send(reply)
        except Exception as exc:  # noqa: BLE001 - a result or error that cannot be pickled
            connection.send((tag, False, RuntimeError(f"{type(exc).__name__}: {exc}")))


class WorkerPool:
    """A fixed set of worker processes, each with its own pipe, fed one task at a time.

    Not multiprocessing.Pool: its workers share locks on one queue, and a worker stopped while
    holding one (by Ctrl-C or SIGTERM) leaves Pool.terminate() waiting for ever.
    """

    def __init__(self, processes: int, warm: tuple[str, ...] = ()) -> None:
        # fork: a worker starts in milliseconds with pubpipe already imported (spawn would re-import it).
        context = multiprocessing.get_context("fork")
        self._workers: list[tuple[Any, Connection]] = []
        for _ in range(processes):
            ours, theirs = context.Pipe()
            mine = [connection for _, connection in self._workers] + [ours]
            process = context.Process(target=_serve, args=(theirs, warm, mine), daemon=True)
            process.start()
            theirs.close()
            self._workers.append((process, ours))
        self._idle = [connection for _, connection in self._workers]
        self._waiting: deque[tuple[Any, Callable[..., Any], tuple[Any, ...]]] = deque()
        self.pending = 0

    def submit(self, tag: Any, function: Callable[..., Any], *args: Any) -> None:
        """Run function(*args) in a worker; its result (or exception) comes back from next_result()."""
        self._waiting.append((tag, function, args))
        self.pending += 1
        self._dispatch()

    def _dispatch(self) -> None:
        while self._idle and self._waiting:
            self._idle.pop(0).send(self._waiting.popleft())

    def next_result(self) -> tuple[Any, Any]:
        """The next finished task as (tag, value), in completion order; a task's exception is raised here."""
        busy = [connection for _, connection in self._workers if connection not in self._idle]
        while True:
            # A timeout keeps the main thread responsive to signals while it waits.
            ready = wait(busy, timeout=0.2)
            if ready:
                break
        connection = cast(Connection, ready[0])
        try:
            tag, ok, value = connection.recv()
        except EOFError:
            from ..errors import BackendError

            raise BackendError("a build worker process died (killed, or crashed inside an engine)",
                               hint="run again with -j 1 --debug to see where", code="B100") from None
        self._idle.append(connection)
        self.pending -= 1
        self._dispatch()
        if not ok:
            raise value
        return tag, value

    def close(self) -> None:
        """Let the workers finish and exit."""
        for process, connection in self._workers:
            connection.send(None)
            process.join()

    def stop(self) -> None:
        """Stop every worker now (SIGTERM: each removes its temporary file) and wait for them."""
        for process, _ in self._workers:
            if process.is_alive():
                process.terminate()
        for process, connection in self._workers:
            process.join(10)
            if process.is_alive():  # stuck inside an engine's C code: no cleanup to wait for
                process.kill()
                process.join()
            connection.close()
