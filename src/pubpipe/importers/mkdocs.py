"""MkDocs: mkdocs.yml's site name, docs_dir and `nav` order; admonitions become callouts."""

# mkdocs.yml is read with a YAML loader that turns every tag (`!!python/name:…`, `!ENV`, `!relative`)
# into plain data: nothing named in the file is imported or run. Without a `nav`, the pages are taken
# as MkDocs does: every Markdown file under docs_dir, index.md first in each folder, folders after files.

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import yaml

from ..errors import SourceRef
from ..reading.project import BCP47
from .common import EXTERNAL, Book, Chapter, load_lines, read_text, slugify, split_front_matter
from .prepare import prepare_chapters
from .pymarkdown import convert_extensions

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")
INDEX_NAMES = ("index.md", "README.md")


class TolerantLoader(yaml.SafeLoader):
    """A safe YAML loader that reads any unknown tag as the plain value under it."""


def _plain(loader: yaml.SafeLoader, _suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_scalar(node)  # type: ignore[arg-type]


TolerantLoader.add_multi_constructor("", _plain)


def find_mkdocs_config(source: Path) -> Path | None:
    """mkdocs.yml in the folder *source*, or *source* itself when it is such a file."""
    if source.is_file():
        return source if source.name in CONFIG_NAMES else None
    return next((source / name for name in CONFIG_NAMES if (source / name).is_file()), None)


def _text(value: Any) -> str:
    """A config value as one line of plain text (copyright lines often carry HTML)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", str(value or ""))).split())


def read_mkdocs(source: Path) -> Book:
    """Read an MkDocs project (never writing to it) into a Book of prepared chapters."""
    config_path = find_mkdocs_config(source)
    assert config_path is not None
    text = config_path.read_text(encoding="utf-8")
    book = Book("mkdocs", config_path.parent, "", [], "en")
    try:
        config = yaml.load(text, Loader=TolerantLoader) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        book.warn("I102", f"mkdocs.yml is not valid YAML ({getattr(exc, 'problem', exc)}); its settings are not used",
                  SourceRef(config_path, mark.line + 1 if mark else None), "fix the YAML and import again")
        config = {}
    if not isinstance(config, dict):
        config = {}
    book.title = _text(config.get("site_name")) or config_path.parent.name
    book.authors = [_text(config.get("site_author"))] if config.get("site_author") else ["Anonymous"]
    book.description = _text(config.get("site_description"))
    book.rights = _text(config.get("copyright"))
    theme = config.get("theme")
    if not isinstance(theme, dict):
        theme = {}
    language = str(theme.get("language") or theme.get("locale") or "en")
    if BCP47.match(language):
        book.lang = language
    else:
        book.warn("I103", f"theme language '{language}' is not a BCP 47 tag; the edition is 'en'",
                  SourceRef(config_path), "pass --lang to choose another")
    book.root = (config_path.parent / str(config.get("docs_dir") or "docs")).resolve()
    for css in config.get("extra_css") or []:
        book.warn("I106", f"extra_css '{css}' styles the MkDocs site and is not carried over", SourceRef(config_path),
                  "put the rules you need into styles/base-extra.css (see docs/STYLING.md)")
    nav = config.get("nav") or config.get("pages")
    entries: list[tuple[str, Path | None, int]] = []
    if isinstance(nav, list):
        _nav_entries(nav, 0, book, config_path, entries)
    else:
        _folder_entries(book.root, 0, entries)
    _make_chapters(entries, book, config_path)
    for chapter in book.chapters:
        if chapter.source is not None:
            convert_extensions(chapter, book, config_path.parent)
    prepare_chapters(book)
    return book


def _nav_entries(items: list[Any], depth: int, book: Book, config: Path,
                 entries: list[tuple[str, Path | None, int]]) -> None:
    """Walk a `nav` list: `file.md`, `Title: file.md`, `Title: [ … ]` (a section) or `Title: URL`."""
    for item in items:
        title, value = ("", item) if not isinstance(item, dict) else next(iter(item.items()), ("", None))
        if isinstance(value, list):
            entries.append((str(title), None, depth))
            _nav_entries(value, depth + 1, book, config, entries)
        elif isinstance(value, str) and EXTERNAL.match(value):
            book.warn("I132", f"nav entry '{title or value}' links to {value}, which is not a page; left out",
                      SourceRef(config, key="nav"), "add the link to a page's text if it should be in the book")
        elif isinstance(value, str):
            entries.append((str(title), book.root / value, depth))
        else:
            book.warn("I132", f"nav entry {item!r} is neither a page nor a section; left out",
                      SourceRef(config, key="nav"), "write '- Title: file.md' or '- Section: [ … ]'")


def _folder_entries(folder: Path, depth: int, entries: list[tuple[str, Path | None, int]]) -> None:
    """Every Markdown file under *folder* in MkDocs' default order, sub-folders as sections."""
    files = sorted(p for p in folder.iterdir() if p.suffix == ".md" and p.is_file())
    files.sort(key=lambda p: p.name not in INDEX_NAMES)
    entries += [("", path, depth) for path in files]
    for sub in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if any(sub.rglob("*.md")):
            entries.append((sub.name.replace("-", " ").replace("_", " ").capitalize(), None, depth))
            _folder_entries(sub, depth + 1, entries)


def _make_chapters(entries: list[tuple[str, Path | None, int]], book: Book, config: Path) -> None:
    """Chapters from nav entries: sections as title files of their own, each page once."""
    seen: set[Path] = set()
    sections = 0
    for title, file, depth in entries:
        if file is None:
            sections += 1
            name = f"section-{sections:02d}-{slugify(title)}.md"
            book.chapters.append(Chapter(name, title, depth, None, [f"{'#' * min(6, depth + 1)} {title}", ""]))
            continue
        file = file.resolve()
        if file in seen:
            continue
        if not file.is_file():
            book.warn("I109", f"page '{file.relative_to(book.root) if book.root in file.parents else file}' "
                      "does not exist; skipped", SourceRef(config, key="nav"), "create it or remove it from nav")
            continue
        text = read_text(file, book)
        if text is None:
            continue
        seen.add(file)
        front, body = split_front_matter(text)
        name = file.relative_to(book.root).as_posix() if book.root in file.parents else f"imported/{file.name}"
        chapter = Chapter(name, title or str(front.get("title") or _first_heading(body) or file.stem), depth, file)
        load_lines(chapter, body, file)
        book.chapters.append(chapter)


def _first_heading(text: str) -> str:
    match = re.search(r"^#\s+(.+?)\s*#*\s*$", text, re.MULTILINE)
    return match.group(1) if match else ""
