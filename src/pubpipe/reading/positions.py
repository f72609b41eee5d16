"""Positions for pandoc's own Markdown, whose reader has no sourcepos: each block found by searching the text."""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING, Any

from ..errors import SourceRef
from ..model import Node, ast

if TYPE_CHECKING:
    from .sections import LineMap

CONTAINERS = {"Div", "BlockQuote", "BulletList", "OrderedList", "DefinitionList", "Figure"}
WORD = re.compile(r"\w{2,}")


def _needles(block: Node) -> list[re.Pattern[str]]:
    """Patterns that find where *block* starts in the Markdown, best first: its first words (three, then
    one: markup the reader turned into text, such as an example's number, can stand between them), or its code."""
    tag = block["t"]
    if tag in ("CodeBlock", "RawBlock"):
        first = next((line for line in block["c"][1].splitlines() if line.strip()), "")
        return [re.compile(re.escape(first.strip()))] if first.strip() else []
    if tag == "HorizontalRule":
        return [re.compile(r"^[ \t]*([-*_])([ \t]*\1){2,}[ \t]*$", re.MULTILINE)]
    if tag == "Figure":
        return [re.compile(r"!\[")]
    words: list[str] = []
    # A table's caption comes first in the AST but after the table in the text: its cells are searched.
    inside = block["c"][3:] if tag == "Table" else block
    for node in ast.children(inside):
        if node["t"] == "Str":
            words += WORD.findall(node["c"])
        elif node["t"] in ("Code", "Math"):
            if words:
                break
            return [re.compile(re.escape(node["c"][1][:40]))]
        if len(words) >= 3:
            break
    if not words:
        return []
    # Between two words anything but a letter may stand: spaces, marks, link brackets.
    return [re.compile(r"\b" + r"[\W_]+".join(re.escape(word) for word in words[:3])),
            re.compile(rf"\b{re.escape(words[0])}\b")]


class _Text:
    """The edition's Markdown with its line starts, to turn an offset into a line."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)


def find_positions(blocks: list[Node], text: str, lines: LineMap) -> None:
    """Give each block (and each Link, Image and Cite in it) a `pos`: the line where its first words
    are found, searching forward from the block before; a block not found takes the one before's.
    Columns are not known (pandoc's `markdown` reader reports none)."""
    source = _Text(text)
    state: dict[str, Any] = {"offset": 0, "pos": lines.ref(1)}

    def place(items: list[Any]) -> None:
        for block in items:
            if not isinstance(block, dict) or "t" not in block:
                continue
            match = None
            for needle in _needles(block):
                match = needle.search(text, state["offset"])
                if match:
                    break
            start = match.start() if match else state["offset"]
            if match:
                block["pos"] = lines.ref(source.line(start))
                state["pos"] = block["pos"]
            else:
                block["pos"] = state["pos"]
            state["offset"] = start
            _inline_positions(block, text, start, source, lines)
            if block["t"] in CONTAINERS:
                for child in _child_blocks(block):
                    place(child)
            state["offset"] = max(state["offset"], match.end() if match else start)

    place(blocks)


def _child_blocks(block: Node) -> list[list[Any]]:
    tag, content = block["t"], block["c"]
    if tag == "Div":
        return [content[1]]
    if tag == "BlockQuote":
        return [content]
    if tag == "BulletList":
        return list(content)
    if tag == "OrderedList":
        return list(content[1])
    if tag == "DefinitionList":
        return [blocks for _term, definitions in content for blocks in definitions]
    if tag == "Figure":
        return [content[2]]
    return []


def _inline_positions(block: Node, text: str, start: int, source: _Text, lines: LineMap) -> None:
    """Links, Images and Cites of *block* placed where their target or key is written."""
    offset = start
    for node in ast.children(block):
        if node["t"] in ("Link", "Image"):
            needle = node["c"][2][0]
        elif node["t"] == "Cite":
            needle = "@" + node["c"][0][0]["citationId"]
        else:
            continue
        found = text.find(needle, offset) if needle else -1
        if found < 0:
            node["pos"] = block.get("pos")
            continue
        node["pos"] = lines.ref(source.line(found))
        offset = found


def locate(where: SourceRef | None, needle: str) -> SourceRef | None:
    """*where* moved to the first place at or after it where *needle* is written in its file, with the
    column (a block's position made exact for a word in it); *where* itself if the text is not found."""
    if where is None or where.line is None:
        return where
    try:
        lines = where.path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return where
    for number in range(where.line - 1, min(len(lines), where.line + 200)):
        column = lines[number].find(needle, (where.column or 1) - 1 if number == where.line - 1 else 0)
        if column >= 0:
            return SourceRef(where.path, number + 1, column + 1)
    return where
