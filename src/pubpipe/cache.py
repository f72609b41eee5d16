"""The content-addressed build cache under build/.cache/: job keys from input bytes, and stored results.

Layout:
  build/.cache/editions/<edition key>.json   the assets an edition's sources use (known after a parse)
  build/.cache/jobs/<job key>.json           what a job produced: output and extra files with checksums
  build/.cache/objects/<sha256>              the bytes of every produced file, by checksum

A key is a SHA-256 over the bytes of everything a job's output depends on, never over file times.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .files import copy_atomic, file_sha256, write_atomic

CACHE_DIR = ".cache"
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
        """The file's name (as the output sees it) and its bytes; a missing file hashes as missing."""
        self.text(name)
        try:
            return self.bytes(path.read_bytes())
        except FileNotFoundError:
            return self.text("<missing>")

    def json(self, value: Any) -> Hasher:
        return self.text(json.dumps(value, sort_keys=True, ensure_ascii=False, default=str))

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def code_digest() -> str:
    """pubpipe's own code and string catalogues: a change to pubpipe rebuilds everything.

    The version number alone would not notice an edit in a development checkout.
    """
    package = Path(__file__).resolve().parent
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


@dataclass(frozen=True, slots=True)
class Produced:
    """One file a job wrote, relative to build/."""

    name: str
    sha256: str


@dataclass(frozen=True, slots=True)
class JobRecord:
    """What a job produced for one key: its output, the files written beside it, and the page count."""

    output: Produced
    extra: tuple[Produced, ...] = ()
    pages: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"output": [self.output.name, self.output.sha256],
                "extra": [[item.name, item.sha256] for item in self.extra], "pages": self.pages}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> JobRecord:
        return cls(Produced(*data["output"]), tuple(Produced(*item) for item in data["extra"]), data["pages"])

    @property
    def files(self) -> tuple[Produced, ...]:
        return (self.output, *self.extra)


class BuildCache:
    """Keys and results under build/.cache/; every write goes through a temporary file and a rename."""

    def __init__(self, build_dir: Path) -> None:
        self.build_dir = build_dir
        self.root = build_dir / CACHE_DIR

    def _read(self, path: Path) -> Any:
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # a missing or damaged record only means "not cached"

    def _write(self, path: Path, data: Any) -> None:
        write_atomic(path, json.dumps(data, sort_keys=True, indent=1).encode("utf-8"))

    def edition_assets(self, edition_key: str) -> list[str] | None:
        """The assets (paths relative to the project) an edition used when its sources had this key."""
        data = self._read(self.root / "editions" / f"{edition_key}.json")
        return list(data["assets"]) if isinstance(data, dict) and "assets" in data else None

    def edition_findings(self, edition_key: str) -> list[list[Any]]:
        """The warnings parsing the edition gave when its sources had this key (replayed when it is not parsed)."""
        data = self._read(self.root / "editions" / f"{edition_key}.json")
        return list(data.get("findings", [])) if isinstance(data, dict) else []

    def remember_edition(self, edition_key: str, assets: Iterable[str], findings: Iterable[list[Any]] = ()) -> None:
        self._write(self.root / "editions" / f"{edition_key}.json",
                    {"assets": list(assets), "findings": list(findings)})

    def record(self, job_key: str) -> JobRecord | None:
        data = self._read(self.root / "jobs" / f"{job_key}.json")
        try:
            return JobRecord.from_json(data) if isinstance(data, dict) else None
        except (KeyError, TypeError, ValueError):
            return None

    def is_current(self, record: JobRecord) -> bool:
        """Whether build/ already holds exactly the files the record names."""
        return all(file_sha256(self.build_dir / item.name) == item.sha256 for item in record.files)

    def restore(self, record: JobRecord) -> bool:
        """Put the recorded files back into build/ from the object store; False if any object is gone."""
        objects = [(item, self._object(item.sha256)) for item in record.files]
        if not all(file_sha256(source) == item.sha256 for item, source in objects):
            return False
        for item, source in objects:
            if file_sha256(self.build_dir / item.name) != item.sha256:
                copy_atomic(source, self.build_dir / item.name)
        return True

    def store(self, job_key: str, record: JobRecord) -> None:
        """Keep the produced files in the object store, then the record that names them."""
        for item in record.files:
            target = self._object(item.sha256)
            if file_sha256(target) != item.sha256:
                copy_atomic(self.build_dir / item.name, target)
        self._write(self.root / "jobs" / f"{job_key}.json", record.to_json())

    def _object(self, sha256: str) -> Path:
        return self.root / "objects" / sha256[:2] / sha256
