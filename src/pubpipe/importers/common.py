"""What every importer produces: a Book of chapters and assets, its warnings, and pandoc helpers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic
from ..errors import SourceRef
from ..model import ast
from ..report import Reporter

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(---|\.\.\.)[ \t]*(\n|\Z)", re.DOTALL)
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Origin:
    """Where one line of a prepared chapter came from (an included file keeps its own lines)."""

    path: Path
    line: int


@dataclass(slots=True)
class Chapter:
    """One Markdown file of the new edition, in reading order."""

    name: str
    """Its path under source/<lang>/, POSIX form (the source's own relative path where it has one)."""
    title: str
    """The title the table of contents gives it (SUMMARY.md, nav); used when the file has no heading."""
    depth: int
    """Nesting: 0 for a top-level chapter; its headings are demoted by this many levels."""
    source: Path | None = None
    """The file it was made from (None for a generated part-title file)."""
    lines: list[str] = field(default_factory=list)
    """Its text, one string per line (no newline), as it is prepared."""
    origins: list[Origin] = field(default_factory=list)
    """Where each line came from, parallel to `lines` (empty for generated text)."""

    @property
    def text(self) -> str:
        return "\n".join(self.lines).strip("\n") + "\n"

    def origin(self, line: int) -> SourceRef:
        """The source place of 1-based *line* of the prepared text."""
        if 0 < line <= len(self.origins):
            found = self.origins[line - 1]
            return SourceRef(found.path, found.line or None)
        return SourceRef(self.source) if self.source else SourceRef(Path(self.name))


@dataclass(slots=True)
class Book:
    """A project read from another tool, ready to be written as a pubpipe publication."""

    kind: str
    """`mdbook`, `mkdocs` or `pandoc`."""
    root: Path
    """The source project's folder (never written to)."""
    title: str
    authors: list[str]
    lang: str
    description: str = ""
    subtitle: str = ""
    rights: str = ""
    chapters: list[Chapter] = field(default_factory=list)
    assets: dict[str, Path] = field(default_factory=dict)
    """Files to copy, by their path under source/<lang>/."""
    styles: dict[str, str] = field(default_factory=dict)
    """Extra stylesheet text by file name under styles/ (e.g. html-extra.css)."""
    extra: dict[str, Any] = field(default_factory=dict)
    """Values for publication.yaml's `extra:` (e.g. the bibliography files that were carried over)."""
    dialect: str = ""
    """`markdown:` of publication.yaml when the chapters are not CommonMark (pandoc's own Markdown)."""
    citations: dict[str, list[str]] = field(default_factory=dict)
    """Bibliography and CSL files by key (`bibliography`, `csl`), as paths under source/<lang>/."""
    reporter: Reporter = field(default_factory=Reporter)
    """Collects what could not be carried over as it was (warnings, printed once at the end)."""
    outside_links: list[tuple[str, SourceRef]] = field(default_factory=list)
    """Links that leave the book, kept as written (pubpipe's build reports them as P021)."""
    resource_dirs: list[Path] = field(default_factory=list)
    """Folders images are looked up in before the chapter's own (pandoc's resource path)."""

    def warn(self, code: str, message: str, where: SourceRef | None, hint: str) -> None:
        """Record something that could not be carried over as it was."""
        self.reporter.warn(code, message, where, hint)

    @property
    def warnings(self) -> list[Diagnostic]:
        """Every warning, sorted by file and line."""
        from ..report import sorted_diagnostics

        return sorted_diagnostics(self.reporter.warnings)


def read_text(path: Path, book: Book) -> str | None:
    """A source file as text (UTF-8, LF line ends), or None with a warning when it cannot be read."""
    try:
        return path.read_bytes().decode("utf-8").lstrip("\ufeff").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        book.warn("I101", f"not valid UTF-8 (byte {exc.start}); left out", SourceRef(path),
                  "save the file as UTF-8 and import again")
    except OSError as exc:
        book.warn("I101", f"cannot be read ({exc.strerror}); left out", SourceRef(path),
                  "check the file exists and is readable")
    return None


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """YAML front matter (a mapping, else empty) and the text with it blanked (line numbers kept)."""
    import yaml

    match = FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        data = yaml.safe_load(match.group(1) or "")
    except yaml.YAMLError:
        data = None
    blank = "\n" * match.group(0).count("\n")
    return (data if isinstance(data, dict) else {}), blank + text[match.end():]


def load_lines(chapter: Chapter, text: str, path: Path) -> None:
    """Fill a chapter's lines and origins from a file's text."""
    chapter.lines = text.split("\n")
    chapter.origins = [Origin(path, number) for number in range(1, len(chapter.lines) + 1)]


def slugify(text: str) -> str:
    """A file-name stem: lower-case ASCII letters, digits and hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "part"


@dataclass(frozen=True, slots=True)
class Parsed:
    """What one pandoc run tells about a chapter's text (line numbers are those of the text given)."""

    headers: list[tuple[int, int, int, str]]
    """Top-level headings: (level, first line, last line, id), lines 1-based inclusive."""
    code_lines: set[int]
    """Lines inside code blocks and raw HTML blocks (never edited as Markdown)."""
    raw_lines: set[int]
    """Lines inside raw HTML blocks (where `<img src>` is looked at)."""
    code_blocks: list[tuple[list[str], int, int]]
    """Code blocks: (classes, first line, last line) including the fences."""
    ids: set[str]
    """Every element id (headings' automatic ids included)."""
    first_block_is_header: bool


def _span(attr: list[Any]) -> tuple[int, int] | None:
    pairs = dict(attr[2])
    if "data-pos" not in pairs:
        return None
    numbers = [int(n) for n in re.findall(r"(\d+):\d+", pairs["data-pos"])]
    ends = re.findall(r"-(\d+):(\d+)", pairs["data-pos"])
    last = max(int(line) - (1 if column == "1" else 0) for line, column in ends) if ends else numbers[0]
    return min(numbers), max(last, min(numbers))


def _nodes(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, list):
        for item in value:
            yield from _nodes(item)
    elif isinstance(value, dict) and "t" in value:
        yield value
        yield from _nodes(value.get("c"))


def parse(text: str, where: SourceRef, ids_reader: str | None = None) -> Parsed:
    """Run pandoc (CommonMark, with positions) over *text* and collect headings, code and ids; with
    *ids_reader* (a pandoc reader such as `markdown`), the ids are those that reader gives."""
    from ..reading.pandoc import run_pandoc

    blocks = run_pandoc(text, where)["blocks"]
    top: list[tuple[dict[str, Any], tuple[int, int] | None]] = []

    def flatten(items: list[Any], span: tuple[int, int] | None) -> None:
        for item in items:
            if item["t"] == "Div" and dict(item["c"][0][2]).get("wrapper") == "1":
                flatten(item["c"][1], _span(item["c"][0]))
            else:
                top.append((item, span))

    flatten(blocks, None)
    headers = []
    for node, span in top:
        if node["t"] == "Header":
            first, last = _span(node["c"][1]) or span or (0, 0)
            headers.append((node["c"][0], first, last, node["c"][1][0]))
    code_lines: set[int] = set()
    raw_lines: set[int] = set()
    code_blocks = []
    ids: set[str] = set()
    span = None
    for node in _nodes(blocks):
        kind = node["t"]
        if kind == "Div" and dict(node["c"][0][2]).get("wrapper") == "1":
            span = _span(node["c"][0])
        elif kind == "CodeBlock" and (place := _span(node["c"][0]) or span):
            code_lines.update(range(place[0], place[1] + 1))
            code_blocks.append((node["c"][0][1], place[0], place[1]))
        elif kind == "RawBlock" and span:
            code_lines.update(range(span[0], span[1] + 1))
            raw_lines.update(range(span[0], span[1] + 1))
        attr = ast.attr_of(node)
        # pubpipe unwraps pandoc's wrapper spans and their ids with them (`**x**{#id}`).
        if attr and attr[0] and ["wrapper", "1"] not in attr[2]:
            ids.add(attr[0])
    if ids_reader:
        ids = set()
        for node in _nodes(run_pandoc(text, where, reader=ids_reader)["blocks"]):
            attr = ast.attr_of(node)
            if attr and attr[0]:
                ids.add(attr[0])
    first_is_header = bool(top) and top[0][0]["t"] == "Header"
    return Parsed(headers, code_lines, raw_lines, code_blocks, ids, first_is_header)
