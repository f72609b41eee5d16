"""Hashing for cache keys: labelled SHA-256 parts, and the digest of pubpipe's own code."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from .files import file_sha256

# Bump when the layout of keys or records changes, so old caches are ignored rather than misread.
SCHEMA = "pubpipe-cache-1"


class Hasher:
    """A SHA-256 over labelled parts, so ("ab", "c") and ("a", "bc") give different keys."""

    def __init__(self, *labels: str) -> None:
        self._hash = hashlib.sha256(SCHEMA.encode())
        for label in labels:
            self.text(label)

    def bytes(self, data: bytes) -> Hasher:
        self._hash.update(len(data).to_bytes(8, "big"))
        self._hash.update(data)
        return self

    def text(self, value: str) -> Hasher:
        return self.bytes(value.encode("utf-8"))

    def file(self, path: Path, name: str) -> Hasher:
        """The file's name (as the output sees it) and its bytes (by their SHA-256, files.file_sha256);
        a missing file hashes as missing."""
        self.text(name)
        return self.text(file_sha256(path) or "<missing>")

    def json(self, value: Any) -> Hasher:
        return self.text(json.dumps(value, sort_keys=True, ensure_ascii=False, default=str))

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def code_digest() -> str:
    """pubpipe's own code and string catalogues: a change to pubpipe rebuilds everything.

    The version number alone would not notice an edit in a development checkout.
    """
    package = Path(__file__).resolve().parents[1]  # src/pubpipe, above building/
    hasher = Hasher("code")
    for name, path in tree_files(package):
        if name.endswith(".py") or (name.startswith("catalogues/") and name.endswith(".yaml")):
            hasher.file(path, name)
    return hasher.hexdigest()


def tree_files(folder: Path) -> list[tuple[str, Path]]:
    """Every file under *folder* (not following links to folders), by its path relative to it, sorted.

    os.walk rather than Path.rglob: this runs on every build, and rglob takes several times longer.
    """
    found = []
    for top, folders, files in os.walk(folder):
        folders[:] = [name for name in folders if name != "__pycache__"]
        base = Path(top)
        prefix = base.relative_to(folder).as_posix()
        for name in files:
            found.append((name if prefix == "." else f"{prefix}/{name}", base / name))
    return sorted(found)
