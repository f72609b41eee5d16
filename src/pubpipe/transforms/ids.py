"""Ids: every element id in an edition is unique and valid, so links and EPUB files stay sound."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from html import escape as html_escape
from html import unescape as html_unescape
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
        elif ast.is_raw_html(node):  # <a name="x">, <span id="x">: one id among the others
            node["c"][1] = ast.raw_anchors(node["c"][1], lambda value: make(value, node.get("pos")))[1]
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


def heading_ids(edition: Edition) -> tuple[str, ...]:
    """The ids of the edition's headings, in reading order."""
    found: list[str] = []
    for section in edition.sections:
        blocks = ([section.heading] if section.heading else []) + list(section.blocks)
        found += [heading["c"][1][0] for heading in ast.find(blocks, "Header") if heading["c"][1][0]]
    return tuple(found)


def python_markdown_slug(text: str) -> str:
    """The id Python-Markdown's toc extension (and so MkDocs) gives a heading with *text*, by its default
    `slugify`: NFKD, ASCII only, word characters, spaces and `-` kept, runs of spaces and `-` one `-`.
    Source: markdown/extensions/toc.py (Python-Markdown 3.x)."""
    value = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^\w\s-]", "", value).strip().lower()
    return re.sub(r"[-\s]+", "-", value)


def github_slug(text: str) -> str:
    """The id GitHub gives a heading with *text*: lower case, punctuation but `-` and `_` removed, each
    space a `-`, letters of every script kept (github-slugger's rule; repeats are not numbered here)."""
    return "".join("-" if char == " " else char for char in text.lower()
                   if char in " -_" or unicodedata.category(char)[0] in "LMN")


def hugo_slug(text: str) -> str:
    """The id Hugo (Blackfriday's SanitizedAnchorName, still Hugo's `blackfriday` autoHeadingIDType) gives a
    heading: lower-case letters and digits, every run of other characters one `-` between them
    (`--config=CONFIG_FILE` → `config-config-file`)."""
    words = re.split(r"[^\w]|_", text.lower())
    return "-".join(word for word in words if word)


def pandoc_slug(text: str) -> str:
    """The id pandoc's own Markdown reader gives a heading (extension auto_identifiers): letters, digits,
    `_-.` kept, spaces `-`, lower case, everything before the first letter removed (pandoc's manual)."""
    value = "".join(char for char in text.lower()
                    if char in " _-." or unicodedata.category(char)[0] in "LN").replace(" ", "-")
    first = next((index for index, char in enumerate(value) if unicodedata.category(char)[0] == "L"), len(value))
    return value[first:]


# The ids other tools would give a heading, which links written for them use: GitHub (for READMEs;
# pandoc's gfm_auto_identifiers is the same unless the heading has an id of its own), MkDocs, Hugo and
# pandoc's own Markdown.
HEADING_SLUGS = (github_slug, python_markdown_slug, hugo_slug, pandoc_slug)


def _other_spellings(edition: Edition, known: set[str]) -> dict[str, str]:
    """Each id another tool would give a heading (HEADING_SLUGS) → the heading's id here, where that
    spelling is no id of the edition and names one heading only."""
    found: dict[str, set[str]] = {}
    for section in edition.sections:
        blocks = ([section.heading] if section.heading else []) + list(section.blocks)
        for heading in ast.find(blocks, "Header"):
            value = heading["c"][1][0]
            text = ast.plain_text(heading["c"][2])
            for slug in HEADING_SLUGS:
                spelling = slug(text)
                if value and spelling and spelling not in known:
                    found.setdefault(spelling, set()).add(value)
    return {spelling: next(iter(ids)) for spelling, ids in found.items() if len(ids) == 1}


def match_anchors(edition: Edition) -> Edition:
    """Links to `#id` written percent-encoded (`#%C3%BCberblick`), in another case (`#Überblick`) or as
    another tool spells a heading's id (GitHub's `#300---2018-09-21` is MkDocs' `#300-2018-09-21`)
    rewritten to the id they mean, when exactly one id matches; in Markdown links and in raw HTML's
    `<a href="#…">`. The rest is left for the link check."""
    from .links import RAW_ANCHOR

    known: set[str] = set()
    for section in edition.sections:
        known |= section.ids | {section.id}
    folded: dict[str, list[str]] = {}
    for value in known:
        folded.setdefault(value.casefold(), []).append(value)
    spellings: dict[str, str] | None = None

    def meant(anchor: str) -> str | None:
        nonlocal spellings
        if not anchor or anchor in known:
            return None
        decoded = unquote(anchor)
        if decoded in known:
            return decoded
        matches = folded.get(decoded.casefold(), [])
        if len(matches) == 1:
            return matches[0]
        if spellings is None:  # worked out only when a link needs it
            spellings = _other_spellings(edition, known)
        return spellings.get(decoded) or spellings.get(decoded.casefold())

    def raw_targets(node: Node) -> list[str]:
        if node["c"][0] not in ("html", "html5") or "href" not in node["c"][1]:
            return []
        return [match.group(3) for match in RAW_ANCHOR.finditer(node["c"][1])]

    def raw_fix(match: re.Match[str]) -> str:
        target = match.group(3)
        if target.startswith("#") and (value := meant(html_unescape(target[1:]))) is not None:
            return f'{match.group(1)}"#{html_escape(value)}"'
        return match.group(0)

    def fix(node: Node) -> Node | None:
        if node["t"] == "Link":
            path, sign, anchor = node["c"][2][0].partition("#")
            if sign and not SCHEME.match(path) and (value := meant(anchor)) is not None:
                node["c"][2][0] = f"{path}#{value}"
        elif node["t"] in ("RawInline", "RawBlock") and raw_targets(node):
            node["c"][1] = RAW_ANCHOR.sub(raw_fix, node["c"][1])
        return None

    def needs(blocks: list[Node]) -> bool:
        for node in ast.find_any(blocks, ast.LINKING):
            if node["t"] == "Link":
                path, sign, anchor = node["c"][2][0].partition("#")
                if sign and not SCHEME.match(path) and meant(anchor) is not None:
                    return True
            elif any(target.startswith("#") and meant(html_unescape(target[1:])) is not None
                     for target in raw_targets(node)):
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
