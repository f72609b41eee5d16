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
  build/.cache/chapters/<key>.pickle         a book's piece layouts (backends/pdf_cache.py), so an edit lays
                                             out only the chapter it changed

Every folder is flat (no objects/ab/<sha> fan-out): a folder costs the cache 4096 bytes on ext4, and
each holds at most a few hundred names. A key is a SHA-256 (hashing.Hasher) over the bytes of
everything a job's output depends on, never over file times.

The cache is bounded (`BuildCache.prune`, after every build that made or restored something): it
always keeps the records and objects of the outputs now in build/ (as build/manifest.json lists
them), and of earlier results as many as fit, most recently used first, while the whole cache stays
within CACHE_FACTOR × the size of those outputs, counted as `du -sb` counts it (files and folders).
So a return to a recent version of the text is still a copy, and ten edits of a book no longer leave
ten PDFs behind. The web images an edition of this build uses always stay (the next build must not
need the network); other fetched images, font subsets, a book's piece layouts (this build's first)
and old edition records fit in the same bound.
`pubpipe clean --cache` empties it.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from .files import TEMPORARY_SUFFIX, copy_atomic, file_sha256, write_atomic

CACHE_DIR = ".cache"
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
PIECES = "chapters"
"""A book's piece layouts (backends/pdf_cache.PieceCache)."""
PARSES = "parses"
"""pandoc's parses of an edition's files, one by one (reading/parsed.py)."""
WRITTEN = "writer"
"""The HTML pandoc wrote for each part of an output (backends/render/writer.run_writer)."""
REMOTE = "remote"
REMOTE_BYTES = 64 * 1024 * 1024
"""Web images kept in build/.cache/remote/ that no edition of the build uses, most recently used first
(a README badge is a few kB; an image is fetched up to reading/remote.MAX_BYTES, 10 MiB)."""


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
        import time

        self.started = time.time()
        """When this build began: the files it read or wrote since (marked used then) come first in prune()."""

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
        # Flat: the cache holds a few dozen objects (3 × the outputs' bytes), and on ext4 each fan-out
        # folder of objects/<sha[:2]>/ would cost 4096 bytes of its own, more than a small output.
        return self.root / "objects" / sha256

    def prune(self, current: dict[str, str]) -> int:
        """Evict what no recent build needs; returns the bytes removed.

        *current*: the outputs now in build/, {name relative to build/: sha256} (build/manifest.json).
        The bound is max(CACHE_FACTOR × the bytes of the current outputs' objects, CACHE_FLOOR), and
        the whole cache counts against it as `du -sb build/.cache` counts it: files, and the cache's
        folders by their own size (st_size: 4096 bytes a folder on ext4). First come the folders,
        the records this build used and those of *current* (marked recently used) with their objects,
        and the edition records (used now, and the EDITION_RECORDS newest others); then the fetched
        web images (remote/): those the editions used by this build name among their assets always
        stay (a rebuild must not need the network), the others most recently used first within the
        room left (and REMOTE_BYTES); then the font subsets (subsets/), most recently used first
        within the room left (and SUBSET_BYTES); then a book's piece layouts (chapters/), the parses of
        the editions' files (parses/) and the HTML pandoc wrote for each part of an output (writer/), as
        one pool, most recently used first (this build's first: the next edit of a book lays out, parses
        and writes only its chapter) within the room left; then the other job records, newest first, with the
        objects they name, while they fit. Folders of the older sharded layout (objects/ab/<sha>) are
        removed.
        """
        import time

        now = time.time()
        removed = _remove_folders(self.root / "objects") + _remove_folders(self.root / SUBSETS)
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
        outputs = total = 0
        drop: list[Path] = []
        rest = []
        for mtime, path, length, record in records:
            if record is None or any(size(item.sha256) < 0 for item in record.files):
                drop.append(path)  # damaged, or its objects are gone: useless
            elif live(path, record):
                os.utime(path, (now, now))
                new = {item.sha256 for item in record.files} - kept
                outputs += sum(size(sha) for sha in new)
                total += length + sum(size(sha) for sha in new)
                kept |= new
            else:
                rest.append((mtime, path, length, record))
        removed += self._prune_editions(now)
        room = (max(CACHE_FACTOR * outputs, CACHE_FLOOR) - total - folders_bytes(self.root)
                - folder_bytes(self.root / "editions", "*.json"))
        # The web images this build's editions use stay whatever their size (the outputs embed them, so
        # they are no bigger than the outputs); the others only as far as the room allows.
        remote = self.root / REMOTE
        removed += prune_least_used(remote, min(REMOTE_BYTES, max(room, 0)),
                                    keep={remote / name for name in self.used_remote()})
        room -= folder_bytes(remote, "*")
        # The font subsets of the outputs now in build/ are as big as the fonts the outputs carry.
        removed += prune_least_used(self.root / SUBSETS, min(SUBSET_BYTES, max(room, 0)))
        room -= folder_bytes(self.root / SUBSETS, "*")
        # A book's piece layouts (chapters/), the parses of its files (parses/) and the HTML pandoc wrote
        # for each part (writer/): one pool, most recently used first, so what this build read or wrote
        # stays before anything older (the next edit lays out, parses and writes one chapter). For a
        # long book they are about 1.5 × its PDF and fit; a short one's pieces repeat their fonts, and
        # the least recently used go (the front matter's first piece), to be made again.
        pool = [(self.root / PIECES, "*.pickle"), (self.root / PARSES, "*.pickle"), (self.root / WRITTEN, "*")]
        # This build's first, the piece layouts before the parses and the parts (a layout costs the most
        # to make again); then the older ones, most recently used first.
        # The room was counted less the pool's folders: a folder is charged only if something stays in it.
        own = sum(_folder_size(folder) for folder, _ in pool)
        removed += prune_least_used_of(pool, max(room + own, 0), current_since=self.started - 1, charge_folders=True)
        for folder, _ in pool:
            with contextlib.suppress(OSError):  # an emptied folder would still cost its own 4096 bytes
                folder.rmdir()
        room -= sum(folder_bytes(folder, pattern) + _folder_size(folder) for folder, pattern in pool) - own
        for mtime, path, length, record in sorted(rest, key=lambda entry: entry[0], reverse=True):
            assert record is not None
            new = {item.sha256 for item in record.files} - kept
            cost = length + sum(size(sha) for sha in new)
            if cost > room:
                drop.append(path)
                continue
            room -= cost
            kept |= new
        for path in drop:
            removed += _remove(path)
        for path in (self.root / "objects").glob("*"):
            if path.name not in kept and not path.name.endswith(TEMPORARY_SUFFIX):
                removed += _remove(path)
        return removed

    def _prune_editions(self, now: float) -> int:
        """Keep the edition records this build used (marked used now) and the EDITION_RECORDS newest others."""
        editions = []
        for path in (self.root / "editions").glob("*.json"):
            if path in self.used:
                os.utime(path, (now, now))
            else:
                editions.append((path.stat().st_mtime, path))
        # An edition record is a few hundred bytes: the newest ones are kept by number.
        return sum(_remove(path) for _, path in sorted(editions, reverse=True)[EDITION_RECORDS:])


