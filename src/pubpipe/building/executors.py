"""Where units of work run: a local process pool by default, or a Dask distributed cluster when asked.

    pubpipe build --executor local              # worker processes on this machine (the default)
    pubpipe build --executor dask://host:8786   # the workers of a Dask scheduler (pip install 'pubpipe[dask]')

An executor maps a picklable, module-level function over picklable items and returns the results
in the items' order. The chapter-parallel PDF layout (backends/pdf_chapters.py) sends it its pieces.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from ..errors import MissingDependency, UsageError


class Executor(Protocol):
    """Runs function(item) for every item; results in order. close() frees what it holds."""

    workers: int

    def map(self, function: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]: ...

    def close(self) -> None: ...


class LocalExecutor:
    """Worker processes of this machine (workers.WorkerPool: forked, engines imported once, Ctrl-C safe).

    With one worker, or inside a daemonic process (a build worker cannot start processes of its own),
    the work runs here, one item after another.
    """

    def __init__(self, workers: int | None = None, warm: tuple[str, ...] = ("weasyprint",)) -> None:
        self.workers = max(1, workers or os.cpu_count() or 1)
        self._warm = warm
        self._pool: Any = None

    def map(self, function: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
        import multiprocessing

        if self.workers == 1 or len(items) <= 1 or multiprocessing.current_process().daemon:
            return [function(item) for item in items]
        if self._pool is None:
            from .workers import WorkerPool

            self._pool = WorkerPool(self.workers, self._warm)
        results: dict[int, Any] = {}
        try:
            for index, item in enumerate(items):
                self._pool.submit(index, function, item)
            while self._pool.pending:
                index, value = self._pool.next_result()
                results[index] = value
        except BaseException:
            self._pool.stop()
            self._pool = None
            raise
        return [results[index] for index in range(len(items))]

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None


class DaskExecutor:
    """The workers of a Dask distributed scheduler at *address* (`tcp://host:port`), or a Client given."""

    def __init__(self, address: str | None = None, client: Any = None) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise MissingDependency("the Dask executor needs Dask distributed",
                                    hint="pip install 'pubpipe[dask]'", code="S201") from None
        self._own = client is None
        self.client = client if client is not None else Client(address, set_as_default=False)
        self.workers = max(1, sum(self.client.nthreads().values()))

    def map(self, function: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
        futures = self.client.map(function, list(items), pure=False)
        return list(self.client.gather(futures))

    def close(self) -> None:
        if self._own:
            self.client.close()


def executor_for(spec: str | None, workers: int | None = None) -> Executor:
    """The executor a `--executor` value names: `local` (or none) or `dask://host:port` / `tcp://host:port`.

    Raises UsageError (S202) for another value, MissingDependency (S201) when Dask is not installed.
    """
    if not spec or spec == "local":
        return LocalExecutor(workers)
    if spec.startswith(("dask://", "tcp://")):
        return DaskExecutor("tcp://" + spec.split("://", 1)[1])
    raise UsageError(f"unknown executor '{spec}'", hint="use 'local' or 'dask://host:port'", code="S202")
