"""The steps every importer shares once chapters are read: nesting, links and images, hidden lines."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import unquote

from ..errors import SourceRef
from ..reading.assets import IMAGE_TYPES
from .common import EXTERNAL, Book, Chapter, Parsed, parse
from .markdown import Decide, add_title_heading, drop_hidden_lines, escape_fake_tags, rewrite_targets, shift_headings

INDEX_NAMES = ("index.md", "README.md", "readme.md")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def prepare_chapters(book: Book, rust_hidden_lines: bool = False, nest: bool = True) -> None:
    """Nest every chapter's headings (with *nest*), rewrite its links and images for the new layout,
    register the images to copy, and (for mdBook) drop Rust hidden lines from its code blocks."""
    for chapter in book.chapters:
        _drop_control_characters(chapter, book)
    parsed: dict[int, Parsed] = {}
    for index, chapter in enumerate(book.chapters):
        parsed[index] = parse("\n".join(chapter.lines), SourceRef(chapter.source or book.root),
                              "markdown" if book.dialect == "pandoc" else None)
    by_source = {chapter.source.resolve(): chapter for chapter in book.chapters if chapter.source}
    ids = {chapter.name: parsed[index].ids for index, chapter in enumerate(book.chapters)}
    for index, chapter in enumerate(book.chapters):
        found = parsed[index]
        if nest:
            shift_headings(chapter, found)
        rewrite_targets(chapter, found, _decider(book, chapter, by_source, ids))
        _move_style_blocks(chapter, found, book)
        for tag, line in escape_fake_tags(chapter, found):
            book.warn("I117", f"'{tag}' is not an HTML element; written as text", chapter.origin(line),
                      "write it in backticks (`…`) or as \\" + tag)
        if rust_hidden_lines:
            drop_hidden_lines(chapter, found)
        if nest:
            add_title_heading(chapter, found)


STYLE_BLOCK = re.compile(r"<(style|script)\b[^>]*>(.*?)</\1\s*>", re.DOTALL | re.IGNORECASE)


def _move_style_blocks(chapter: Chapter, parsed: Parsed, book: Book) -> None:
    """Move `<style>` blocks of raw HTML into styles/base-extra.css and drop `<script>` blocks: a page's
    body may hold neither in an EPUB. Line count is kept (the lines are blanked)."""
    for first in sorted(parsed.raw_lines):
        if first - 1 in parsed.raw_lines:
            continue
        last = first
        while last + 1 in parsed.raw_lines:
            last += 1
        block = "\n".join(chapter.lines[first - 1:last])
        for match in STYLE_BLOCK.finditer(block):
            where = chapter.origin(first + block.count("\n", 0, match.start()))
            if match.group(1).lower() == "style":
                book.styles["base-extra.css"] = book.styles.get("base-extra.css", "") + (
                    f"\n/* From {chapter.name} */\n{match.group(2).strip()}\n")
                book.warn("I118", "<style> block moved into styles/base-extra.css", where,
                          "check its rules there: they now apply to the whole book")
            else:
                book.warn("I118", "<script> block left out", where, "pubpipe's outputs run no scripts")
        if STYLE_BLOCK.search(block):
            kept = STYLE_BLOCK.sub(lambda m: "\n" * m.group(0).count("\n"), block).split("\n")
            chapter.lines[first - 1:last] = kept


def _drop_control_characters(chapter: Chapter, book: Book) -> None:
    """Remove C0 control characters (other than tab), which no XML output can carry."""
    for index, line in enumerate(chapter.lines):
        cleaned = CONTROL.sub("", line)
        if cleaned != line:
            book.warn("I115", f"control character U+{ord(CONTROL.search(line).group(0)):04X} removed",  # type: ignore[union-attr]
                      chapter.origin(index + 1), "write the character another way, e.g. as its name")
            chapter.lines[index] = cleaned


def _decider(book: Book, chapter: Chapter, by_source: dict[Path, Chapter], ids: dict[str, set[str]]) -> Decide:
    """The link and image policy for one chapter (see rewrite_targets)."""
    folder = (chapter.source or book.root / chapter.name).resolve().parent
    here = posixpath.dirname(chapter.name)
    root = book.root.resolve()

    def relative(name: str) -> str:
        return posixpath.relpath(name, here or ".")

    def link(target: str, line: int) -> str | None:
        where = chapter.origin(line)
        path_part, _, anchor = target.partition("#")
        if not path_part:
            if not anchor or anchor in ids[chapter.name]:
                return target
            if book.kind == "pandoc" and any(anchor in found for found in ids.values()):
                return target  # pandoc made one document of all its inputs: #ids reach across files
            book.warn("I110", f"link to '#{anchor}', which is no heading or element of this page; kept as text",
                      where, "link to an existing heading's id")
            return None
        if path_part.startswith("/"):
            book.warn("I111", f"link to '{target}', a path on the web site; kept as text", where,
                      "write a full URL (https://…) to keep the link")
            return None
        resolved = (folder / unquote(path_part)).resolve()
        found = by_source.get(resolved)
        if found is None and resolved.suffix in (".html", ".htm"):
            found = by_source.get(resolved.with_suffix(".md"))
        if found is None and (resolved.is_dir() or not resolved.suffix):
            found = next((by_source[resolved / name] for name in INDEX_NAMES if resolved / name in by_source),
                         by_source.get(resolved.with_name(resolved.name + ".md")))  # MkDocs' `page/` URLs
        if found is None:
            inside = resolved == root or root in resolved.parents
            if not inside:
                book.outside_links.append((target, where))
                return target
            what = "a file that is not a chapter of the book" if resolved.exists() else "a page that is not in the book"
            book.warn("I112", f"link to '{target}', {what}; kept as text", where,
                      "link to a chapter, or write a full URL (https://…)")
            return None
        new = relative(found.name)
        if anchor and anchor not in ids[found.name]:
            book.warn("I110", f"link to '{target}': '{found.name}' has no heading with id '{anchor}'; "
                      "links to the chapter's start", where, "link to an existing heading's id")
            anchor = ""
        return new + (f"#{anchor}" if anchor else "")

    def image(target: str, line: int) -> str | None:
        where = chapter.origin(line)
        if EXTERNAL.match(target):
            book.warn("I113", f"image '{target}' is on the web; kept as a remote reference", where,
                      "download it into the project and refer to it by a relative path")
            return target
        path = unquote(target.partition("#")[0].partition("?")[0])
        places = [root] if path.startswith("/") else [*book.resource_dirs, folder]
        resolved = next((p for p in (d / path.lstrip("/") for d in places) if p.is_file()),
                        places[-1] / path.lstrip("/")).resolve()
        if not (root in resolved.parents and resolved.is_file()):
            problem = "not found" if root in resolved.parents else "outside the book's folder"
            book.warn("I114", f"image '{target}' is {problem}; its description is kept as text", where,
                      "copy the image into the book's folder and import again")
            return None
        if resolved.suffix.lower() not in IMAGE_TYPES:
            book.warn("I114", f"image '{target}' is not a PNG, JPEG, GIF, WebP or SVG image; "
                      "its description is kept as text", where, "export it as PNG or SVG")
            return None
        name = resolved.relative_to(root).as_posix()
        book.assets[name] = resolved
        return relative(name)

    def decide(kind: str, target: str, line: int) -> str | None:
        if kind == "Image":
            return image(target, line) if target else None
        if not target or EXTERNAL.match(target):
            return target
        return link(target, line)

    return decide
