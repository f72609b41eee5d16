"""What a build prints while it runs: a rich progress bar on a terminal, plain lines in a CI log."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

QUIET, NORMAL, VERBOSE = -1, 0, 1
# A build shorter than this never shows a bar: nothing flickers for a no-op or a one-file build.
BAR_DELAY = 0.4


def wants_color(stream: TextIO) -> bool:
    """Colour only on a terminal, never with NO_COLOR set (any value, per no-color.org) or TERM=dumb."""
    if "NO_COLOR" in os.environ or os.environ.get("TERM") == "dumb":
        return False
    return is_terminal(stream)


def is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class BuildProgress:
    """Lines for each output (all of them, with timings, under -v; none under -q) and, on a terminal,
    a transient progress bar for builds that take more than a moment."""

    def __init__(self, verbosity: int = NORMAL, stream: TextIO | None = None, terminal: bool | None = None) -> None:
        self.verbosity = verbosity
        self.stream = stream or sys.stdout
        self.terminal = is_terminal(self.stream) if terminal is None else terminal
        self.started = time.monotonic()
        self.bar: Any = None
        self.task: Any = None
        self.total = 0
        self.done = 0
        self.lock = threading.Lock()
        """The timer thread may start the bar while the build prints a line."""
        self.timer: threading.Timer | None = None

    def line(self, text: str, *, verbose_only: bool = False) -> None:
        """One line of output: above the bar while it shows, plain otherwise; -q silences it."""
        if self.verbosity == QUIET or (verbose_only and self.verbosity < VERBOSE):
            return
        with self.lock:
            if self.bar is not None:
                self.bar.console.print(text, markup=False, highlight=False)
            else:
                print(text, file=self.stream, flush=True)

    def step(self, text: str) -> None:
        """A step of the build with the time since it started, under -v only."""
        self.line(f"[{time.monotonic() - self.started:6.2f} s] {text}", verbose_only=True)

    def advance(self, label: str) -> None:
        """One output is done (built, restored or current)."""
        self.done += 1
        self.step(f"{label} done ({self.done}/{self.total})")
        with self.lock:
            if self.bar is not None:
                self.bar.update(self.task, completed=self.done)

    def show_bar(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        with self.lock:
            if self.timer is None or self.done >= self.total:
                return  # the build ended while the timer fired
            console = Console(file=self.stream, force_terminal=True, no_color=not wants_color(self.stream))
            self.bar = Progress(TextColumn("building"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                                console=console, transient=True)
            self.bar.start()
            self.task = self.bar.add_task("build", total=self.total, completed=self.done)

    @contextmanager
    def running(self, total: int) -> Iterator[BuildProgress]:
        """Around the build of *total* outputs; the bar (if any) is gone when this ends."""
        self.total = total
        self.started = time.monotonic()
        self.step(f"plan: {total} output{'s' if total != 1 else ''}")
        if self.terminal and self.verbosity > QUIET and total:
            self.timer = threading.Timer(BAR_DELAY, self.show_bar)
            self.timer.daemon = True
            self.timer.start()
        try:
            yield self
        finally:
            with self.lock:
                if self.timer is not None:
                    self.timer.cancel()
                    self.timer = None
                if self.bar is not None:
                    self.bar.stop()
                    self.bar = None
            self.step("finished")
