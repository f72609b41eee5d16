"""One Markdown file read: UTF-8, its YAML front matter split off, control characters left out."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from ..errors import SourceError, SourceRef
from .project import load_yaml

if TYPE_CHECKING:
    from ..report import Reporter


FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(---|\.\.\.)[ \t]*(\n|\Z)", re.DOTALL)


@dataclass(frozen=True, slots=True)
class SourceText:
    """One Markdown file with its front matter split off; line numbers stay those of the file."""

    path: Path
    front_matter: dict[str, Any]
    body: str
    """The file's text with the front matter blanked out, so pandoc's lines are the file's lines."""


# C0 control characters other than tab and line ends: XML (so XHTML and the EPUB) cannot hold them, and
# no reader sees them (XML 1.0, section 2.2, "Char").
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def without_control_characters(text: SourceText, reporter: Reporter | None) -> SourceText:
    """*text* with control characters taken out, each place reported (H104) — or raised without a reporter."""
    found = list(CONTROL.finditer(text.body))
    if not found:
        return text
    first = found[0]
    line = text.body.count("\n", 0, first.start()) + 1
    column = first.start() - text.body.rfind("\n", 0, first.start())
    names = ", ".join(sorted({f"U+{ord(m.group()):04X}" for m in found}))
    message = (f"{len(found)} control character{'s' if len(found) > 1 else ''} ({names}) left out; no format can "
               "show them")
    where = SourceRef(text.path, line, column)
    hint = "remove them from the file (a text editor's 'show invisibles' finds them)"
    if reporter is None:
        raise SourceError(message, where, hint, code="H104")
    reporter.warn("H104", message, where, hint)
    return SourceText(text.path, text.front_matter, CONTROL.sub("", text.body))


def read_source(path: Path) -> SourceText:
    """Read a Markdown file as UTF-8 and split off its YAML front matter."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise SourceError(f"not valid UTF-8 (byte {exc.start}, line {line})", SourceRef(path, line),
                          "save the file as UTF-8", code="S101") from None
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    match = FRONT_MATTER.match(text)
    if not match:
        from .legacy import pandoc_title_block

        # A `% title` block is pandoc's front matter; CommonMark would show it as a paragraph.
        block = pandoc_title_block(text)
        return SourceText(path, block[0], block[1]) if block else SourceText(path, {}, text)
    try:
        data = load_yaml(match.group(1) or "") or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else 1  # +1 for 1-based, +1 for the opening '---'
        problem = getattr(exc, "problem", None) or "syntax error"
        raise SourceError(f"invalid YAML in front matter: {problem}", SourceRef(path, line),
                          "fix the YAML between the '---' lines", code="S102") from None
    if not isinstance(data, dict):
        raise SourceError("front matter must be a mapping of keys to values", SourceRef(path, 2),
                          "write 'key: value' lines between the '---' lines", code="S102")
    blank = "\n" * match.group(0).count("\n")
    return SourceText(path, data, blank + text[match.end():])
