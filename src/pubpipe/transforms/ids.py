"""Ids: every element id in an edition is unique and valid, so links and EPUB files stay sound."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from urllib.parse import unquote

from ..diagnostics import Diagnostic
from ..errors import SourceRef
from ..model import Edition, Node, ast

# HTML5 (and EPUB 3's XHTML, which follows it) allows any id without spaces: `überblick`, `обзор` and
# GitHub's `1-intro` stay as the author sees them. An id keeps letters, marks and digits of any script
# and `-_.:`; the rest (spaces, URL delimiters such as `#` and `%`, invisible format characters such
# as bidi controls) becomes `-`, so `href="#id"` works unencoded and the id is one an author can type.
ID_PUNCTUATION = frozenset("-_.:")
SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def _id_character(char: str) -> bool:
    return char in ID_PUNCTUATION or unicodedata.category(char)[0] in "LMN"


def valid_id(value: str) -> bool:
    """Whether *value* is kept as an id as it is (see above)."""
    return bool(value) and all(_id_character(char) for char in value)


def _valid_form(value: str) -> str:
    return re.sub(r"-{2,}", "-", "".join(c if _id_character(c) else "-" for c in value)).strip("-") or "id"


def _all_sound(edition: Edition) -> bool:
    """Whether every id is already valid and unique (the usual case: then nothing is copied)."""
    seen: set[str] = set()
    for section in edition.sections:
        ids = [section.id] if section.heading is None else []
        ids += ast.ids_in(([section.heading] if section.heading else []) + list(section.blocks))
        for value in ids:
            if value in seen or not valid_id(value):
                return False
            seen.add(value)
    return True


def number_ids(edition: Edition) -> tuple[Edition, tuple[Diagnostic, ...]]:
    """Give every id a valid form (no spaces or URL delimiters) and a number suffix where it repeats;
    warn (P022) per repeat."""
    if _all_sound(edition):
        return edition, ()
    seen: dict[str, SourceRef | None] = {}
    found: list[Diagnostic] = []
    fallback = SourceRef(edition.sources[0]) if edition.sources else None

    def make(value: str, where: SourceRef | None) -> str:
        base = value if valid_id(value) else _valid_form(value)
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
        assert section_id is not None  # a section without a heading got one from make() above
        ids = frozenset(ast.ids_in(([heading] if heading else []) + list(blocks)))
        sections.append(replace(section, id=section_id, heading=heading, blocks=blocks, ids=ids))
    return replace(edition, sections=tuple(sections)), tuple(found)


def unique_ids(edition: Edition) -> Edition:
    """The edition with valid, unique ids (see number_ids for the warnings)."""
    return number_ids(edition)[0]


def match_anchors(edition: Edition) -> Edition:
    """Links to `#id` written percent-encoded (`#%C3%BCberblick`) or in another case (`#Überblick`)
    rewritten to the id they mean, when exactly one id matches; the rest is left for the link check."""
    known: set[str] = set()
    for section in edition.sections:
        known |= section.ids | {section.id}
    folded: dict[str, list[str]] = {}
    for value in known:
        folded.setdefault(value.casefold(), []).append(value)

    def meant(anchor: str) -> str | None:
        if not anchor or anchor in known:
            return None
        decoded = unquote(anchor)
        if decoded in known:
            return decoded
        matches = folded.get(decoded.casefold(), [])
        return matches[0] if len(matches) == 1 else None

    def fix(node: Node) -> Node | None:
        if node["t"] == "Link":
            path, sign, anchor = node["c"][2][0].partition("#")
            if sign and not SCHEME.match(path) and (value := meant(anchor)) is not None:
                node["c"][2][0] = f"{path}#{value}"
        return None

    def needs(blocks: list[Node]) -> bool:
        for link in ast.find(blocks, "Link"):
            path, sign, anchor = link["c"][2][0].partition("#")
            if sign and not SCHEME.match(path) and meant(anchor) is not None:
                return True
        return False

    sections = []
    for section in edition.sections:
        blocks = ([section.heading] if section.heading else []) + list(section.blocks)
        if not needs(blocks):
            sections.append(section)
            continue
        sections.append(replace(section, heading=ast.map_nodes(section.heading, fix) if section.heading else None,
                                blocks=tuple(ast.map_nodes(list(section.blocks), fix))))
    return replace(edition, sections=tuple(sections))
