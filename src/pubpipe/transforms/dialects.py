"""Dialects: figures, captions, equations, task lists and line blocks in one form for every dialect.

pandoc's readers differ: commonmark_x has no table captions or line blocks and puts `{#eq-x}` on
the space before it; gfm has no attributes at all.
After this step every dialect gives the same AST, the one pandoc's own Markdown reader gives:

- a lone image with alt text, optionally followed by `{#fig-x}`: a Figure (id `fig-x`);
- a paragraph `: Caption {#tbl-x}` (or `Table: …`) right after a table: that table's caption and id;
- display math followed by `{#eq-x}`: a Div `#eq-x.equation` holding the math;
- a heading ending in `{#id}` (gfm): that heading's id;
- a heading ending in a Python-Markdown attribute list `{: #id .class key=value }` (MkDocs sites):
  that heading's id, classes and attributes;
- a gfm task item: its box and its text in one block, as pandoc's other readers give it;
- a paragraph whose every line starts with `| `: a LineBlock, its lines' indentation kept.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..model import Edition, Node, ast

if TYPE_CHECKING:
    from . import TransformContext

LABEL = re.compile(r"^\{#([A-Za-z_][\w.:-]*)\}$")
CAPTION = re.compile(r"^(?::|Table:)")
# Python-Markdown's attr_list at the end of a heading, as text: `{: #id .class key=value }`.
ATTRIBUTE_LIST = re.compile(r"^\{:\s*([^{}]*)\}$")


def _label_node(node: Node) -> str | None:
    """The id of a `{#id}` label: a Str, or commonmark_x's Span around the space before it."""
    if node["t"] == "Str":
        match = LABEL.match(node["c"])
        return match.group(1) if match else None
    if node["t"] == "Span" and node["c"][0][0] and not node["c"][0][1] and all(
            child["t"] in ("Space", "SoftBreak") for child in node["c"][1]):
        return str(node["c"][0][0])
    return None


def _label(inlines: list[Node]) -> tuple[list[Node], str | None]:
    """*inlines* without a trailing `{#id}` label, and the label's id (None if there is none)."""
    items = list(inlines)
    while items and items[-1]["t"] in ("Space", "SoftBreak"):
        items.pop()
    ident = _label_node(items[-1]) if items else None
    if ident is None:
        return inlines, None
    items.pop()
    while items and items[-1]["t"] in ("Space", "SoftBreak"):
        items.pop()
    return items, ident


def _attribute_list(header: Node) -> Node | None:
    """*header* with a trailing Python-Markdown attribute list made its attributes (None if it has none).
    Syntax: Python-Markdown's attr_list extension (`#id`, `.class`, `key=value`, `key="a value"`)."""
    inlines = header["c"][2]
    for start in range(len(inlines) - 1, -1, -1):
        node = inlines[start]
        if node["t"] == "Str" and node["c"].startswith("{:"):
            break
    else:
        return None
    # pandoc's smart extension has made the list's quoted values Quoted nodes.
    text = "".join(f'"{ast.plain_text(node["c"][1])}"' if node["t"] == "Quoted"
                   else " " if node["t"] in ("Space", "SoftBreak") else ast.plain_text([node])
                   for node in inlines[start:])
    match = ATTRIBUTE_LIST.match(text.strip())
    if match is None:
        return None
    ident, classes, pairs = header["c"][1]
    classes, pairs = list(classes), list(pairs)
    for token in re.findall(r'[^\s"=]+="[^"]*"|\S+', match.group(1)):
        if token.startswith("#") and len(token) > 1:
            ident = token[1:]
        elif token.startswith(".") and len(token) > 1:
            classes.append(token[1:])
        elif "=" in token:
            key, _, value = token.partition("=")
            pairs.append([key, value.strip('"')])
    rest = inlines[:start]
    while rest and rest[-1]["t"] in ("Space", "SoftBreak"):
        rest.pop()
    return {**header, "c": [header["c"][0], [ident, classes, pairs], rest]}


