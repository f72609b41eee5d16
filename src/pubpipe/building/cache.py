"""The content-addressed build cache under build/.cache/: job keys from input bytes, and stored results.

Layout:
  build/.cache/editions/<edition key>.json   the assets an edition's sources use (known after a parse)
  build/.cache/jobs/<job key>.json           what a job produced: output and extra files with checksums
  build/.cache/objects/<sha256>              the bytes of every produced file, by checksum
  build/.cache/subsets/<key>                 font subsets, by a key over the font, the characters and the
                                             subsetter's options (subset.stored_subset): another format or a
                                             rebuild of the same edition reuses them
  build/.cache/remote/<url hash><suffix>     web images fetched with --allow-remote (reading/remote.py), so
                                             a rebuild works offline
  build/.cache/chapters/<key>.pickle         a book's piece layouts (backends/pdf_cache.py; its own bound)

A key is a SHA-256 over the bytes of everything a job's output depends on, never over file times.

The cache is bounded (`BuildCache.prune`, after every build that made or restored something): it
always keeps the records and objects of the outputs now in build/ (as build/manifest.json lists
them), and of earlier results as many as fit, most recently used first, while the whole cache stays
within CACHE_FACTOR × the size of those outputs. So a return to a recent
version of the text is still a copy, and ten edits of a book no longer leave ten PDFs behind. The
web images an edition of this build uses always stay (the next build must not need the network);
other fetched images, font subsets and old edition records fit in the same bound.
`pubpipe clean --cache` empties it.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from .files import TEMPORARY_SUFFIX, copy_atomic, file_sha256, write_atomic

CACHE_DIR = ".cache"
# Bump when the layout of keys or records changes, so old caches are ignored rather than misread.
SCHEMA = "pubpipe-cache-1"
CACHE_FACTOR = 3
"""The cache stays within this many times the size of the outputs in build/ (their own copies included)."""
CACHE_FLOOR = 0
"""… and may always use this many bytes (none: the outputs alone set the bound)."""
EDITION_RECORDS = 64
"""Edition records (assets and warnings of one version of an edition's sources) kept besides those in use."""
SUBSETS = "subsets"
SUBSET_BYTES = 64 * 1024 * 1024
"""Font subsets kept in build/.cache/subsets/, most recently used first (an article's are ~0.3 MB,
a book set in a CJK face a few MB)."""
REMOTE = "remote"
REMOTE_BYTES = 64 * 1024 * 1024
"""Web images kept in build/.cache/remote/ that no edition of the build uses, most recently used first
(a README badge is a few kB; an image is fetched up to reading/remote.MAX_BYTES, 10 MiB)."""


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
    findings: tuple[Any, ...] = ()
    """The warnings the backend reported (as build.finding_to_json writes them), said again on reuse."""

    def to_json(self) -> dict[str, Any]:
        return {"output": [self.output.name, self.output.sha256],
                "extra": [[item.name, item.sha256] for item in self.extra], "pages": self.pages,
                "findings": list(self.findings)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> JobRecord:
        return cls(Produced(*data["output"]), tuple(Produced(*item) for item in data["extra"]), data["pages"],
                   tuple(data.get("findings", ())))

    @property
    def files(self) -> tuple[Produced, ...]:
        return (self.output, *self.extra)


class BuildCache:
    """Keys and results under build/.cache/; every write goes through a temporary file and a rename."""

    def __init__(self, build_dir: Path) -> None:
        self.build_dir = build_dir
        self.root = build_dir / CACHE_DIR
        self.used: set[Path] = set()
        """The records this build read or wrote: prune() keeps them and marks them recently used."""

    def _read(self, path: Path) -> Any:
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # a missing or damaged record only means "not cached"

    def _write(self, path: Path, data: Any) -> None:
        write_atomic(path, json.dumps(data, sort_keys=True, indent=1).encode("utf-8"))

    def edition_assets(self, edition_key: str) -> list[str] | None:
        """The assets (paths relative to the project) an edition used when its sources had this key."""
        path = self.root / "editions" / f"{edition_key}.json"
        data = self._read(path)
        self.used.add(path)
        return list(data["assets"]) if isinstance(data, dict) and "assets" in data else None

    def edition_findings(self, edition_key: str) -> list[list[Any]]:
        """The warnings parsing the edition gave when its sources had this key (replayed when it is not parsed)."""
        data = self._read(self.root / "editions" / f"{edition_key}.json")
        return list(data.get("findings", [])) if isinstance(data, dict) else []

    def remember_edition(self, edition_key: str, assets: Iterable[str], findings: Iterable[list[Any]] = ()) -> None:
        path = self.root / "editions" / f"{edition_key}.json"
        self._write(path, {"assets": list(assets), "findings": list(findings)})
        self.used.add(path)

    def record(self, job_key: str) -> JobRecord | None:
        path = self.root / "jobs" / f"{job_key}.json"
        data = self._read(path)
        self.used.add(path)
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
        path = self.root / "jobs" / f"{job_key}.json"
        self._write(path, record.to_json())
        self.used.add(path)

    def used_remote(self) -> set[str]:
        """The names of the fetched web images (in remote/) among the assets of the edition records this
        build read or wrote: the images its outputs embed."""
        names = set()
        for path in self.used:
            if path.parent.name != "editions":
                continue
            data = self._read(path)
            for asset in data.get("assets", []) if isinstance(data, dict) else []:
                parts = PurePosixPath(str(asset)).parts
                if len(parts) >= 3 and parts[-3:-1] == (CACHE_DIR, REMOTE):
                    names.add(parts[-1])
        return names

    def _object(self, sha256: str) -> Path:
        return self.root / "objects" / sha256[:2] / sha256

    def prune(self, current: dict[str, str]) -> int:
        """Evict what no recent build needs; returns the bytes removed.

        *current*: the outputs now in build/, {name relative to build/: sha256} (build/manifest.json).
        Kept: the records this build used and those of *current* (marked recently used), then the
        other records newest first while the cache (objects and records) stays within
        max(CACHE_FACTOR × the bytes of the kept current objects, CACHE_FLOOR); then the objects
        those records name, and the edition records used now and the EDITION_RECORDS newest others.
        Font subsets (subsets/) are kept most recently used first within the same bound (and
        SUBSET_BYTES); their bytes and the edition records' count against it before older records.
        Fetched web images (remote/): those the editions used by this build name among their assets
        always stay (a rebuild must not need the network), the others most recently used first within
        the bound left (and REMOTE_BYTES); their bytes count before the font subsets'.
        """
        import time

        now = time.time()
        records: list[tuple[float, Path, int, JobRecord | None]] = []
        for path in sorted((self.root / "jobs").glob("*.json")):
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            data = self._read(path)
            try:
                record = JobRecord.from_json(data) if isinstance(data, dict) else None
            except (KeyError, TypeError, ValueError):
                record = None
            records.append((stat.st_mtime, path, stat.st_size, record))
        sizes: dict[str, int] = {}

        def size(sha256: str) -> int:
            if sha256 not in sizes:
                try:
                    sizes[sha256] = self._object(sha256).stat().st_size
                except FileNotFoundError:
                    sizes[sha256] = -1
            return sizes[sha256]

        def live(path: Path, record: JobRecord | None) -> bool:
            return record is not None and (path in self.used or current.get(record.output.name) == record.output.sha256)

        kept: set[str] = set()
        total = 0
        drop: list[Path] = []
        rest = []
        for mtime, path, length, record in records:
            if record is None or any(size(item.sha256) < 0 for item in record.files):
                drop.append(path)  # damaged, or its objects are gone: useless
            elif live(path, record):
                os.utime(path, (now, now))
                new = {item.sha256 for item in record.files} - kept
                total += length + sum(size(sha) for sha in new)
                kept |= new
            else:
                rest.append((mtime, path, length, record))
        # The edition records stay (by number, below): their bytes count against the bound first.
        editions_bytes = sum(path.stat().st_size for path in (self.root / "editions").glob("*.json"))
        # Then the web images: those this build's editions use stay whatever their size (the outputs
        # embed them, so they are no bigger than the outputs), the others as far as the bound allows.
        remote = self.root / REMOTE
        removed = prune_least_used(remote, min(REMOTE_BYTES, max(CACHE_FACTOR * total - editions_bytes, CACHE_FLOOR)),
                                   keep={remote / name for name in self.used_remote()}, pattern="*")
        remote_bytes = folder_bytes(remote, "*")
        # So do the font subsets (most recently used first, within the same bound and SUBSET_BYTES): those
        # of the outputs now in build/ are as big as the fonts the outputs carry.
        removed += prune_least_used(self.root / SUBSETS, min(SUBSET_BYTES, max(
            CACHE_FACTOR * total - editions_bytes - remote_bytes, CACHE_FLOOR)))
        subsets_bytes = folder_bytes(self.root / SUBSETS, "*/*")
        budget = max(CACHE_FACTOR * total - editions_bytes - remote_bytes - subsets_bytes, CACHE_FLOOR)
        for mtime, path, length, record in sorted(rest, key=lambda entry: entry[0], reverse=True):
            assert record is not None
            new = {item.sha256 for item in record.files} - kept
            cost = length + sum(size(sha) for sha in new)
            if total + cost > budget:
                drop.append(path)
                continue
            total += cost
            kept |= new
        for path in drop:
            removed += _remove(path)
        for folder in (self.root / "objects").glob("*"):
            for path in folder.glob("*"):
                if path.name not in kept and not path.name.endswith(TEMPORARY_SUFFIX):
                    removed += _remove(path)
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        editions = []
        for path in (self.root / "editions").glob("*.json"):
            if path in self.used:
                os.utime(path, (now, now))
            else:
                editions.append((path.stat().st_mtime, path))
        # An edition record is a few hundred bytes: the newest ones are kept by number.
        for _, path in sorted(editions, reverse=True)[EDITION_RECORDS:]:
            removed += _remove(path)
        return removed


def stored_bytes(folder: Path, key: str) -> bytes | None:
    """The bytes kept under *key* in *folder* (and marked used now, for prune_least_used), or None."""
    path = folder / key[:2] / key
    try:
        data = path.read_bytes()
        os.utime(path)
    except OSError:
        return None  # a missing file only means "not kept"
    return data


def store_bytes(folder: Path, key: str, data: bytes) -> None:
    """Keep *data* under *key* in *folder* (atomically: a reader sees all of it or nothing)."""
    write_atomic(folder / key[:2] / key, data)


def prune_least_used(folder: Path, budget: int, keep: set[Path] | frozenset[Path] = frozenset(),
                     pattern: str = "*/*") -> int:
    """Remove the least recently used files of *folder* (those *pattern* finds, by time of last use)
    until the rest fit in *budget* bytes; the files in *keep* stay and count first. Returns the bytes
    removed."""
    files = []
    total = 0
    for path in folder.glob(pattern):
        if path.name.endswith(TEMPORARY_SUFFIX) or not path.is_file():
            continue
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue
        if path in keep:
            total += stat.st_size
        else:
            files.append((stat.st_mtime, stat.st_size, path))
    removed = 0
    for _, size, path in sorted(files, key=lambda item: (-item[0], item[2])):
        total += size
        if total > budget:
            removed += _remove(path)
    return removed


def folder_bytes(folder: Path, pattern: str) -> int:
    """The bytes of the files *pattern* finds in *folder* (0 if there is none; call it under the build lock)."""
    return sum(path.stat().st_size for path in folder.glob(pattern) if path.is_file())


def _remove(path: Path) -> int:
    """Delete a file; its size in bytes (0 if it was already gone)."""
    try:
        size = path.stat().st_size
        path.unlink()
    except FileNotFoundError:
        return 0
    return size


def clean(build_dir: Path, cache_only: bool) -> int:
    """Empty build/.cache (*cache_only*) or all of build/ but its lock; the bytes removed.

    Call it while holding build/.lock (lock.build_lock): a build must not lose files under its feet.
    The lock file stays: a build waiting for it holds it open.
    """
    import shutil

    targets = [build_dir / CACHE_DIR] if cache_only else [p for p in build_dir.iterdir() if p.name != ".lock"]
    removed = 0
    for target in targets:
        if target.is_dir() and not target.is_symlink():
            removed += sum(p.stat().st_size for p in target.rglob("*") if p.is_file() and not p.is_symlink())
            shutil.rmtree(target)
        elif target.exists() or target.is_symlink():
            removed += _remove(target)
    return removed
