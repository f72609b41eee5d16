"""pandoc's blocks placed and cut: sourcepos turned into file:line:column, sections split at level-1 headings."""

from __future__ import annotations

import bisect
import re
from pathlib import Path
from typing import Any

from ..errors import SourceRef
from ..model import Node, Section, ast

POSITION = re.compile(r"(\d+):(\d+)")


class LineMap:
    """Maps lines of the concatenated edition text back to (file, line)."""

    def __init__(self) -> None:
        self.firsts: list[int] = []
        self.paths: list[Path] = []

    def add(self, first_line: int, path: Path) -> None:
        self.firsts.append(first_line)
        self.paths.append(path)

    def ref(self, line: int, column: int | None = None) -> SourceRef:
        # Called for every node of the edition: a binary search over the files' first lines.
        index = max(bisect.bisect_right(self.firsts, line) - 1, 0)
        return SourceRef(self.paths[index], line - self.firsts[index] + 1, column)


def from_sourcepos(node: Node, lines: LineMap) -> Node:
    """Replace pandoc's sourcepos wrappers by a `pos` SourceRef on each block, Link and Image."""
    def strip(items: list[Any]) -> list[Any]:
        result: list[Any] = []
        for item in items:
            if isinstance(item, dict) and item.get("t") in ("Div", "Span"):
                attr = item["c"][0]
                pairs = dict(attr[2])
                if pairs.get("wrapper") == "1" and (attr[0] or attr[1]):
                    # The author's attributes landed on a position wrapper (`word{#id}`): a real Span.
                    attr[2] = [pair for pair in attr[2] if pair[0] != "wrapper"]
                elif pairs.get("wrapper") == "1":
                    inner = strip(item["c"][1])
                    if inner and "data-pos" in pairs and "pos" not in inner[0]:
                        inner[0]["pos"] = _parse_pos(pairs["data-pos"], lines)
                    result.extend(inner)
                    continue
            result.append(walk(item))
        return result

    def walk(value: Any) -> Any:
        if isinstance(value, list):
            return strip(value)
        if isinstance(value, dict) and "t" in value:
            attr = ast.attr_of(value)
            if attr is not None:
                kept = [pair for pair in attr[2] if pair[0] != "data-pos"]
                if len(kept) != len(attr[2]):
                    value["pos"] = _parse_pos(dict(attr[2])["data-pos"], lines)
                    attr[2] = kept
            if "c" in value:
                value["c"] = walk(value["c"])
        return value

    result: Node = walk(node)
    return result


def _parse_pos(text: str, lines: LineMap) -> SourceRef:
    match = POSITION.search(text)
    if not match:
        return lines.ref(1)
    return lines.ref(int(match.group(1)), int(match.group(2)))


def split_sections(blocks: list[Node], first: SourceRef) -> tuple[Section, ...]:
    """Split blocks at level-1 headings; text before the first heading is an opening section."""
    sections: list[Section] = []
    heading: Node | None = None
    body: list[Node] = []

    def close() -> None:
        if heading is None and not body:
            return
        where = (heading or body[0]).get("pos") or first
        if heading is None:
            section_id, title = "opening", ""
        else:
            section_id, title = heading["c"][1][0], ast.plain_text(heading["c"][2])
        found = set(ast.ids_in([heading] if heading else []) + ast.ids_in(body))
        sections.append(Section(section_id, title, heading, tuple(body), where, frozenset(found)))

    for block in blocks:
        if block["t"] == "Header" and block["c"][0] == 1:
            close()
            heading, body = block, []
        else:
            body.append(block)
    close()
    return tuple(sections)
