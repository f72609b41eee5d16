"""The layouts of a book's pieces kept in build/.cache/chapters/, so an edit lays out only what it changed."""

from __future__ import annotations

import pickle
from collections.abc import Callable, Sequence
from pathlib import Path

from .pdf_chapters import PieceLayout, PieceTask

CACHE_KEEP = 200
"""Piece layouts kept in build/.cache/chapters/ at most (the most recently used); the build cache's
bound (building/cache.BuildCache.prune) usually keeps fewer."""


class PieceCache:
    """Piece layouts under build/.cache/chapters/<key>.pickle (pickled PieceLayout; only pubpipe writes them)."""

    def __init__(self, cache_dir: Path | None) -> None:
        """*cache_dir*: build/.cache (BuildContext.cache_dir); None keeps nothing."""
        from ..building.cache import PIECES

        self.folder = cache_dir / PIECES if cache_dir is not None else None

    def get(self, key: str) -> PieceLayout | None:
        if self.folder is None:
            return None
        path = self.folder / f"{key}.pickle"
        try:
            layout = pickle.loads(path.read_bytes())
            path.touch()
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
            return None
        return layout if isinstance(layout, PieceLayout) else None

    def put(self, key: str, layout: PieceLayout) -> None:
        if self.folder is None:
            return
        from ..building.files import write_atomic

        self.folder.mkdir(parents=True, exist_ok=True)
        write_atomic(self.folder / f"{key}.pickle", pickle.dumps(layout, protocol=4))

    def trim(self) -> None:
        """Keep the CACHE_KEEP most recently used layouts."""
        if self.folder is None or not self.folder.is_dir():
            return
        found = sorted(self.folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for path in found[CACHE_KEEP:]:
            path.unlink(missing_ok=True)


Runner = Callable[[Sequence[PieceTask]], list[PieceLayout]]
"""Lays out pieces (on the executor), results in the order of the tasks."""


def cached_runner(run: Runner, cache: PieceCache, version: str, counts: dict[str, int]) -> Runner:
    """*run*, answering from *cache* the pieces it has; counts["laid out"], counts["cached"] say how many."""
    def runner(tasks: Sequence[PieceTask]) -> list[PieceLayout]:
        keys = [task.key(version) for task in tasks]
        found: dict[int, PieceLayout] = {}
        for index, key in enumerate(keys):
            hit = cache.get(key)
            if hit is not None:
                found[index] = hit
        missing = [index for index in range(len(tasks)) if index not in found]
        for index, layout in zip(missing, run([tasks[i] for i in missing])):
            cache.put(keys[index], layout)
            found[index] = layout
        counts["laid out"] = counts.get("laid out", 0) + len(missing)
        counts["cached"] = counts.get("cached", 0) + len(tasks) - len(missing)
        return [found[index] for index in range(len(tasks))]

    return runner
