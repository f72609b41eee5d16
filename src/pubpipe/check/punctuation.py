"""Punctuation rules: typewriter marks the transforms will not set, and unbalanced quotes, brackets, emphasis."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..transforms.typography import RULES
from .registry import rule
from .source import Finding, Fix, SourceFile

PAIRS = {"(": ")", "[": "]", "{": "}"}
CURLY = {"“": "”", "«": "»"}


def transformed(lang: str) -> bool:
    """Whether pubpipe's typography transform has rules for *lang* (so it sets quotes and dashes itself)."""
    return lang in RULES or lang.split("-")[0] in RULES


@rule("K121", "straight-quotes", "warning", """
    Straight quotes and apostrophes (`"` `'`) in a language pubpipe's typography transform has no
    rules for: they would be set with English quotes. For languages it knows (en, ru, uk, de, he, ar)
    the transform sets them, so the rule stays silent.""")
def straight_quotes(source: SourceFile) -> Iterator[Finding]:
    if transformed(source.lang):
        return
    for number, text in source.prose_lines():
        for match in re.finditer(r"[\"']", text):
            yield Finding("K121", number, match.start() + 1, f"straight quote {match.group(0)}",
                          "type the language's own quotation marks and apostrophe")


@rule("K122", "double-hyphen", "warning", """
    `--` standing for a dash, in a language the typography transform does not know (elsewhere it
    becomes a dash). `--fix` writes an en dash.""", fixable=True)
def double_hyphen(source: SourceFile) -> Iterator[Finding]:
    if transformed(source.lang):
        return
    for number, text in source.prose_lines():
        for match in re.finditer(r"(?<!-)--(?!-)", text):
            yield Finding("K122", number, match.start() + 1, "'--' in text", "write a dash (– or —)",
                          Fix(number, match.start(), match.end(), "–"))


@rule("K123", "three-dots", "warning", """
    `...` in a language the typography transform does not know (elsewhere it becomes `…`).
    `--fix` writes `…`.""", fixable=True)
def three_dots(source: SourceFile) -> Iterator[Finding]:
    if transformed(source.lang):
        return
    for number, text in source.prose_lines():
        for match in re.finditer(r"(?<!\.)\.\.\.(?!\.)", text):
            yield Finding("K123", number, match.start() + 1, "'...' in text", "write an ellipsis (…)",
                          Fix(number, match.start(), match.end(), "…"))


def _strip_markers(text: str) -> str:
    """Blank list markers like `1)` `a)` and list/quote prefixes so they do not count as brackets."""
    return re.sub(r"^(\s*(?:>\s*)*)(\d+|[a-zа-я])\)", lambda m: m.group(1) + " " * (len(m.group(0)) - len(m.group(1))),
                  text)


@rule("K131", "unbalanced-quotes", "error", """
    A paragraph whose straight double quotes are odd in number, or whose curly quotes or guillemets
    open more often than they close (or the reverse). Reported at the quote left unpaired.""")
def unbalanced_quotes(source: SourceFile) -> Iterator[Finding]:
    for paragraph in source.paragraphs():
        straight = [(number, match.start()) for number, text in paragraph for match in re.finditer('"', text)]
        if len(straight) % 2:
            number, column = straight[-1]
            yield Finding("K131", number, column + 1, 'unpaired straight quote (")',
                          "close the quotation or remove the stray mark")
        # „…“ closes with the mark English opens with; take those pairs out before counting “ ”.
        paragraph = [(number, re.sub("„[^„“”]*“", lambda m: " " * len(m.group(0)), text))
                     for number, text in paragraph]
        for number, text in paragraph:
            for match in re.finditer("„", text):
                yield Finding("K131", number, match.start() + 1, "'„' is never closed", "close it with '“'")
        for opening, closing in CURLY.items():
            stack: list[tuple[int, int]] = []
            for number, text in paragraph:
                for match in re.finditer(f"[{opening}{closing}]", text):
                    if match.group(0) == opening:
                        stack.append((number, match.start()))
                    elif stack:
                        stack.pop()
                    else:
                        yield Finding("K131", number, match.start() + 1, f"'{closing}' closes no quotation",
                                      f"open it with '{opening}' or remove it")
            for number, column in stack:
                yield Finding("K131", number, column + 1, f"'{opening}' is never closed", f"close it with '{closing}'")


@rule("K132", "unbalanced-brackets", "error", """
    A paragraph with a bracket `( [ {` that is never closed, or a closing one that opens nothing.
    List markers like `a)` are not brackets.""")
def unbalanced_brackets(source: SourceFile) -> Iterator[Finding]:
    closers = {v: k for k, v in PAIRS.items()}
    for paragraph in source.paragraphs():
        stack: list[tuple[str, int, int]] = []
        for number, raw in paragraph:
            text = _strip_markers(raw)
            for match in re.finditer(r"[()\[\]{}]", text):
                mark = match.group(0)
                if mark in PAIRS:
                    stack.append((mark, number, match.start()))
                elif stack and stack[-1][0] == closers[mark]:
                    stack.pop()
                else:
                    yield Finding("K132", number, match.start() + 1, f"'{mark}' closes nothing",
                                  f"open it with '{closers[mark]}' or remove it")
        for mark, number, column in stack:
            yield Finding("K132", number, column + 1, f"'{mark}' is never closed", f"close it with '{PAIRS[mark]}'")


@rule("K133", "unbalanced-emphasis", "error", """
    An emphasis marker (`*`, `**`, `_`) that Markdown could not pair, so it would print as a literal
    star or underscore. Counted per paragraph; escaped markers (`\\*`) and underscores inside words
    are left alone.""")
def unbalanced_emphasis(source: SourceFile) -> Iterator[Finding]:
    markers = (r"\*\*", r"(?<!\*)\*(?!\*)", r"(?<![\w\\])_|_(?!\w)")
    for paragraph in source.paragraphs():
        hits: dict[str, list[tuple[int, int]]] = {marker: [] for marker in markers}
        for number, text in paragraph:
            if re.fullmatch(r"\s*([-*_])(\s*\1){2,}\s*", text):
                continue  # a thematic break
            body = re.sub(r"^\s*(?:>\s*)*(?:[-*+]\s+)?", lambda m: " " * len(m.group(0)), text)
            body = re.sub(r"\\[*_]", "  ", body)  # escaped markers are literal on purpose
            for marker in markers:
                hits[marker] += [(number, m.start()) for m in re.finditer(marker, body)]
        for found in hits.values():
            if len(found) % 2:
                number, column = found[-1]
                yield Finding("K133", number, column + 1, "emphasis marker is never closed",
                              "pair it with the same marker or escape it with a backslash")
