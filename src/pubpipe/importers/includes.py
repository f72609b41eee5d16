"""mdBook's `{{#include}}`, `{{#rustdoc_include}}`, `{{#playground}}` and `{{#title}}`, resolved into the text."""

# Semantics follow mdBook's documentation ("Including files"): `file:N` is line N alone, `file:N:`
# from line N to the end, `file::M` the first M lines, `file:N:M` lines N to M (1-based, inclusive);
# `file:name` the lines between `ANCHOR: name` and `ANCHOR_END: name` (the marker lines left out).
# `rustdoc_include` shows the same lines with Rust hidden lines (`# …`) left out, as a printed page
# would. Paths are relative to the file holding the directive; included text is resolved again.

from __future__ import annotations

import re

from ..errors import SourceRef
from .common import Book, Chapter, Origin, read_text
from .markdown import hidden_line

DIRECTIVE = re.compile(r"\\\{\{#.*?\}\}|\{\{\s*#([a-zA-Z0-9_]+)\s*([^}]*)\}\}")
ANCHOR = re.compile(r"ANCHOR:\s*([\w-]+)")
ANCHOR_END = re.compile(r"ANCHOR_END:\s*([\w-]+)")
ANY_ANCHOR = re.compile(r"ANCHOR(?:_END)?:\s*[\w-]+")
MAX_DEPTH = 10  # as mdBook: a file that includes itself stops here


def _select(lines: list[str], spec: str) -> tuple[list[int], str | None]:
    """Indices of the lines a range or anchor picks, and the anchor name (None for a range)."""
    parts = spec.split(":", 2) if spec else []
    first = parts[0] if parts else ""
    if first and not first.isdigit():
        inside, picked = False, []
        for index, line in enumerate(lines):
            end = ANCHOR_END.search(line)
            opening = ANCHOR.search(line)
            if end and end.group(1) == first:
                if inside:
                    break  # as mdBook: the first marked region only
            elif opening and opening.group(1) == first and not end:
                inside = True
            elif inside and not ANY_ANCHOR.search(line):
                picked.append(index)
        return picked, first
    start = int(first) - 1 if first else 0
    if len(parts) < 2:
        stop = start + 1 if first else len(lines)
    else:
        stop = int(parts[1]) if parts[1].isdigit() else len(lines)
    return list(range(max(start, 0), min(stop, len(lines)))), None


def resolve_directives(chapter: Chapter, book: Book, depth: int = 0) -> None:
    """Replace every mdBook directive in the chapter's lines by what it stands for, in place.

    An escaped directive (`\\{{#include …}}`) stays as literal text, as mdBook shows it; a directive
    pubpipe does not know, or a file that cannot be read, is removed with a warning.
    """
    lines: list[str] = []
    origins: list[Origin] = []
    for index, line in enumerate(chapter.lines):
        origin = chapter.origins[index] if index < len(chapter.origins) else Origin(chapter.source or book.root, 0)
        if "{{" not in line:
            lines.append(line)
            origins.append(origin)
            continue
        pieces: list[tuple[str, Origin]] = [("", origin)]
        position = 0
        for match in DIRECTIVE.finditer(line):
            pieces[-1] = (pieces[-1][0] + line[position:match.start()], pieces[-1][1])
            position = match.end()
            if match.group(1) is None:  # escaped: shown as written, without the backslash
                pieces[-1] = (pieces[-1][0] + match.group(0)[1:], pieces[-1][1])
                continue
            where = SourceRef(origin.path, origin.line, match.start() + 1)
            included = _directive(match.group(1), match.group(2).strip(), where, chapter, book, depth)
            if not included:
                continue
            pieces[-1] = (pieces[-1][0] + included[0][0], pieces[-1][1])
            pieces.extend(included[1:])
        pieces[-1] = (pieces[-1][0] + line[position:], pieces[-1][1])
        for text, place in pieces:
            lines.append(text)
            origins.append(place)
    chapter.lines, chapter.origins = lines, origins


def _directive(kind: str, argument: str, where: SourceRef, chapter: Chapter, book: Book,
               depth: int) -> list[tuple[str, Origin]]:
    """The lines (with origins) one directive stands for; [] when it stands for nothing."""
    if kind == "title":
        chapter.title = argument or chapter.title
        return []
    if kind not in ("include", "rustdoc_include", "playground"):
        book.warn("I120", f"mdBook directive '{{{{#{kind}}}}}' is not known to pubpipe; removed", where,
                  "replace it by the text it stands for")
        return []
    target, _, _properties = argument.partition(" ")
    path_text, _, spec = target.partition(":")
    path = (where.path.parent / path_text).resolve()
    if depth >= MAX_DEPTH:
        book.warn("I121", f"'{path_text}' is included more than {MAX_DEPTH} levels deep; left out", where,
                  "check that the file does not include itself")
        return []
    if not path.is_file():
        book.warn("I121", f"included file '{path_text}' not found; left out", where,
                  "check the path, relative to the file that includes it")
        return []
    text = read_text(path, book)
    if text is None:
        return []
    source = text.split("\n")
    if source and source[-1] == "":
        source.pop()
    try:
        picked, anchor = _select(source, spec)
    except ValueError:
        book.warn("I122", f"'{target}' is neither a line range nor an anchor; the whole file is included", where,
                  "write file:10:20, file:10:, file::20 or file:anchor")
        picked, anchor = list(range(len(source))), None
    if anchor is not None and not picked:
        book.warn("I122", f"anchor '{anchor}' not found in '{path_text}'; nothing included", where,
                  f"mark the lines with ANCHOR: {anchor} and ANCHOR_END: {anchor}")
        return []
    if kind == "rustdoc_include":
        picked = [index for index in picked if not hidden_line(source[index])]
    nested = Chapter(chapter.name, chapter.title, chapter.depth, path,
                     [source[index] for index in picked], [Origin(path, index + 1) for index in picked])
    resolve_directives(nested, book, depth + 1)
    if chapter.title != nested.title:
        chapter.title = nested.title
    return list(zip(nested.lines, nested.origins)) or [("", Origin(path, 1))]
