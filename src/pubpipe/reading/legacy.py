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


def pandoc_title_block(text: str) -> tuple[dict[str, object], str] | None:
    """pandoc's `% title` / `% author; author` / `% date` block at the top of *text*, as front-matter
    values, and *text* with those lines blanked (lines keep their numbers); None when it has none.
    Syntax: pandoc's manual, extension pandoc_title_block (a field may go on over lines that begin with
    a space; an empty `%` line leaves its field out)."""
    if not text.startswith("%"):
        return None
    lines = text.split("\n")
    fields: list[list[str]] = []
    count = 0
    for line in lines:
        if line.startswith("%") and len(fields) < 3:
            fields.append([line[1:].strip()])
        elif line.startswith((" ", "\t")) and fields and line.strip():
            fields[-1].append(line.strip())
        else:
            break
        count += 1
    values = [" ".join(part for part in field if part) for field in fields]
    found: dict[str, object] = {}
    for key, value in zip(("title", "authors", "date"), values):
        if value:
            found[key] = [name.strip() for name in value.split(";") if name.strip()] if key == "authors" else value
    if "date" in found:
        # The date's written form ("Apr 23, 2023") as ISO 8601, which publication metadata needs; a date
        # in no known form is not given as the publication date (it stays in the text's history only).
        iso = _iso_date(str(found.pop("date")))
        if iso:
            found["date"] = iso
    return found, "\n" * count + "\n".join(lines[count:])


def _iso_date(text: str) -> str | None:
    """*text* (`2023-04-23`, `Apr 23, 2023`, `23 April 2023`, `April 2023`) as ISO 8601, else None."""
    from datetime import datetime

    for form, iso in (("%Y-%m-%d", "%Y-%m-%d"), ("%b %d, %Y", "%Y-%m-%d"), ("%B %d, %Y", "%Y-%m-%d"),
                      ("%d %B %Y", "%Y-%m-%d"), ("%d %b %Y", "%Y-%m-%d"), ("%B %Y", "%Y-%m"), ("%Y", "%Y")):
        try:
            return datetime.strptime(text.strip(), form).strftime(iso)
        except ValueError:
            continue
    return None
