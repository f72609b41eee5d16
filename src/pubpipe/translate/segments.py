"""Translatable segments of Markdown: headings, paragraphs, list items, quotations, cells, notes."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import SourceRef

KIND_PREFIX = {"heading": "h", "paragraph": "p", "item": "li", "quotation": "q", "cell": "td", "note": "n"}


@dataclass(frozen=True, slots=True)
class Segment:
    """One translatable piece of a Markdown file: a heading, paragraph, list item, quotation or cell."""

    kind: str
    """heading, paragraph, item, quotation, cell or note."""
    text: str
    """The Markdown of the piece exactly as in the file (markers such as `# ` and `- ` left out)."""
    path: Path
    """The file it is in."""
    start: int
    """Offset of its first character in the file's text."""
    end: int
    """Offset just after its last character."""
    line: int
    """1-based line where it starts."""

    @property
    def hash(self) -> str:
        return text_hash(self.text)


def text_hash(text: str) -> str:
    """Hash of a segment's text; rewrapping lines does not change it."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]



def file_segments(path: Path) -> list[Segment]:
    """The segments of one Markdown file, in document order, from one pandoc run with source positions."""
    from ..reading.pandoc import run_pandoc
    from ..reading.sources import read_source

    # Pandoc reads the body (front matter blanked, same lines); offsets are taken in the file's own
    # text, whose lines from the end of the front matter on are the same.
    document = run_pandoc(read_source(path).body, SourceRef(path, 1), word_positions=True)
    text = path.read_text(encoding="utf-8").lstrip("\ufeff").replace("\r\n", "\n")
    offsets = [0]
    for line in text.split("\n"):
        offsets.append(offsets[-1] + len(line) + 1)
    found: list[Segment] = []

    def offset(line: int, column: int) -> int:
        return offsets[line - 1] + column - 1

    def add(kind: str, inlines: list[Any]) -> None:
        spans = [span for span in map(_span_range, inlines) if span is not None]
        if not spans:
            return
        start, end = offset(*spans[0][0]), offset(*spans[-1][1])
        found.append(Segment(kind, text[start:end], path, start, end, spans[0][0][0]))

    def blocks(items: list[Any], kind: str) -> None:
        for block in items:
            walk(block, kind)

    def walk(node: Any, kind: str) -> None:
        tag, content = node.get("t"), node.get("c")
        if tag == "Header":
            add("heading", content[2])
        elif tag in ("Para", "Plain"):
            add(kind, content)
            for note in _notes(content):
                blocks(note, "note")
        elif tag == "Div":
            blocks(content[1], kind)
        elif tag in ("BulletList", "OrderedList"):
            for item in content if tag == "BulletList" else content[1]:
                blocks(item, "item")
        elif tag == "BlockQuote":
            blocks(content, "quotation")
        elif tag == "Table":
            for cell_blocks in _table_cells(content):
                blocks(cell_blocks, "cell")
        elif tag == "Figure":
            blocks(content[1][1], "paragraph")  # the caption
            blocks(content[2], kind)
        elif tag == "DefinitionList":
            for term, definitions in content:
                add("paragraph", term)
                for definition in definitions:
                    blocks(definition, "paragraph")

    blocks(document["blocks"], "paragraph")
    return found


POS = re.compile(r"@?(\d+):(\d+)-(\d+):(\d+)$")


def _span_range(node: Any) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """The (start, end) line/column of an inline sourcepos wrapper; None for those without one."""
    from ..model.ast import attr_of

    attr = attr_of(node) if isinstance(node, dict) else None
    if not attr:
        return None
    pos = dict(attr[2]).get("data-pos", "")
    match = POS.search(pos.split(";")[-1])
    first = POS.search(pos.split(";")[0]) if match else None
    if not match or not first:
        return None
    return (int(first.group(1)), int(first.group(2))), (int(match.group(3)), int(match.group(4)))


def _notes(inlines: Any) -> Iterator[list[Any]]:
    """The block contents of footnotes called from these inlines."""
    from ..model.ast import find

    for note in find(inlines, "Note"):
        yield note["c"]


def _table_cells(content: list[Any]) -> Iterator[list[Any]]:
    """Every cell's blocks of a pandoc Table, head, bodies and foot, row by row."""
    _attr, _caption, _specs, head, bodies, foot = content
    rows = list(head[1])
    for body in bodies:
        rows += body[2] + body[3]
    rows += foot[1]
    for row in rows:
        for cell in row[1]:
            yield cell[4]


def edition_segments(files: tuple[Path, ...]) -> list[Segment]:
    """Every segment of an edition's files, in reading order."""
    return [segment for path in files for segment in file_segments(path)]


def segment_ids(segments: list[Segment]) -> list[str]:
    """A stable id for each segment: its kind and the hash of its text, numbered when repeated."""
    ids: list[str] = []
    seen: dict[str, int] = {}
    for segment in segments:
        base = f"{KIND_PREFIX[segment.kind]}-{segment.hash[:8]}"
        seen[base] = seen.get(base, 0) + 1
        ids.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return ids