def stored_bytes(folder: Path, key: str) -> bytes | None:
    """The bytes kept under *key* in *folder* (and marked used now, for prune_least_used), or None."""
    path = folder / key
    try:
        data = path.read_bytes()
        os.utime(path)
    except OSError:
        return None  # a missing file only means "not kept"
    return data


def store_bytes(folder: Path, key: str, data: bytes) -> None:
    """Keep *data* under *key* in *folder* (atomically: a reader sees all of it or nothing)."""
    write_atomic(folder / key, data)


def keep_bytes(folder: Path, key: str, data: bytes) -> None:
    """store_bytes, the folder made first; a cache that cannot be written (a read-only build/) only
    means the work is done again next time."""
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        store_bytes(folder, key, data)


def prune_least_used(folder: Path, budget: int, keep: set[Path] | frozenset[Path] = frozenset(),
                     pattern: str = "*") -> int:
    """Remove the least recently used files of *folder* (those *pattern* finds, by time of last use)
    until the rest fit in *budget* bytes; the files in *keep* stay and count first. Returns the bytes
    removed."""
    return prune_least_used_of([(folder, pattern)], budget, keep)


def _folder_size(folder: Path) -> int:
    """A folder's own size as `du -b` counts it (0 when there is none)."""
    try:
        return os.stat(folder).st_size
    except OSError:
        return 0


