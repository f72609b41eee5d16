"""Ids: every element id in an edition is unique and valid, so links and EPUB files stay sound."""

from __future__ import annotations

import re
from dataclasses import replace

from .. import ast
from ..diagnostics import Diagnostic
from ..errors import SourceRef
from ..model import Edition, Node

VALID = re.compile(r"^[A-Za-z_][\w.-]*$")


def _all_sound(edition: Edition) -> bool:
    """Whether every id is already valid and unique (the usual case: then nothing is copied)."""
    seen: set[str] = set()
    for section in edition.sections:
        ids = [section.id] if section.heading is None else []
        ids += ast.ids_in(([section.heading] if section.heading else []) + list(section.blocks))
        for value in ids:
            if value in seen or not VALID.match(value):
                return False
            seen.add(value)
    return True


def number_ids(edition: Edition) -> tuple[Edition, tuple[Diagnostic, ...]]:
    """Give every id a valid form (XML NCName) and a number suffix where it repeats; warn (P022) per repeat."""
    if _all_sound(edition):
        return edition, ()
    seen: dict[str, SourceRef | None] = {}
    found: list[Diagnostic] = []
    fallback = SourceRef(edition.sources[0]) if edition.sources else None

    def make(value: str, where: SourceRef | None) -> str:
        base = value if VALID.match(value) else "id-" + re.sub(r"[^\w.-]+", "-", value).strip("-")
        candidate, count = base, 1
        while candidate in seen:
            count += 1
            candidate = f"{base}-{count}"
        if candidate != base:
            first = seen[base]
            at = f" (first at line {first.line})" if first is not None and first.line else ""
            found.append(Diagnostic(
                "P022", "warning", f"id '{base}' is used twice{at}; this one becomes '{candidate}'",
                where or fallback, f"give the heading its own id with {{#…}}; links to #{base} go to the first"))
        seen[candidate] = where
        return candidate

    def fix(node: Node) -> Node | None:
        attr = ast.attr_of(node)
        if attr and attr[0]:
            attr[0] = make(attr[0], node.get("pos"))
        return None

    sections = []
    for section in edition.sections:
        section_id = make(section.id, section.source) if section.heading is None else None
        heading = ast.map_nodes(section.heading, fix) if section.heading else None
        blocks = tuple(ast.map_nodes(list(section.blocks), fix))
        if heading is not None:
            section_id = heading["c"][1][0]
        ids = frozenset(ast.ids_in(([heading] if heading else []) + list(blocks)))
        sections.append(replace(section, id=section_id, heading=heading, blocks=blocks, ids=ids))
    return replace(edition, sections=tuple(sections)), tuple(found)


def unique_ids(edition: Edition) -> Edition:
    """The edition with valid, unique ids (see number_ids for the warnings)."""
    return number_ids(edition)[0]
