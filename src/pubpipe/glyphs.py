"""No missing glyphs: every character of an edition's text must be in the fonts the outputs embed."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import SourceError, SourceRef
from .model import Edition, Node

# Characters a font need not draw: spacing is done by the layout, and these format characters
# (soft hyphen, joiners, direction marks, variation selectors, BOM) have no visible glyph.
INVISIBLE = frozenset({0x00AD, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF, 0xFE0E, 0xFE0F,
                       *range(0x202A, 0x202F), *range(0x2066, 0x206A)})


@dataclass(frozen=True, slots=True)
class FontCoverage:
    """The code points one font file maps to glyphs."""

    path: Path
    name: str
    """The font's full name, e.g. "PT Serif Bold"."""
    codepoints: frozenset[int]


@functools.lru_cache(maxsize=64)  # a worker checks each of its jobs against the same fonts
def font_coverage(path: Path) -> FontCoverage:
    """Read a font file's cmap with fontTools."""
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    with TTFont(str(path), lazy=True) as font:
        cmap = font.getBestCmap() or {}
        name = font["name"].getDebugName(4) or path.stem
    return FontCoverage(path, name, frozenset(cmap))


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

    def walk(value: Any, where: SourceRef) -> Iterator[tuple[str, SourceRef]]:
        if isinstance(value, list):
            for item in value:
                yield from walk(item, where)
        elif isinstance(value, dict):
            where = value.get("pos") or where
            tag, content = value.get("t"), value.get("c")
            if tag == "Str":
                yield str(content), where
            elif tag in ("Code", "CodeBlock", "Math") and isinstance(content, list):
                yield str(content[1]), where
            elif content is not None:
                yield from walk(content, where)

    for section in edition.sections:
        nodes: list[Node] = ([section.heading] if section.heading else []) + list(section.blocks)
        yield from walk(nodes, section.source)


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


def missing_glyphs(edition: Edition, fonts: list[Path]) -> Iterator[tuple[str, SourceRef]]:
    """Each character no font in *fonts* has, once, with where it first occurs."""
    covered: set[int] = set()
    for path in fonts:
        covered |= font_coverage(path).codepoints
    seen: set[str] = set()
    for text, where in edition_texts(edition):
        for char in text:
            if char not in seen and ord(char) not in covered and needs_glyph(char):
                seen.add(char)
                yield char, where


def check_glyphs(edition: Edition, fonts: list[Path]) -> None:
    """Raise a SourceError naming the first character the bundled fonts cannot draw."""
    if not fonts:
        return  # no bundled fonts: the reader's own fonts are used, nothing to check against
    for char, where in missing_glyphs(edition, fonts):
        names = ", ".join(sorted({font_coverage(path).name for path in fonts}))
        label = unicodedata.name(char, "unnamed character")
        raise SourceError(f"'{char}' (U+{ord(char):04X} {label}) has no glyph in the fonts {names}",
                          exact_place(char, where),
                          "add a font that covers it to styles/fonts/ and to the @font-face rules, "
                          "or write the character differently", code="G101")
