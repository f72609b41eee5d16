"""Small helpers over pandoc's JSON AST: attributes, plain text, search and copying maps."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from . import Node

# Where each node type keeps its attributes ([id, classes, key-value pairs]) inside "c".
ATTR_INDEX = {"Header": 1, "CodeBlock": 0, "Div": 0, "Span": 0, "Link": 0, "Image": 0, "Code": 0,
              "Table": 0, "Figure": 0}


def attr_of(node: Node) -> list[Any] | None:
    """The node's attribute triple, or None for nodes without attributes."""
    index = ATTR_INDEX.get(node.get("t", ""))
    if index is None:
        return None
    content = node["c"]
    attr: list[Any] | None = content[index] if index < len(content) else None
    return attr


def children(value: Any) -> Iterator[Node]:
    """Every node nested anywhere inside *value* (not *value* itself)."""
    if isinstance(value, dict):
        value = value.get("c")
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict) and "t" in item:
            yield item
            stack.append(item.get("c"))


LINKING = frozenset({"Link", "RawInline", "RawBlock"})
"""The node types that may link somewhere: Link, and raw HTML (its `<a href>`)."""


def find_any(value: Any, tags: frozenset[str]) -> Iterator[Node]:
    """Every node whose type is one of *tags* inside *value*, in document order: one walk for several types."""
    if isinstance(value, dict) and value.get("t") in tags:
        yield value
    for node in children(value):
        if node["t"] in tags:
            yield node


def find(value: Any, tag: str) -> Iterator[Node]:
    """Every node of type *tag* inside *value* (a node or a list of nodes), in document order."""
    if isinstance(value, dict) and value.get("t") == tag:
        yield value
    for node in children(value):
        if node["t"] == tag:
            yield node


# A start tag of raw HTML and its attributes (HTML's syntax: quoted, unquoted or no value).
RAW_START_TAG = re.compile(r"""<([a-zA-Z][\w:-]*)((?:\s+[^\s"'=<>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*/?>""")
RAW_ATTRIBUTE = re.compile(r"""(\s+)([^\s"'=<>/]+)(?:(\s*=\s*)("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")


def raw_anchors(text: str, rename: Callable[[str], str] | None = None) -> tuple[list[str], str]:
    """The ids raw HTML *text* gives its elements, in order, and the text with each renamed by *rename*.

    An element's id is its `id`, else an `<a name>` or `<img name>` (which the render writes as id,
    HTML5 having dropped `name` there); a `name` beside an `id` of the same value is renamed with it.
    """
    import html

    found: list[str] = []

    def tag(match: re.Match[str]) -> str:
        element = match.group(1).lower()
        values: dict[str, str] = {}
        for pair in RAW_ATTRIBUTE.finditer(match.group(2)):
            if pair.group(4) is not None:
                values.setdefault(pair.group(2).lower(), html.unescape(pair.group(4).strip("\"'")))
        value = values.get("id") or (values.get("name") if element in ("a", "img") else None)
        if not value:
            return match.group(0)
        found.append(value)
        new = rename(value) if rename is not None else value
        if new == value:
            return match.group(0)

        def renamed(item: re.Match[str]) -> str:
            key = item.group(2).lower()
            if item.group(4) is None or key not in ("id", "name") or html.unescape(item.group(4).strip("\"'")) != value:
                return item.group(0)
            return f'{item.group(1)}{item.group(2)}{item.group(3)}"{html.escape(new)}"'

        return f"<{match.group(1)}{RAW_ATTRIBUTE.sub(renamed, match.group(2))}{match.group(0)[match.end(2) - match.start(0):]}"

    text = RAW_START_TAG.sub(tag, text)
    return found, text


def is_raw_html(node: Node) -> bool:
    """Whether *node* is a RawInline or RawBlock of HTML."""
    return node.get("t") in ("RawInline", "RawBlock") and node["c"][0] in ("html", "html5")


def ids_in(blocks: list[Node]) -> list[str]:
    """Every non-empty element id in *blocks*, raw HTML's included (see raw_anchors)."""
    found = []
    for node in children(blocks):
        attr = attr_of(node)
        if attr and attr[0]:
            found.append(attr[0])
        elif is_raw_html(node):
            found += raw_anchors(node["c"][1])[0]
    return found


def merge_strings(inlines: list[Node]) -> list[Node]:
    """*inlines* with each run of neighbouring Str nodes joined into one, keeping the first's other keys
    (sourcepos splits `@fig-x` into four Strs; typography's rules read a word whole)."""
    merged: list[Node] = []
    for node in inlines:
        if node["t"] == "Str" and merged and merged[-1]["t"] == "Str":
            merged[-1] = {**merged[-1], "c": merged[-1]["c"] + node["c"]}
        else:
            merged.append(node)
    return merged


def plain_text(inlines: Any) -> str:
    """The text of inlines (or blocks) without markup; notes left out."""
    out: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, list):
            for item in value:
                walk(item)
            return
        if not isinstance(value, dict):
            return
        tag = value.get("t")
        content: Any = value.get("c")
        if tag == "Str":
            out.append(content)
        elif tag in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
        elif tag in ("Code", "Math"):
            out.append(content[1])
        elif tag == "Note":
            return
        elif tag == "Quoted" or tag in ("Link", "Image", "Span") or tag == "Cite":
            walk(content[1])
        elif isinstance(content, list):
            walk(content)

    walk(inlines)
    # Collapse ordinary whitespace only: no-break spaces are part of the text.
    return re.sub(r"[ \t\n\r]+", " ", "".join(out)).strip()


def copy_tree(value: Any) -> Any:
    """A copy of a tree of pandoc nodes: new lists and dicts, the same strings, numbers and SourceRefs
    (immutable, so shared). Three times as fast as copy.deepcopy, which keeps a memo of every object
    (1.0 against 3.3 s for a 218-page book)."""
    if type(value) is list:
        return [copy_tree(item) for item in value]
    if type(value) is dict:
        return {key: copy_tree(item) for key, item in value.items()}
    if type(value) is tuple:
        return tuple(copy_tree(item) for item in value)
    return value


def map_nodes(value: Any, func: Callable[[Node], Node | list[Node] | None]) -> Any:
    """A deep copy of *value* where *func* may replace nodes (bottom-up); None keeps the node."""
    value = copy_tree(value)

    def walk(item: Any) -> Any:
        if isinstance(item, list):
            result: list[Any] = []
            for element in item:
                mapped = walk(element)
                if isinstance(element, dict) and isinstance(mapped, list):
                    result.extend(mapped)
                else:
                    result.append(mapped)
            return result
        if isinstance(item, dict) and "t" in item:
            if "c" in item:
                item["c"] = walk(item["c"])
            replaced = func(item)
            return item if replaced is None else replaced
        return item

    return walk(value)
