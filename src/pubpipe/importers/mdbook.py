"""mdBook: book.toml's metadata and src/SUMMARY.md's chapters (parts, nesting, drafts), includes resolved."""

# The SUMMARY.md grammar is mdBook's ("SUMMARY.md" in the mdBook guide): an optional `# Summary`
# title, prefix chapters (links outside a list), part titles (level-1 headings), numbered chapters
# (nested lists of links; a link without a target is a draft), separators (`---`) and suffix chapters.

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from ..errors import SourceRef
from ..model import ast
from ..reading.project import BCP47
from .common import Book, Chapter, load_lines, read_text, slugify, split_front_matter
from .includes import resolve_directives
from .prepare import prepare_chapters


def is_mdbook(folder: Path) -> bool:
    """Whether *folder* holds an mdBook (book.toml)."""
    return (folder / "book.toml").is_file()


def _line_of(text: str, pattern: str) -> int | None:
    """The 1-based line of the first match of *pattern* in a TOML file, for messages."""
    match = re.search(pattern, text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def read_mdbook(folder: Path) -> Book:
    """Read an mdBook project (never writing to it) into a Book of prepared chapters."""
    config_path = folder / "book.toml"
    raw = config_path.read_text(encoding="utf-8")
    book = Book("mdbook", folder, "", [], "en")
    try:
        config = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        book.warn("I102", f"book.toml is not valid TOML ({exc}); its settings are not used",
                  SourceRef(config_path), "fix the TOML and import again")
        config = {}
    meta: dict[str, Any] = config.get("book") or {}
    book.title = str(meta.get("title") or folder.name)
    authors = meta.get("authors") or meta.get("author") or []
    book.authors = [str(a) for a in ([authors] if isinstance(authors, str) else authors)] or ["Anonymous"]
    book.description = str(meta.get("description") or "")
    language = str(meta.get("language") or "en")
    if BCP47.match(language):
        book.lang = language
    else:
        book.warn("I103", f"language '{language}' is not a BCP 47 tag; the edition is 'en'",
                  SourceRef(config_path, _line_of(raw, r"^\s*language\s*=")), "pass --lang to choose another")
    book.root = (folder / str(meta.get("src") or "src")).resolve()
    _note_unused(config, raw, config_path, book)
    summary = book.root / "SUMMARY.md"
    text = read_text(summary, book) if summary.is_file() else None
    if text is None:
        book.warn("I104", "no src/SUMMARY.md; every Markdown file is imported, sorted by name",
                  SourceRef(summary), "write a SUMMARY.md to set the order")
        entries: list[Entry] = [(p.stem.replace("-", " ").capitalize(), p, 0, 0)
                                for p in sorted(book.root.rglob("*.md"))]
    else:
        entries = _summary_entries(text, summary, book)
    _make_chapters(entries, book)
    for chapter in book.chapters:
        if chapter.source is not None:
            resolve_directives(chapter, book)
    prepare_chapters(book, rust_hidden_lines=True)
    return book


def _note_unused(config: dict[str, Any], raw: str, path: Path, book: Book) -> None:
    """Warn about book.toml settings that shape mdBook's web site and have no pubpipe counterpart."""
    for name in (config.get("preprocessor") or {}):
        book.warn("I105", f"mdBook preprocessor '{name}' is not run; what it adds to the text is missing",
                  SourceRef(path, _line_of(raw, rf"^\s*\[preprocessor\.{re.escape(name)}")),
                  "replace its syntax in the chapters by plain Markdown")
    html = (config.get("output") or {}).get("html") or {}
    for key in ("additional-css", "theme"):
        if html.get(key):
            book.warn("I106", f"output.html.{key} styles mdBook's web pages and is not carried over",
                      SourceRef(path, _line_of(raw, rf"^\s*{key}\s*=")),
                      "put the rules you need into styles/base-extra.css (see docs/STYLING.md)")


# An entry of the summary: (title, file or None for a part title, depth, line in SUMMARY.md).
Entry = tuple[str, "Path | None", int, int]


def _pos_line(attr: list[Any]) -> int:
    match = re.match(r"(\d+):", dict(attr[2]).get("data-pos", ""))
    return int(match.group(1)) if match else 0


def _summary_entries(text: str, path: Path, book: Book) -> list[Entry]:
    """The chapters of SUMMARY.md in reading order, parsed by pandoc."""
    from ..reading.pandoc import run_pandoc

    blocks = run_pandoc(text, SourceRef(path))["blocks"]
    entries: list[Entry] = []
    in_part = False

    def unwrap(items: list[Any]) -> list[tuple[dict[str, Any], int]]:
        out = []
        for item in items:
            if item["t"] == "Div" and dict(item["c"][0][2]).get("wrapper") == "1":
                out += [(inner, line or _pos_line(item["c"][0])) for inner, line in unwrap(item["c"][1])]
            else:
                attr = ast.attr_of(item)
                out.append((item, _pos_line(attr) if attr else 0))
        return out

    def link(node: dict[str, Any], depth: int, line: int) -> None:
        title = ast.plain_text(node["c"][1]).strip()
        target = node["c"][2][0]
        line = _pos_line(node["c"][0]) or line
        if not target:
            book.warn("I107", f"draft chapter '{title}' has no file; skipped", SourceRef(path, line),
                      "write the chapter and link its file in SUMMARY.md")
            return
        file = (path.parent / unquote(target.partition("#")[0])).resolve()
        entries.append((title, file, depth, line))

    def items(node: dict[str, Any], depth: int) -> None:
        for item in node["c"] if node["t"] == "BulletList" else node["c"][1]:
            for block, line in unwrap(item):
                if block["t"] in ("BulletList", "OrderedList"):
                    items(block, depth + 1)
                elif block["t"] in ("Plain", "Para"):
                    links = [n for n in block["c"] if n["t"] == "Link"]
                    if links:
                        for found in links:
                            link(found, depth, line)
                    else:
                        title = ast.plain_text(block["c"]).strip()
                        book.warn("I108", f"'{title}' in SUMMARY.md is no link; it becomes a heading without text",
                                  SourceRef(path, line), "link it to a chapter file")
                        entries.append((title, None, depth, line))

    for index, (block, line) in enumerate(unwrap(blocks)):
        kind = block["t"]
        if kind == "Header":
            if index == 0 and not entries:
                continue  # the summary's own title
            entries.append((ast.plain_text(block["c"][2]).strip(), None, 0, line))
            in_part = True
        elif kind in ("BulletList", "OrderedList"):
            items(block, 1 if in_part else 0)
        elif kind in ("Para", "Plain"):
            for node in block["c"]:
                if node["t"] == "Link":
                    link(node, 0, line)
        elif kind != "HorizontalRule":
            book.warn("I108", "SUMMARY.md holds something that is neither a chapter link nor a part title; ignored",
                      SourceRef(path, line), "keep only links, lists of links, headings and --- in SUMMARY.md")
    return entries


def _make_chapters(entries: list[Entry], book: Book) -> None:
    """Chapters from the summary's entries: part titles as files of their own, each source file once."""
    root = book.root
    seen: dict[Path, int] = {}
    names: set[str] = set()
    parts = 0
    summary = root / "SUMMARY.md"
    for title, file, depth, line in entries:
        if file is None:
            parts += 1
            name = f"part-{parts:02d}-{slugify(title)}.md"
            while name in names:
                name = "x-" + name
            names.add(name)
            book.chapters.append(Chapter(name, title, depth, None, [f"{'#' * (depth + 1)} {title}", ""]))
            continue
        if file in seen:
            book.warn("I109", f"'{file.name}' is listed twice in SUMMARY.md; imported once, at its first place",
                      SourceRef(summary, line), "list each file once")
            continue
        if not file.is_file():
            book.warn("I109", f"chapter file '{file.relative_to(root) if root in file.parents else file}' "
                      "does not exist; skipped", SourceRef(summary, line),
                      "create the file or remove it from SUMMARY.md")
            continue
        text = read_text(file, book)
        if text is None:
            continue
        seen[file] = len(book.chapters)
        name = file.relative_to(root).as_posix() if root in file.parents else f"imported/{file.name}"
        front, body = split_front_matter(text)
        chapter = Chapter(name, title or str(front.get("title") or file.stem), depth, file)
        load_lines(chapter, body, file)
        names.add(name)
        book.chapters.append(chapter)
