"""Ids: every element id in an edition is unique and valid, so links and EPUB files stay sound."""

from __future__ import annotations

import re
from dataclasses import replace

from .. import ast
from ..model import Edition, Node

VALID = re.compile(r"^[A-Za-z_][\w.-]*$")


def unique_ids(edition: Edition) -> Edition:
    """Give every id a valid form (XML NCName) and a number suffix where it repeats."""
    seen: set[str] = set()

    def make(value: str) -> str:
        base = value if VALID.match(value) else "id-" + re.sub(r"[^\w.-]+", "-", value).strip("-")
        candidate, count = base, 1
        while candidate in seen:
            count += 1
            candidate = f"{base}-{count}"
        seen.add(candidate)
        return candidate

    def fix(node: Node) -> Node | None:
        attr = ast.attr_of(node)
        if attr and attr[0]:
            attr[0] = make(attr[0])
        return None

    sections = []
    for section in edition.sections:
        section_id = make(section.id) if section.heading is None else None
        heading = ast.map_nodes(section.heading, fix) if section.heading else None
        blocks = tuple(ast.map_nodes(list(section.blocks), fix))
        if heading is not None:
            section_id = heading["c"][1][0]
        found = frozenset(ast.ids_in(([heading] if heading else []) + list(blocks)))
        sections.append(replace(section, id=section_id, heading=heading, blocks=blocks, ids=found))
    return replace(edition, sections=tuple(sections))
