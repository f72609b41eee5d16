"""Markdown.pl's spellings that CommonMark reads otherwise, read as their authors meant them."""

# Markdown.pl (and GitHub before 2017) allowed a space between the two parts of a reference link:
# `[the press] [1]`. CommonMark reads that as the text `[the press]` followed by a link `1`, so the
# reader would see brackets and a bare number. Where the second label is defined in the file and the
# first is not, the space moves behind the link (`[the press][1] `): same meaning as the author's, and
# every later column of the line stays where it was.

from __future__ import annotations

import re

from .definitions import fenced_spans

SPACED_REFERENCE = re.compile(r"\[((?:[^\[\]\\]|\\.)+)\]([ \t]+)\[((?:[^\[\]\\]|\\.)+)\](?![(:\[])")
DEFINED = re.compile(r"^ {0,3}\[((?:[^\[\]\\]|\\.)+)\]:", re.MULTILINE)


def _label(text: str) -> str:
    """A link label as CommonMark matches it: case folded, runs of white space one space."""
    return " ".join(text.split()).casefold()


def joined_references(body: str) -> str | None:
    """*body* with `[text] [label]` written `[text][label] ` where only *label* is defined; None when
    nothing changes (the usual case)."""
    if "] [" not in body and "]\t[" not in body:
        return None
    defined = {_label(match.group(1)) for match in DEFINED.finditer(body)}
    if not defined:
        return None
    fenced = fenced_spans(body)
    changed = False

    def join(match: re.Match[str]) -> str:
        nonlocal changed
        text, space, label = match.groups()
        # (`[ ]` and `[x]` are task-list boxes, not link texts.)
        if (_label(label) not in defined or _label(text) in defined or text.strip().lower() in ("", "x")
                or any(begin <= match.start() < end for begin, end in fenced)):
            return match.group(0)
        changed = True
        return f"[{text}][{label}]{space}"

    result = SPACED_REFERENCE.sub(join, body)
    return result if changed else None
