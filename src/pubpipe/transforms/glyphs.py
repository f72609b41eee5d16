"""Missing glyphs: the characters of an edition that no font of the chain (design fonts, then fallbacks) draws."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..backends.render.fonts import STYLESHEETS, FontChain, css_stacks
from ..errors import SourceRef
from ..model import Edition, Node

if TYPE_CHECKING:
    from ..report import Reporter

# Characters a font need not draw: spacing is done by the layout, and these format characters
# (soft hyphen, joiners, direction marks, variation selectors, BOM) have no visible glyph.
INVISIBLE = frozenset({0x00AD, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF, 0xFE0E, 0xFE0F,
                       *range(0x202A, 0x202F), *range(0x2066, 0x206A)})


def needs_glyph(char: str) -> bool:
    """Whether *char* must be drawn by a font (not whitespace, a control or a format character)."""
    code = ord(char)
    if char.isspace() or code in INVISIBLE:
        return False
    return unicodedata.category(char) not in ("Cc", "Cf")


def edition_texts(edition: Edition) -> Iterator[tuple[str, SourceRef]]:
    """Every piece of text an edition prints, with the nearest place it came from."""
    meta = edition.metadata
    first = SourceRef(edition.sources[0], 1) if edition.sources else SourceRef(edition.source_dir)
    for key in ("title", "subtitle", "description", "rights", "publisher"):
        yield str(getattr(meta, key)), SourceRef(first.path, None, None, key)
    for key in ("authors", "translators", "keywords"):
        for value in getattr(meta, key):
            yield value, SourceRef(first.path, None, None, key)
    for other in edition.others:
        yield other.title + other.language_name, SourceRef(first.path, None, None, "title")

    for section in edition.sections:
        nodes: list[Node] = ([section.heading] if section.heading else []) + list(section.blocks)
        # A stack, not recursive generators: a book has a few hundred thousand nodes.
        stack: list[tuple[Any, SourceRef]] = [(nodes, section.source)]
        while stack:
            value, where = stack.pop()
            if isinstance(value, list):
                stack.extend((item, where) for item in reversed(value))
            elif isinstance(value, dict):
                where = value.get("pos") or where
                tag, content = value.get("t"), value.get("c")
                if tag == "Str":
                    yield str(content), where
                elif tag in ("Code", "CodeBlock", "Math") and isinstance(content, list):
                    yield str(content[1]), where
                elif content is not None:
                    stack.append((content, where))


def exact_place(char: str, where: SourceRef) -> SourceRef:
    """The line and column of *char* in the file, searching from the block's first line."""
    if where.line is None or not where.path.is_file():
        return where
    lines = where.path.read_text(encoding="utf-8").split("\n")
    for number in range(where.line - 1, len(lines)):
        column = lines[number].find(char)
        if column >= 0:
            return SourceRef(where.path, number + 1, column + 1)
    return where




def missing_glyphs(edition: Edition, chain: FontChain) -> list[tuple[str, SourceRef]]:
    """Each character no face of the chain has, once, with where it first occurs, in order of appearance."""
    first: dict[str, SourceRef] = {}
    seen: set[str] = set()
    for text, where in edition_texts(edition):
        fresh = set(text) - seen  # a set of a string is made in C: most words bring no new character
        if fresh:
            seen |= fresh
            for char in sorted(fresh, key=text.index):
                if needs_glyph(char):
                    first[char] = where
    covered = chain.covered(ord(char) for char in first)
    return [(char, where) for char, where in first.items() if ord(char) not in covered]


def check_glyphs(edition: Edition, root: Path, reporter: Reporter) -> None:
    """One warning (G101) naming every character of the edition that no font of the chain can draw.

    The chain: the font-family stacks of the project's stylesheets (STYLESHEETS), their families looked up in
    styles/fonts/ and then among the system's fonts (backends/render/fonts.py). Such a character is still published:
    the PDF and the reader's software draw it in some other font of theirs, or as a box."""
    from ..backends.base import Styles

    styles = Styles.for_project(root)
    chain = FontChain(styles.fonts(), css_stacks(styles.css(STYLESHEETS)))
    missing = missing_glyphs(edition, chain)
    if not missing:
        return
    places = [(char, exact_place(char, where)) for char, where in missing]
    listed = "; ".join(f"'{char}' U+{ord(char):04X} {unicodedata.name(char, 'unnamed character')} "
                       f"(first at {where.display(root)})" for char, where in places)
    absent = chain.missing_families()
    note = (f"; of the fonts the stylesheets name, these are not installed: {', '.join(absent[:6])}"
            + (f" and {len(absent) - 6} more" if len(absent) > 6 else "")) if absent else ""
    count = f"{len(places)} character{'s' if len(places) > 1 else ''}"
    reporter.warn("G101", f"{count} of the text {'have' if len(places) > 1 else 'has'} no glyph in any font of "
                  f"the font chain and will show as a box or in a font of the reader's: {listed}{note}",
                  places[0][1],
                  "install a font that draws them (Debian: the fonts-noto-* packages; `make build` installs the "
                  "chain) and name its family in a font-family stack of styles/base-extra.css, or put the font "
                  "in styles/fonts/; or write the characters differently")