def _figure(para: Node) -> Node | None:
    """A Figure for a paragraph holding one image with alt text (and perhaps a label), else None."""
    inlines, ident = _label(para["c"])
    if len(inlines) != 1 or inlines[0]["t"] != "Image":
        return None
    image = inlines[0]
    ident = ident or image["c"][0][0]
    if not image["c"][1] and not ident.startswith("fig-"):
        return None  # no alt text and no figure label: an image, not a figure
    if image["c"][0][0] == ident:
        image["c"][0] = ["", image["c"][0][1], image["c"][0][2]]
    caption = [{"t": "Plain", "c": list(image["c"][1])}] if image["c"][1] else []
    figure = {"t": "Figure", "c": [[ident or "", [], []], [None, caption],
                                   [{"t": "Plain", "c": [image]}]]}
    if "pos" in para:
        figure["pos"] = para["pos"]
    return figure


def _equation(para: Node) -> list[Node] | None:
    """The paragraph with each `$$…$$ {#eq-x}` made a labelled equation Div (text around it stays in
    paragraphs before and after), else None."""
    inlines = para["c"]
    out: list[Node] = []
    text: list[Node] = []

    def flush() -> None:
        while text and text[-1]["t"] in ("Space", "SoftBreak"):
            text.pop()
        if text:
            out.append({**para, "c": list(text)})
        text.clear()

    index = 0
    while index < len(inlines):
        node = inlines[index]
        if node["t"] == "Math" and node["c"][0]["t"] == "DisplayMath":
            after = index + 1
            if after < len(inlines) and inlines[after]["t"] in ("Space", "SoftBreak"):
                after += 1
            ident = _label_node(inlines[after]) if after < len(inlines) else None
            if ident:
                flush()
                # A Div, not a paragraph: display math is a block, and the text after it is not indented.
                equation = {"t": "Div", "c": [[ident, ["equation"], []], [{"t": "Plain", "c": [node]}]]}
                if "pos" in para:
                    equation["pos"] = para["pos"]
                out.append(equation)
                index = after + 1
                while index < len(inlines) and inlines[index]["t"] in ("Space", "SoftBreak"):
                    index += 1
                continue
        text.append(node)
        index += 1
    if not out:
        return None
    flush()
    return out


def _caption(para: Node) -> tuple[list[Node], str] | None:
    """The caption inlines and id of a `: Caption {#tbl-x}` paragraph, else None."""
    inlines = para["c"]
    if not inlines or inlines[0]["t"] != "Str" or not CAPTION.match(inlines[0]["c"]):
        return None
    text, ident = _label(inlines)
    first = CAPTION.sub("", text[0]["c"])
    text = ([{"t": "Str", "c": first}] if first else []) + text[1:]
    while text and text[0]["t"] in ("Space", "SoftBreak"):
        text = text[1:]
    return (text, ident or "") if text or ident else None


def _task_item(item: list[Node]) -> list[Node]:
    """A gfm task item as pandoc's other readers give it: gfm+sourcepos puts the box (☒ or ☐) and the
    text in two blocks (pandoc 3.9), joined again here. (commonmark_x with fancy_lists leaves `[x]` as
    text; the HTML writer makes a checkbox of it, so it stays text here and no font needs a box.)"""
    if not item or item[0]["t"] not in ("Plain", "Para"):
        return item
    inlines = item[0]["c"]
    if (len(inlines) == 1 and inlines[0].get("c") in ("\u2612", "\u2610") and len(item) > 1
            and item[1]["t"] in ("Plain", "Para")):
        return [{**item[1], "t": "Plain", "c": [inlines[0], {"t": "Space"}, *item[1]["c"]]}, *item[2:]]
    return item


