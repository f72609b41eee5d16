"""Everything pubpipe changes about the Python process as a whole, in one place.

pubpipe is a library as well as a command, so each change is scoped to a `with` block and put
back when the block ends, except where noted. The whole list:

1. **Python's cycle collector** (`gc`). Every 700 new objects start a collection, and each one
   walks the edition's AST again. `collector_paused()` turns it off while an edition is read
   (pandoc's JSON and the transforms make trees, not cycles); `collector_relaxed()` sets what
   exists aside (`gc.freeze`) and collects every 2,000 allocations while the engines run.
   Measured on the 300-page benchmark book (docs/PERFORMANCE.md): the collector took half the
   time of reading the book (5.4 s, 2.3 s with it off) and a fifth of laying it out.
2. **Signals in the main process.** During a build, `interruptible()` turns SIGINT and SIGTERM
   into `Interrupted` (a BaseException), so `finally` blocks remove temporary files and stop the
   workers. Between the builds of `pubpipe serve`, `signals_recorded()` makes them only append
   their number to a list the loop checks. Only the main thread may set handlers: elsewhere
   both are no-ops.
3. **Signals in a build worker** (a forked process, for its whole life): `become_worker()` makes
   it ignore SIGINT (the main process decides) and exit on SIGTERM — between jobs at once,
   during a job (`job_running()`) by unwinding it with SystemExit so its temporary file goes.
4. **`sys.unraisablehook`** in a build worker (for its whole life): a stop signal landing inside a
   finalizer (a weakref callback, a `__del__`) cannot unwind anything there, and Python would
   print it and go on; the worker's hook raises the signal again so it lands in the job's code.
5. **A fork hook** (`os.register_at_fork`), registered once per process, the first time a
   descriptor asks for it: `closed_in_children(fd)` makes a forked child close that descriptor
   first thing (the build lock: an orphaned worker must not hold it). Hooks cannot be removed,
   so there is one, and it closes whatever is registered at the moment of the fork.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


# ---------------------------------------------------------------- 1. the cycle collector

@contextmanager
def collector_paused() -> Iterator[None]:
    """No collections at all: for reading an edition (trees, not cycles: nothing to find)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def collector_relaxed(every: int = 2_000) -> Iterator[None]:
    """Fewer collections, and none over what exists already: for the engines' work.

    WeasyPrint makes cycles (boxes and their parents), so the collector keeps running, but the AST
    is set aside and a collection starts every *every* allocations rather than 700. On the
    300-page book, set aside: 16.7 s and 362 MB at the peak with 2,000; 17.2 s and 394 MB with
    700; 16.9 s and 395 MB with 10,000 (not set aside, with 700: 22.9 s). It turns the collector
    on even inside collector_paused(): with `-j 1` an edition is rendered while the next is read.
    """
    thresholds, was_enabled = gc.get_threshold(), gc.isenabled()
    gc.freeze()
    gc.set_threshold(every, *thresholds[1:])
    gc.enable()
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
        if not was_enabled:
            gc.disable()


# ---------------------------------------------------------------- 2. signals in the main process

class Interrupted(BaseException):
    """The build was stopped by a signal (Ctrl-C or SIGTERM); not an Exception, so nothing swallows it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _raise_interrupted(signum: int, frame: FrameType | None) -> None:
    raise Interrupted(signum)


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextmanager
def interruptible() -> Iterator[None]:
    """Turn SIGINT and SIGTERM into Interrupted in this (main) thread, so `finally` blocks run.

    Outside the main thread (a build started from another thread) Python cannot set signal
    handlers; the process's own handling stays as it is.
    """
    if not _in_main_thread():
        yield
        return
    previous = {signum: signal.signal(signum, _raise_interrupted) for signum in STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@contextmanager
def signals_recorded() -> Iterator[list[int]]:
    """While the block runs, SIGINT and SIGTERM only append their number to the list it yields.

    For a loop that checks the list between steps: a KeyboardInterrupt raised wherever the main
    thread happens to be can land in a finalizer, where Python prints it and carries on.
    """
    signalled: list[int] = []
    if not _in_main_thread():
        yield signalled
        return
    previous = {signum: signal.signal(signum, lambda number, frame: signalled.append(number))
                for signum in STOP_SIGNALS}
    try:
        yield signalled
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


# ---------------------------------------------------------------- 3 and 4. a build worker

_job_running = False
"""In a worker: whether a job is running (SIGTERM then unwinds it rather than exiting at once)."""


def _exit_worker(signum: int, frame: FrameType | None) -> None:
    if not _job_running:  # between jobs (or still importing the engines) there is nothing to clean up
        os._exit(128 + signum)
    # SystemExit unwinds the running job, so its `finally` removes the half-written temporary file.
    raise SystemExit(128 + signum)


def _signal_again(unraisable: Any) -> None:
    """A stop signal that landed inside a finalizer: deliver it again so it lands in the job's code."""
    if isinstance(unraisable.exc_value, SystemExit):
        signal.raise_signal(signal.SIGTERM)
        return
    sys.__unraisablehook__(unraisable)


def become_worker() -> None:
    """Set up a forked build worker for its life: Ctrl-C ignored, SIGTERM exits cleanly (see 3, 4)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit_worker)
    sys.unraisablehook = _signal_again


@contextmanager
def job_running() -> Iterator[None]:
    """In a worker: a job runs; SIGTERM now unwinds it (SystemExit) instead of exiting at once."""
    global _job_running
    _job_running = True
    try:
        yield
    finally:
        _job_running = False


# ---------------------------------------------------------------- 5. the fork hook

_closed_in_children: set[int] = set()
"""The descriptors a forked child closes first thing (5); per process, as fork hooks are."""
_fork_hook: list[bool] = []
"""Non-empty once the fork hook is registered in this process."""


def _close_in_child() -> None:
    for descriptor in _closed_in_children:
        try:
            os.close(descriptor)
        except OSError:
            pass
    _closed_in_children.clear()


@contextmanager
def closed_in_children(descriptor: int) -> Iterator[None]:
    """While the block runs, a child forked by this process closes *descriptor* before anything else.

    The one fork hook of the process is registered the first time this is used (see 5).
    """
    if not _fork_hook:
        os.register_at_fork(after_in_child=_close_in_child)
        _fork_hook.append(True)
    _closed_in_children.add(descriptor)
    try:
        yield
    finally:
        _closed_in_children.discard(descriptor)
