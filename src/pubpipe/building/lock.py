"""One build at a time per project: an exclusive lock on build/.lock, held for the whole build."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .process import closed_in_children

LOCK_NAME = ".lock"


def lock_holder(path: Path) -> str:
    """What the lock file says about the build holding it (its process id), for the waiting message."""
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return f" (pid {text})" if text.isdigit() else ""


@contextmanager
def build_lock(build_dir: Path, on_wait: Callable[[str], None] = lambda message: None) -> Iterator[None]:
    """Hold build/.lock exclusively; if another build holds it, say so through *on_wait* and wait.

    flock() is released by the kernel when the holder exits, however it exits, so a killed build
    never leaves a stale lock behind (a lock file's mere existence means nothing).
    """
    build_dir.mkdir(parents=True, exist_ok=True)
    path = build_dir / LOCK_NAME
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        # A forked build worker must not share the lock: if the main process were killed, an
        # orphaned worker would keep it and every later build would wait for ever.
        with closed_in_children(descriptor):
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                on_wait(f"another pubpipe build is running in this project{lock_holder(path)}; "
                        "waiting for it to finish")
                fcntl.flock(descriptor, fcntl.LOCK_EX)
            os.ftruncate(descriptor, 0)
            os.pwrite(descriptor, str(os.getpid()).encode("ascii"), 0)
            yield
    finally:
        os.close(descriptor)