def _line_block(para: Node) -> Node | None:
    """A LineBlock for a paragraph whose every line starts with `| ` (pandoc's line_blocks), else None."""
    lines: list[list[Node]] = [[]]
    for node in ast.merge_strings(para["c"]):
        if node["t"] in ("SoftBreak", "LineBreak"):
            lines.append([])
        else:
            lines[-1].append(node)
    if not all(line and line[0]["t"] == "Str" and line[0]["c"] == "|" for line in lines):
        return None
    indents = _indents(para, len(lines))
    out = []
    for line, indent in zip(lines, indents):
        rest = line[2:] if len(line) > 1 and line[1]["t"] == "Space" else line[1:]
        out.append(([{"t": "Str", "c": "\u00a0" * indent}] if indent else []) + rest)
    block: Node = {"t": "LineBlock", "c": out}
    if "pos" in para:
        block["pos"] = para["pos"]
    return block


def _indents(para: Node, count: int) -> list[int]:
    """How far each line of a `| ` paragraph is indented after its bar, read from the source file
    (the reader collapses the spaces); zeros when the source cannot be read."""
    where = para.get("pos")
    if where is None:
        return [0] * count
    try:
        text = where.path.read_text(encoding="utf-8").split("\n")[where.line - 1:where.line - 1 + count]
    except (AttributeError, TypeError, OSError, UnicodeDecodeError):
        return [0] * count
    found = []
    for line in text:
        after = line.lstrip().removeprefix("|")
        found.append(max(len(after) - len(after.lstrip(" ")) - 1, 0) if line.lstrip().startswith("|") else 0)
    return found + [0] * (count - len(found))


def label_blocks(blocks: list[Any]) -> list[Any]:
    """*blocks* (and the blocks inside them) with figures, captions, equations and heading labels set."""
    out: list[Any] = []
    for block in blocks:
        if not isinstance(block, dict) or "t" not in block:
            out.append(block)
            continue
        tag = block["t"]
        if tag == "Para":
            equations = _equation(block)
            if equations is not None:
                out.extend(equations)
                continue
            made = _figure(block) or _line_block(block)
            if made is not None:
                out.append(made)
                continue
            caption = _caption(block)
            table = out[-1] if out and isinstance(out[-1], dict) and out[-1].get("t") == "Table" else None
            if caption and table is not None and not table["c"][1][1]:
                inlines, ident = caption
                table["c"][1] = [None, [{"t": "Plain", "c": inlines}] if inlines else []]
                if ident:
                    table["c"][0] = [ident, table["c"][0][1], table["c"][0][2]]
                continue
        elif tag == "Header":
            block = _attribute_list(block) or block
            inlines, label_id = _label(block["c"][2])
            if label_id and not any(n["t"] == "Span" for n in block["c"][2][-1:]):
                block = {**block, "c": [block["c"][0], [label_id, block["c"][1][1], block["c"][1][2]], inlines]}
        out.append(_inside(block))
    return out


def _inside(block: Node) -> Node:
    """*block* with the block lists it holds labelled too."""
    tag = block["t"]
    content: Any = block.get("c")
    if tag == "Div":
        return {**block, "c": [content[0], label_blocks(content[1])]}
    if tag == "BlockQuote":
        return {**block, "c": label_blocks(content)}
    if tag == "BulletList":
        return {**block, "c": [_task_item(label_blocks(item)) for item in content]}
    if tag == "OrderedList":
        return {**block, "c": [content[0], [label_blocks(item) for item in content[1]]]}
    if tag == "DefinitionList":
        return {**block, "c": [[term, [label_blocks(d) for d in defs]] for term, defs in content]}
    return block


def normalize(edition: Edition, context: TransformContext | None = None) -> Edition:
    """The edition with figures, captions, equations, labels, task lists and line blocks in one form."""
    sections = []
    for section in edition.sections:
        # A copy: the steps below change nodes in place, and the edition passed in stays as it was.
        heading = ast.copy_tree(section.heading)
        if heading is not None:
            heading = label_blocks([heading])[0]
        blocks = tuple(label_blocks(ast.copy_tree(list(section.blocks))))
        section_id = heading["c"][1][0] if heading is not None else section.id
        ids = frozenset(ast.ids_in(([heading] if heading else []) + list(blocks)))
        sections.append(replace(section, id=section_id, heading=heading, blocks=blocks, ids=ids))
    return replace(edition, sections=tuple(sections))
