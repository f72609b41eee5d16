"""Writing files atomically and hashing them: the one place the build, cache, checks and releases do it.

An atomic write goes to a uniquely named temporary file in the target's folder (`.<name>.<random>.part`,
from tempfile), which is then renamed over the target: a reader sees the old file or the new one,
never half of one, and two writers never share a temporary name. A build's clean-up removes stray
`.*.part` files only while it holds build/.lock (build.remove_temporaries), so anything written in
build/ should be written under that lock.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

TEMPORARY_SUFFIX = ".part"
"""The suffix of every temporary file an atomic write makes (build.remove_temporaries looks for it)."""


def temporary_beside(path: Path) -> Path:
    """A new, empty file with a name of its own beside *path* (`.<name>.<random>.part`), for bytes
    that are renamed over *path* later (os.replace); the caller removes it if they never are."""
    import tempfile  # here, not at the top: a build with nothing to do never writes

    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMPORARY_SUFFIX, dir=path.parent)
    os.close(handle)
    return Path(name)


def staging_for(temporary: Path) -> Path:
    """The folder beside an output's *temporary* file where a backend puts the files that go beside the
    output (an HTML page's fonts and images): moved into place with the output, removed with it."""
    return temporary.with_name(temporary.name + ".extra")


def remove_staging(temporary: Path) -> None:
    """Remove what *temporary*'s staging folder holds (a failed or interrupted job's files)."""
    import shutil

    shutil.rmtree(staging_for(temporary), ignore_errors=True)


@contextmanager
def atomic_target(path: Path, mode: int | None = 0o644) -> Iterator[Path]:
    """A fresh temporary path beside *path*; renamed to *path* when the block ends without an exception.

    The temporary file exists (empty) when the block starts; whatever the block writes to it becomes
    *path*. *mode*: the permissions of the result (None keeps those of an existing *path*, else 0o644).
    On an exception (or a signal raised as one) the temporary file is removed and *path* is untouched.
    """
    temp = temporary_beside(path)
    try:
        yield temp
        if mode is None:
            try:
                mode = path.stat().st_mode & 0o777
            except FileNotFoundError:
                mode = 0o644
        os.chmod(temp, mode)
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def write_atomic(path: Path, data: bytes | str, mode: int | None = 0o644) -> None:
    """Write *data* (text is written as UTF-8 with `\\n` line ends) to *path* through atomic_target."""
    with atomic_target(path, mode) as temp:
        temp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def copy_atomic(source: Path, target: Path) -> None:
    """Copy the bytes of *source* to *target* through atomic_target (raises OSError if *source* is unreadable)."""
    import shutil

    with atomic_target(target) as temp:
        shutil.copyfile(source, temp)


def file_sha256(path: Path) -> str | None:
    """The SHA-256 of a file's bytes as 64 hex digits, or None if there is no such file."""
    try:
        with path.open("rb") as file:
            return hashlib.file_digest(file, "sha256").hexdigest()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None
