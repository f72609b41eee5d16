"""Worker processes for a build: each imports the engines once; Ctrl-C and SIGTERM stop them cleanly."""

from __future__ import annotations

import importlib
import importlib.util
import multiprocessing
import queue
import signal
from collections.abc import Callable
from types import FrameType
from typing import Any


def _exit_worker(signum: int, frame: FrameType | None) -> None:
    # SystemExit unwinds the running job, so its `finally` removes the half-written temporary file.
    raise SystemExit(128 + signum)


def _start_worker(modules: tuple[str, ...]) -> None:
    """Each worker ignores Ctrl-C (the main process decides), exits cleanly on SIGTERM, and imports
    the engines up front so it pays for them once, while the main process is still parsing."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit_worker)
    for name in modules:
        if importlib.util.find_spec(name) is not None:
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001 - a broken engine is reported by its own job, with a hint
                pass


class WorkerPool:
    """A fixed set of worker processes; results come back through one queue, in completion order."""

    def __init__(self, processes: int, warm: tuple[str, ...] = ()) -> None:
        # fork: a worker starts in milliseconds with pubpipe already imported (spawn would re-import it).
        context = multiprocessing.get_context("fork")
        self._pool = context.Pool(processes, _start_worker, (warm,))
        self._done: queue.Queue[tuple[Any, bool, Any]] = queue.Queue()
        self.pending = 0

    def submit(self, tag: Any, function: Callable[..., Any], *args: Any) -> None:
        """Run function(*args) in a worker; its result (or exception) comes back from next_result()."""
        self.pending += 1
        self._pool.apply_async(function, args, callback=lambda value: self._done.put((tag, True, value)),
                               error_callback=lambda error: self._done.put((tag, False, error)))

    def next_result(self) -> tuple[Any, Any]:
        """The next finished task as (tag, value); a task's exception is raised here."""
        while True:
            try:
                # A timeout keeps the main thread responsive to signals while it waits.
                tag, ok, value = self._done.get(timeout=0.2)
                break
            except queue.Empty:
                continue
        self.pending -= 1
        if not ok:
            raise value
        return tag, value

    def close(self) -> None:
        """Let the workers finish and exit."""
        self._pool.close()
        self._pool.join()

    def stop(self) -> None:
        """Stop every worker now (SIGTERM: each removes its temporary file) and wait for them."""
        self._pool.terminate()
        self._pool.join()
