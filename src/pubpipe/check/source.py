"""The text a rule sees: one Markdown file's lines, with code, URLs and markup masked out."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..model import Edition

# Spans whose characters are not prose: code, URLs, link targets, HTML tags. They are blanked
# (replaced by spaces of the same length) so columns stay those of the file.
INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")
LINK_TARGET = re.compile(r"(?<=\])\([^)\s]*(?:\s+\"[^\"]*\")?\)")
REFERENCE_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S.*$")
AUTOLINK = re.compile(r"<(?:[a-z][a-z0-9+.-]*:|[^@\s>]+@)[^>\s]*>", re.IGNORECASE)
BARE_URL = re.compile(r"\b(?:https?|ftp|mailto):[^\s<>()]*[^\s<>().,;:!?\"'»”]", re.IGNORECASE)
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
HTML_TAG = re.compile(r"</?[a-zA-Z][^<>]*>|<!--.*?-->")
FILE_NAME = re.compile(r"\b[\w-]+(?:\.[\w-]+)*\.(?:md|txt|yaml|yml|json|html?|xhtml|css|js|py|pdf|epub|png|jpe?g|"
                       r"gif|svg|"
                       r"webp|zip|tar|gz|toml|ini|cfg|xml|csv)\b", re.IGNORECASE)
BLOCK_START = re.compile(r"^\s{0,3}(?:#{1,6}\s|[-*+]\s|\d+[.)]\s)")
FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")


def blank(text: str, pattern: re.Pattern[str]) -> str:
    """*text* with every match of *pattern* replaced by spaces of the same length."""
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


@dataclass(frozen=True, slots=True)
class Fix:
    """Replace `line[start:end]` (0-based columns) by *text*."""

    line: int
    """1-based line."""
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Finding:
    """What a rule reports: a place in the file, the offending text, a suggestion, maybe a fix."""

    code: str
    line: int
    """1-based line."""
    column: int
    """1-based column."""
    message: str
    hint: str | None = None
    fix: Fix | None = None


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One Markdown file of an edition, ready for the rules."""

    path: Path
    lang: str
    lines: tuple[str, ...]
    """The file's lines as written (no newline), front matter included."""
    prose: tuple[str | None, ...]
    """Each line with non-prose spans blanked; None for lines that are not prose (front matter, code)."""
    words: frozenset[str] = frozenset()
    """The edition's word list (source/<lang>/words.txt), as written."""
    edition: Edition | None = None
    """The parsed edition (for structure rules), or None when it could not be parsed."""
    first: bool = True
    """Whether this is the edition's first file (edition-wide rules run once, on it)."""

    def prose_lines(self) -> Iterator[tuple[int, str]]:
        """(1-based line number, masked text) for every prose line."""
        for number, text in enumerate(self.prose, 1):
            if text is not None and text.strip():
                yield number, text

    def paragraphs(self) -> Iterator[list[tuple[int, str]]]:
        """Runs of consecutive prose lines (a paragraph, a list item group, a heading)."""
        run: list[tuple[int, str]] = []
        for number, text in enumerate(self.prose, 1):
            if text is None or not text.strip():
                if run:
                    yield run
                run = []
                continue
            # A heading is a block of its own line, and a list marker starts a new block.
            if run and (BLOCK_START.match(text) or BLOCK_START.match(run[-1][1]) and run[-1][1].lstrip()[0] == "#"):
                yield run
                run = []
            run.append((number, text))
        if run:
            yield run


def mask(lines: list[str], front_matter_lines: int) -> tuple[str | None, ...]:
    """The prose view of *lines*: front matter and fenced code dropped, code/URLs/tags blanked."""
    prose: list[str | None] = []
    fence: str | None = None
    for index, line in enumerate(lines):
        if index < front_matter_lines:
            prose.append(None)
            continue
        opening = FENCE.match(line)
        if fence is None and opening:
            fence = opening.group(1)[0] * len(opening.group(1))
            prose.append(None)
            continue
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
            prose.append(None)
            continue
        if REFERENCE_DEF.match(line):
            prose.append(None)
            continue
        text = line
        for pattern in (INLINE_CODE, LINK_TARGET, AUTOLINK, BARE_URL, EMAIL, HTML_TAG, FILE_NAME):
            text = blank(text, pattern)
        prose.append(text)
    return tuple(prose)


def read_words(path: Path) -> frozenset[str]:
    """A word list: one word per line; `#` starts a comment."""
    if not path.is_file():
        return frozenset()
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            words.add(word)
    return frozenset(words)


def load_file(path: Path, lang: str, words: frozenset[str] = frozenset(), edition: Edition | None = None,
              first: bool = True) -> SourceFile:
    """Read one Markdown file as the rules see it (front matter lines kept, so numbers match)."""
    from ..reading.sources import read_source

    text = path.read_bytes().decode("utf-8").lstrip("\ufeff").replace("\r\n", "\n")
    body = read_source(path).body
    # read_source blanks the front matter into newlines; count them to know where prose starts.
    front = len(body) - len(body.lstrip("\n")) if body.startswith("\n") and text.startswith("---") else 0
    lines = text.split("\n")
    return SourceFile(path, lang, tuple(lines), mask(lines, front), words, edition, first)