def prune_least_used_of(places: list[tuple[Path, str]], budget: int,
                        keep: set[Path] | frozenset[Path] = frozenset(), current_since: float | None = None,
                        charge_folders: bool = False) -> int:
    """prune_least_used over the files of several (folder, pattern) places taken as one pool; with
    *current_since* (a time), the files used since then come first, in the order of *places*; with
    *charge_folders*, a place's folder costs its own size once a file in it is kept."""
    files = []
    total = 0
    for rank, (folder, pattern) in enumerate(places):
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
                current = current_since is not None and stat.st_mtime >= current_since
                files.append((0 if current else 1, rank if current else 0, -stat.st_mtime, stat.st_size, path))
    removed = 0
    charged: set[Path] = set()
    for *_, size, path in sorted(files, key=lambda item: (item[0], item[1], item[2], item[4])):
        if charge_folders and path.parent not in charged:
            charged.add(path.parent)
            size += _folder_size(path.parent)
        total += size
        if total > budget:
            removed += _remove(path)
    return removed


def folder_bytes(folder: Path, pattern: str) -> int:
    """The bytes of the files *pattern* finds in *folder* (0 if there is none; call it under the build lock)."""
    return sum(path.stat().st_size for path in folder.glob(pattern) if path.is_file())


def folders_bytes(root: Path) -> int:
    """The size of *root* and of every folder under it as the file system gives it (st_size), which
    `du -b` adds to the files' bytes: 4096 a folder on ext4, more once it holds a few hundred names."""
    total = 0
    for top, _, _ in os.walk(root):
        try:
            total += os.stat(top).st_size
        except FileNotFoundError:
            continue
    return total


def _remove_folders(folder: Path) -> int:
    """Delete the folders inside *folder* (the fan-out folders objects/ab/ and subsets/ab/ of the older
    layout: what they hold is only missed, so it is built again); the bytes of their files."""
    import shutil

    removed = 0
    for path in folder.glob("*"):
        if path.is_dir() and not path.is_symlink():
            removed += sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())
            shutil.rmtree(path, ignore_errors=True)
    return removed


def _remove(path: Path) -> int:
    """Delete a file; its size in bytes (0 if it was already gone)."""
    try:
        size = path.stat().st_size
        path.unlink()
    except FileNotFoundError:
        return 0
    return size


def clean(build_dir: Path, cache_only: bool) -> int:
    """Empty build/.cache (*cache_only*) or all of build/ but its lock; the bytes removed, counted as
    `du -sb` counts them (files, and folders by their own size).

    Call it while holding build/.lock (lock.build_lock): a build must not lose files under its feet.
    The lock file stays: a build waiting for it holds it open.
    """
    import shutil

    targets = [build_dir / CACHE_DIR] if cache_only else [p for p in build_dir.iterdir() if p.name != ".lock"]
    removed = 0
    for target in targets:
        if target.is_dir() and not target.is_symlink():
            removed += sum(p.lstat().st_size for p in (target, *target.rglob("*")))
            shutil.rmtree(target)
        elif target.exists() or target.is_symlink():
            removed += _remove(target)
    return removed
