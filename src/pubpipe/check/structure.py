"""Structure rules on the parsed edition: heading levels, empty headings and links, alt text, link targets."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import Node, ast
from .registry import rule
from .source import Finding, SourceFile

EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def _blocks(source: SourceFile) -> list[Node]:
    """The edition's blocks that came from this file, in order."""
    if source.edition is None:
        return []
    blocks: list[Node] = []
    for section in source.edition.sections:
        blocks += ([section.heading] if section.heading else []) + list(section.blocks)
    return [block for block in blocks if block.get("pos") is None or block["pos"].path == source.path]


def _at(node: Node, source: SourceFile) -> tuple[int, int]:
    pos = node.get("pos")
    if pos is None or pos.path != source.path:
        return 1, 1
    return pos.line or 1, pos.column or 1


@rule("K161", "heading-level-skip", "error", """
    A heading more than one level below the one before it (`#` then `###`): outlines, the EPUB
    table of contents and screen readers expect every level in between.""")
def heading_skip(source: SourceFile) -> Iterator[Finding]:
    level = 0
    if source.edition is not None and not source.first:
        # Levels carry on from the previous file of the edition.
        for section in source.edition.sections:
            for block in ([section.heading] if section.heading else []) + list(section.blocks):
                pos = block.get("pos")
                if pos is not None and pos.path == source.path:
                    break
                if block["t"] == "Header":
                    level = block["c"][0]
            else:
                continue
            break
    for block in _blocks(source):
        if block["t"] != "Header":
            continue
        new = block["c"][0]
        if level and new > level + 1:
            line, column = _at(block, source)
            yield Finding("K161", line, column, f"heading level {new} follows level {level}",
                          f"use level {level + 1} ({'#' * (level + 1)})")
        level = new


@rule("K162", "empty-heading", "error", "A heading with no text.")
def empty_heading(source: SourceFile) -> Iterator[Finding]:
    for block in _blocks(source):
        if block["t"] == "Header" and not ast.plain_text(block["c"][2]).strip():
            line, column = _at(block, source)
            yield Finding("K162", line, column, "empty heading", "write the heading's text or remove it")


def _inline(source: SourceFile, tag: str) -> Iterator[tuple[Node, int, int]]:
    """Every inline node of *tag* with the line and column of the nearest thing that has a position."""
    for block in _blocks(source):
        line, column = _at(block, source)
        for node in ast.find(block, tag):
            pos = node.get("pos")
            if pos is not None and pos.path == source.path:
                yield node, pos.line or line, pos.column or column
            else:
                yield node, line, column


@rule("K163", "empty-link", "error", "A link with no text (`[](x.md)`) or no target (`[text]()`).")
def empty_link(source: SourceFile) -> Iterator[Finding]:
    for node, line, column in _inline(source, "Link"):
        text, target = ast.plain_text(node["c"][1]).strip(), node["c"][2][0]
        if not text and not any(child["t"] == "Image" for child in node["c"][1]):
            yield Finding("K163", line, column, f"link to '{target}' has no text", "write the link text")
        if not target:
            yield Finding("K163", line, column, f"link '{text}' has no target", "write where it points")


@rule("K164", "image-without-alt", "warning", """
    An image without alternative text (`![](map.png)`): screen readers and EPUBCheck's accessibility
    checks need it.""")
def image_without_alt(source: SourceFile) -> Iterator[Finding]:
    for node, line, column in _inline(source, "Image"):
        if not ast.plain_text(node["c"][1]).strip():
            yield Finding("K164", line, column, f"image '{node['c'][2][0]}' has no alt text",
                          "describe the image between the brackets: ![a map of …](…)")


@rule("K165", "unresolved-link", "error", """
    A link inside the project that leads nowhere: a `#id` no heading or element has, a Markdown file
    that is not part of the publication, or a file that does not exist. External URLs are not
    fetched (nothing leaves the machine).""")
def unresolved_link(source: SourceFile) -> Iterator[Finding]:
    if source.edition is None:
        return
    known: set[str] = set()
    for section in source.edition.sections:
        known |= section.ids | {section.id}
    root = source.edition.source_dir.parent.resolve()
    project = root.parent
    for node, line, column in _inline(source, "Link"):
        target: str = node["c"][2][0]
        if not target or EXTERNAL.match(target):
            continue
        path_part, _, anchor = target.partition("#")
        if not path_part:
            if anchor not in known:
                yield Finding("K165", line, column, f"link to '#{anchor}', which does not exist",
                              "link to a heading's id")
            continue
        resolved = (source.path.parent / path_part).resolve()
        if project not in resolved.parents:
            yield Finding("K165", line, column, f"link to '{target}' leaves the project", "link inside the project")
        elif not resolved.exists():
            yield Finding("K165", line, column, f"link to '{target}', which does not exist",
                          "check the file name and path")
        elif resolved.suffix == ".md" and resolved in {p.resolve() for p in source.edition.sources} and anchor \
                and anchor not in known:
            yield Finding("K165", line, column, f"link to '{target}': no element with id '{anchor}'",
                          "check the heading's id")
