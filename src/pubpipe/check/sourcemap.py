"""Map a line of a built HTML or XHTML file back to the Markdown block it was rendered from."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..errors import SourceRef
from ..model import Edition, Node, ast

# Blocks whose own inline text identifies them; containers (lists, quotes) are found through them.
TEXT_BLOCKS = {"Para": lambda c: c, "Plain": lambda c: c, "Header": lambda c: c[2]}
KEY_LENGTH = 48


def _key(text: str) -> str:
    """Text as both sides can agree on it: whitespace (no-break spaces too) collapsed, soft hyphens gone."""
    return " ".join(text.replace("\u00ad", "").replace("\u00a0", " ").split())[:KEY_LENGTH]


def block_index(edition: Edition) -> dict[str, SourceRef]:
    """The first words of every text block of the edition (as the outputs print them) → its source."""
    index: dict[str, SourceRef] = {}

    def visit(value: Any) -> None:
        if isinstance(value, list):
            for item in value:
                visit(item)
        elif isinstance(value, dict) and "t" in value:
            node: Node = value
            if node["t"] in TEXT_BLOCKS and node.get("pos") is not None:
                key = _key(ast.plain_text(TEXT_BLOCKS[node["t"]](node["c"])))
                if len(key) >= 8:
                    index.setdefault(key, node["pos"])
            if "c" in node:
                visit(node["c"])

    for section in edition.sections:
        visit(([section.heading] if section.heading else []) + list(section.blocks))
    return index


def locate(document: bytes, line: int, index: dict[str, SourceRef], xml: bool) -> SourceRef | None:
    """The source of the element a validator pointed at (line *line* of *document*), if it came from a block."""
    from lxml import etree, html

    try:
        root = etree.fromstring(document) if xml else html.document_fromstring(document)
    except (etree.XMLSyntaxError, ValueError):
        return None
    candidate = None
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.sourceline is not None and element.sourceline <= line:
            candidate = element
        elif element.sourceline is not None and element.sourceline > line:
            break
    while candidate is not None:
        key = _key("".join(candidate.itertext()))
        if key in index:
            return index[key]
        # A prefix match lets a block whose text the output cut (a note marker) still be found.
        for known, ref in index.items():
            if len(key) >= 16 and known.startswith(key[:16]) and re.sub(r"\W", "", known)[:12] == re.sub(
                    r"\W", "", key)[:12]:
                return ref
        candidate = candidate.getparent()
    return None


def member_ref(container: Path, member: str, line: int | None, column: int | None) -> SourceRef:
    """A place inside an EPUB, shown as `book.epub/EPUB/text/chapter-001.xhtml:12:3`."""
    return SourceRef(container / member, line, column)
