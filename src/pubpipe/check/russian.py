"""Russian rules: quote style, hyphens standing for dashes, dashes the transform cannot tie to the word before."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .registry import rule
from .source import Finding, Fix, SourceFile


@rule("K181", "ru-quote-style", "error", """
    Russian: curly English quotes (`“…”`, `‘…’`) used as the outer quotation marks. Russian sets
    «ёлочки» outside and „лапки“ inside. Straight quotes are not reported: the typography transform
    turns them into «…». `--fix` rewrites a “…” pair on one line as «…».""", fixable=True, languages=("ru", "uk"))
def quote_style(source: SourceFile) -> Iterator[Finding]:
    for number, text in source.prose_lines():
        depth = 0
        index = 0
        while index < len(text):
            char = text[index]
            if char in "«":
                depth += 1
            elif char == "»":
                depth = max(0, depth - 1)
            elif char == "„":
                # „…“ is right inside «…»; skip to its closing mark.
                close = text.find("“", index + 1)
                if depth == 0:
                    yield Finding("K181", number, index + 1, "„…“ used as outer quotes", "use «…» outside, „…“ inside")
                index = close if close > 0 else index
            elif char in "“‘" or (char == "”" and depth == 0):
                closing = "”" if char == "“" else "’"
                end = text.find(closing, index + 1)
                fix = Fix(number, index, end + 1, "«" + text[index + 1:end] + "»") if (
                    char == "“" and end > 0 and depth == 0) else None
                if depth == 0 or char == "‘":
                    yield Finding("K181", number, index + 1, f"English quotation mark {char} in Russian text",
                                  "use «…» (and „…“ inside them)", fix)
                if end > 0:
                    index = end
            index += 1


@rule("K182", "ru-hyphen-for-dash", "error", """
    Russian: a hyphen (or en dash) with a space on one side only (`Сталин- это`, `слово -слово`), or
    a dash glued to words on both sides (`слово—слово`). A dash between words takes a space on each
    side. A hanging hyphen before и/или (`социал- и христианско-демократы`) is fine; a hyphen
    with spaces on both sides is not reported: the typography transform sets it as
    `&nbsp;— `. Number ranges (`1918–1921`) are left alone.""", languages=("ru", "uk"))
def hyphen_for_dash(source: SourceFile) -> Iterator[Finding]:
    for number, text in source.prose_lines():
        item = re.match(r"\s*(?:[-*+]|\d+[.)])\s", text)
        for match in re.finditer("[-–—]", text):
            index = match.start()
            if item and index < item.end():
                continue  # the list marker itself
            before = text[index - 1] if index else " "
            after = text[index + 1] if index + 1 < len(text) else " "
            shown = text[max(0, index - 8):index + 9].strip()
            if match.group(0) == "-" and re.match(r" (?:и|или|либо)\b", text[index + 1:]):
                continue  # a hanging hyphen: "социал- и христианско-демократы"
            if before.isspace() != after.isspace() and (before.isalpha() or after.isalpha() or before in "»)"
                                                       or after in "«("):
                yield Finding("K182", number, index + 1, f"'{match.group(0)}' spaced on one side only: '{shown}'",
                              "write ' — ' with a space on each side")
            elif match.group(0) != "-" and before.isalpha() and after.isalpha():
                yield Finding("K182", number, index + 1, f"dash without spaces: '{shown}'",
                              "write ' — ' with a space on each side")


@rule("K183", "ru-dash-starts-line", "error", """
    Russian: a dash that starts a source line in the middle of a paragraph. The typography transform
    ties a dash to the word before it with a no-break space only when a space separates them on the
    same line; after a line break it cannot, so the dash could start a printed line. This is the one
    case of a missing no-break space before a dash the transforms do not fix (the source is written
    with ordinary spaces before dashes on purpose, so those are not reported). A dialogue dash
    opening a paragraph is fine.""", languages=("ru", "uk"))
def dash_starts_line(source: SourceFile) -> Iterator[Finding]:
    for paragraph in source.paragraphs():
        for number, text in paragraph[1:]:
            match = re.match(r"^\s*(—|–)(?=\s)", text)
            if match:
                yield Finding("K183", number, match.start(1) + 1, "dash at the start of a line inside a paragraph",
                              "move the dash to the end of the line before, after a space")
