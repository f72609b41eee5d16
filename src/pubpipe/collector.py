"""Python's cycle collector, held back where pubpipe makes millions of objects that hold no cycles.

Every 700 new objects start a collection, and each one walks the edition's AST again. Measured on
the 300-page benchmark book (docs/PERFORMANCE.md): the collector took half the time of reading the
book (5.4 s, 2.3 s with it off) and a fifth of laying it out.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """No collections at all: for reading an edition (pandoc's JSON and the transforms make trees,
    not cycles, so nothing is left for the collector to find)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def relaxed(every: int = 2_000) -> Iterator[None]:
    """Fewer collections, and none over what exists already: for the engines' work. WeasyPrint makes
    cycles (boxes and their parents), so the collector keeps running, but the AST is set aside and a
    collection starts every *every* allocations rather than 700. On the 300-page book, set aside:
    16.7 s and 362 MB at the peak with 2,000; 17.2 s and 394 MB with 700; 16.9 s and 395 MB with
    10,000 (not set aside, with 700: 22.9 s).

    It turns the collector on even inside paused(): with `-j 1` an edition is rendered while the
    next is still being read."""
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
