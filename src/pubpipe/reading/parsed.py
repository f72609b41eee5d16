"""pandoc's parse of each file of an edition on its own, kept in build/.cache/parses/ by the file's text,
so that after an edit of one chapter pandoc reads that chapter only."""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import SourceRef
from ..model import Node, ast
from .pandoc import pandoc_identity, run_pandoc
from .sections import LineMap, from_sourcepos

# sourcepos's `data-pos`: "3:1-4:9", the first and last lines (and columns) a node was read from.
SOURCEPOS = re.compile(r"^(\d+):\d+-(\d+):")

# A link reference definition (`[label]: url`, not a footnote's `[^label]:`). One file may use another's:
# only a parse of the whole edition resolves that, so an edition with definitions is parsed whole.
REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[(?!\^)[^\]\n]+\]:", re.MULTILINE)


@dataclass(frozen=True)
class FileText:
    """One file's text as pandoc reads it, and where its lines come from."""

    text: str
    """The Markdown after pubpipe's own preparation (note labels made unique, admonitions converted)."""
    runs: tuple[tuple[int, Path, int], ...]
    """(line of *text* from 1, file, line in that file) where each run of consecutive lines begins."""

    def key(self, version: str) -> str:
        """SHA-256 hex of the text, its lines' origins and *version* (parse_version)."""
        digest = hashlib.sha256()
        for part in ("parse-1", version, repr(self.runs), self.text):
            data = part.encode("utf-8")
            digest.update(len(data).to_bytes(8, "big") + data)
        return digest.hexdigest()


def parse_version(reader: str) -> str:
    """What a file's parse depends on besides its text: the reader, pandoc (its executable's path, size
    and time: a new pypandoc-binary is a new file) and pubpipe's code (which turns sourcepos into places)."""
    from ..building.hashing import code_digest

    return f"{reader}\n{pandoc_identity()}\n{code_digest()}"


@dataclass(frozen=True)
class ParsedFile:
    """A file's blocks (placed: `pos` on blocks, links and images), pandoc's metadata, and its headings:
    their ids and their Markdown (the lines each was read from), in document order."""

    blocks: list[Node]
    meta: dict[str, Any]
    heading_ids: tuple[str, ...]
    heading_sources: tuple[str, ...]


def parse_file(file: FileText, reader: str) -> ParsedFile:
    """One pandoc run over *file*; raises what run_pandoc raises (SourceError S103/S105, MissingDependency)."""
    lines = LineMap()
    for first, path, start in file.runs:
        lines.add(first, path, start)
    document = run_pandoc(file.text, SourceRef(file.runs[0][1]), reader=reader)
    text_lines = file.text.split("\n")
    sources = []
    for node in ast.find(document["blocks"], "Header"):
        span = SOURCEPOS.search(dict(node["c"][1][2]).get("data-pos", ""))
        sources.append("\n".join(text_lines[int(span.group(1)) - 1:int(span.group(2))]) if span else "")
    blocks = from_sourcepos({"t": "Document", "c": document["blocks"]}, lines)["c"]
    ids = tuple(node["c"][1][0] for node in ast.find(blocks, "Header"))
    return ParsedFile(blocks, document.get("meta") or {}, ids, tuple(sources))


def parse_files(files: list[FileText], reader: str, cache_dir: Path | None) -> list[ParsedFile]:
    """Each of *files* parsed on its own, in order: from *cache_dir*/parses/ when kept there, otherwise
    by pandoc (up to one run a core at once) and then kept. *cache_dir* None keeps nothing; a cache
    that cannot be read or written only costs the parse. Raises what parse_file raises."""
    from ..building.cache import PARSES, keep_bytes, stored_bytes  # the cache's folders, bound and files

    folder = cache_dir / PARSES if cache_dir is not None else None
    version = parse_version(reader)
    keys = [file.key(version) for file in files]
    found: dict[int, ParsedFile] = {}
    if folder is not None:
        for index, key in enumerate(keys):
            kept = _kept(stored_bytes(folder, f"{key}.pickle"))
            if kept is not None:
                found[index] = kept
    missing = [index for index in range(len(files)) if index not in found]
    if missing:
        with ThreadPoolExecutor(max_workers=max(1, min(len(missing), os.cpu_count() or 1))) as threads:
            # Threads are enough: the time is in pandoc's process; the JSON is read as each ends.
            for index, parsed in zip(missing, threads.map(lambda i: parse_file(files[i], reader), missing)):
                found[index] = parsed
                if folder is not None:
                    # Compressed: the tree's JSON-like nodes shrink about tenfold, and the cache is bounded by bytes.
                    keep_bytes(folder, f"{keys[index]}.pickle", zlib.compress(pickle.dumps(parsed, protocol=4), 1))
    return [found[index] for index in range(len(files))]


def _kept(data: bytes | None) -> ParsedFile | None:
    """A kept parse from its stored bytes (building/cache.stored_bytes), or None."""
    if data is None:
        return None
    try:
        parsed = pickle.loads(zlib.decompress(data))
    except (zlib.error, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError):
        return None
    return parsed if isinstance(parsed, ParsedFile) else None


def separable(files: list[FileText]) -> bool:
    """Whether the files may be parsed one by one: there are several, and none defines a link reference
    (`[label]: url`) that another could use. (Heading ids repeated across files are settled by joined.)"""
    return len(files) > 1 and not any(REFERENCE_DEFINITION.search(file.text) for file in files)


def joined(parsed: list[ParsedFile], reader: str) -> list[Node] | None:
    """The files' blocks one after the other, their headings' ids as one parse of the whole text gives them.

    pandoc numbers a heading whose id an earlier heading of the text already took (`intro`, then
    `intro-1`). Where a heading id of one file is also another's, the headings alone (their lines, in
    order) are parsed again as one text, which gives each heading its id in the whole text; None
    when that does not find the same headings (the whole text must then be parsed at once).
    """
    blocks = [block for item in parsed for block in item.blocks]
    seen: set[str] = set()
    for item in parsed:
        ids = set(item.heading_ids)
        if ids & seen:
            break
        seen |= ids
    else:
        return blocks
    sources = [source for item in parsed for source in item.heading_sources]
    if not all(sources):
        return None
    headings = run_pandoc("\n\n".join(sources) + "\n", SourceRef(Path("headings")), reader=reader)
    found = [node["c"][1][0] for node in ast.find(headings["blocks"], "Header")]
    nodes = list(ast.find(blocks, "Header"))
    if len(found) != len(nodes):
        return None
    for node, value in zip(nodes, found):
        node["c"][1][0] = value
    return blocks
