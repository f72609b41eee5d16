"""Links: check every internal link lands somewhere, and write it in a form every backend can resolve."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from .. import ast
from ..errors import SourceError, SourceRef
from ..model import Edition, Node

# Canonical internal link forms after this transform:
#   "#id"               an element of this edition (backends map it to a file for the EPUB)
#   "edition:LANG"      another edition of the work (backends map it to that edition's output)
#   "edition:LANG#id"   an element of another edition
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
EDITION = "edition:"


def _file_sections(edition: Edition) -> dict[Path, str]:
    """The id of the first section of each source file."""
    first: dict[Path, str] = {}
    for section in edition.sections:
        first.setdefault(section.source.path.resolve(), section.id)
    return first


def resolve_links(edition: Edition) -> Edition:
    """Rewrite links to Markdown files and anchors into canonical forms; fail on links to nothing."""
    known = set()
    for section in edition.sections:
        known |= section.ids | {section.id}
    first = _file_sections(edition)
    source_root = edition.source_dir.parent.resolve()

    def canonical(node: Node) -> str | None:
        """The link's canonical target if it must change, else None; raises on a link to nothing."""
        target: str = node["c"][2][0]
        where: SourceRef = node.get("pos") or SourceRef(edition.sources[0])
        if EXTERNAL.match(target) or not target:
            return None
        path_part, _, anchor = target.partition("#")
        if not path_part:
            if anchor not in known:
                raise SourceError(f"link to '#{anchor}', which does not exist", where,
                                  "link to a heading's id, e.g. #" + (sorted(known)[0] if known else "intro"),
                                  code="P020")
            return None
        resolved = (where.path.parent / path_part).resolve()
        if resolved in first:
            if anchor and anchor not in known:
                raise SourceError(f"link to '{target}': no element with id '{anchor}'", where,
                                  "check the heading's id", code="P020")
            return "#" + (anchor or first[resolved])
        if resolved.suffix == ".md" and source_root in resolved.parents:
            lang = resolved.relative_to(source_root).parts[0]
            return EDITION + lang + (f"#{anchor}" if anchor else "")
        raise SourceError(f"link to '{target}', which is not part of the publication", where,
                          "link to a Markdown file of an edition, a heading's #id, or a full URL", code="P021")

    def fix(node: Node) -> Node | None:
        if node["t"] != "Link":
            return None
        target = canonical(node)
        if target is not None:
            node["c"][2][0] = target
        return None

    sections = []
    for section in edition.sections:
        blocks = ([section.heading] if section.heading else []) + list(section.blocks)
        # Check every link first, and copy the section only if one of its links must be rewritten.
        if not any([canonical(link) is not None for link in ast.find(blocks, "Link")]):
            sections.append(section)
            continue
        sections.append(replace(section, heading=ast.map_nodes(section.heading, fix) if section.heading else None,
                                blocks=tuple(ast.map_nodes(list(section.blocks), fix))))
    return replace(edition, sections=tuple(sections))


def check_edition_links(edition: Edition, languages: tuple[str, ...]) -> None:
    """Fail (P023) on a link to `edition:LANG` when LANG is not an edition of the publication."""
    for section in edition.sections:
        for node in ast.find([section.heading, *section.blocks] if section.heading else list(section.blocks),
                             "Link"):
            target: str = node["c"][2][0]
            if not target.startswith(EDITION):
                continue
            lang = target[len(EDITION):].partition("#")[0]
            if lang not in languages:
                raise SourceError(f"link to the '{lang}' edition, which is not an edition of this publication",
                                  node.get("pos") or SourceRef(edition.sources[0]),
                                  f"link to one of: {', '.join(languages)}", code="P023")
