"""Python-Markdown admonitions (`!!! note "Title"` over an indented body) read as callouts in every build."""

# MkDocs sites write their notes this way; read as CommonMark, the opening line would be a paragraph
# and the body a code block. Each becomes the Quarto callout pubpipe styles (`::: {.callout-note}`),
# the same conversion `pubpipe init --from` makes; every line keeps the place it came from, so
# messages still name the file's own lines.

from __future__ import annotations

import re
from pathlib import Path

from ..importers.common import Origin
from ..importers.pymarkdown import ADMONITION, FENCE, _admonition, _indented

Lines = list[tuple[str, Origin]]
# ADMONITION at any indentation: inside a list item, an admonition is indented with the item's text.
NESTED_ADMONITION = re.compile(ADMONITION.pattern.replace("^( {0,3})", "^( *)", 1))


def admonitions_to_callouts(body: str, path: Path) -> Lines | None:
    """*body*'s lines with every admonition outside fenced code made a callout, each line with the
    (file, line) it came from; None when the text has no admonition (the usual case: nothing copied)."""
    if "!!!" not in body and "???" not in body:
        return None
    pairs = [(text, Origin(path, number)) for number, text in enumerate(body.split("\n"), 1)]
    converted = _convert(pairs)
    return None if converted == pairs else converted


def _convert(pairs: Lines) -> Lines:
    """*pairs* with admonitions outside fenced code made callouts, nested ones included."""
    out: Lines = []
    fence: str | None = None
    index = 0
    while index < len(pairs):
        text, origin = pairs[index]
        index += 1
        opening = FENCE.match(text)
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence) \
                    and not text.strip()[len(opening.group(1)):].strip():
                fence = None
            out.append((text, origin))
            continue
        if opening:
            fence = opening.group(1)
            out.append((text, origin))
            continue
        admonition = NESTED_ADMONITION.match(text)
        if admonition is None:
            out.append((text, origin))
            continue
        indent = admonition.group(1)
        inner: Lines = []
        while index < len(pairs) and _indented(pairs[index][0], len(indent) + 4):
            line, place = pairs[index]
            inner.append((line[len(indent) + 4:] if line.strip() else "", place))
            index += 1
        while inner and not inner[-1][0].strip():
            inner.pop()
        out += _admonition(admonition, indent, origin, _convert(inner))
    return out


def text_and_lines(lines: Lines) -> tuple[str, list[tuple[int, Path, int]]]:
    """The text of *lines*, and where each run of consecutive lines begins: (line in the text, file,
    line in the file), for a LineMap."""
    runs: list[tuple[int, Path, int]] = []
    previous: Origin | None = None
    for number, (_, origin) in enumerate(lines, 1):
        if previous is None or origin.path != previous.path or origin.line != previous.line + 1:
            runs.append((number, origin.path, origin.line))
        previous = origin
    return "\n".join(text for text, _ in lines), runs
