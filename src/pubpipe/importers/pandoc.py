"""pandoc: a defaults file (`input-files`, `metadata`, `metadata-file`, `bibliography`, `csl`, `css`) and its inputs."""

# Inputs are written in pandoc's own Markdown, which pubpipe does not read as such (grid tables, line
# blocks, inline notes): each is converted once by pandoc itself into the dialect pubpipe reads, so
# the text means what it meant when pandoc made the author's PDF. Paths are taken relative to the
# defaults file's folder (`${.}` is that folder too), as when pandoc is run next to it.

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import yaml

from ..errors import SourceError, SourceRef
from ..reading.project import BCP47
from .common import Book, Chapter, Origin, load_lines, read_text

INPUT_KEYS = ("input-files", "input-file")
USED_KEYS = {"input-files", "input-file", "metadata", "metadata-file", "metadata-files", "bibliography",
             "csl", "css", "from", "reader", "resource-path", "shift-heading-level-by"}
# pandoc readers whose text pubpipe reads as it is (`markdown:` in publication.yaml).
DIALECTS = {"markdown": "pandoc", "commonmark_x": "commonmark_x", "commonmark": "commonmark_x", "gfm": "gfm"}
WRITER = "commonmark_x-smart+implicit_figures"  # figures stay Markdown images, not raw HTML


def _load(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None


def find_defaults(source: Path) -> Path | None:
    """*source* when it is a pandoc defaults file (YAML naming input files), or such a file in the folder."""
    candidates = [source] if source.is_file() else sorted(p for p in source.glob("*.y*ml") if p.is_file())
    for path in candidates:
        if path.suffix in (".yaml", ".yml") and path.name not in ("mkdocs.yml", "mkdocs.yaml"):
            data = _load(path)
            if isinstance(data, dict) and any(key in data for key in INPUT_KEYS):
                return path
    return None


def _paths(value: Any, folder: Path) -> list[Path]:
    """A defaults path or list of paths, resolved (with `${.}` meaning the defaults file's folder)."""
    items = [value] if isinstance(value, str) else list(value or [])
    return [(folder / str(item).replace("${.}", ".")).resolve() for item in items]


def _line(text: str, key: str) -> int | None:
    match = re.search(rf"^\s*{re.escape(key)}\s*:", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _pandoc(arguments: list[str], data: bytes, where: SourceRef) -> bytes:
    from ..reading.pandoc import pandoc_path

    done = subprocess.run([pandoc_path(), *arguments], input=data, capture_output=True, check=False, timeout=600)
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SourceError(f"pandoc could not read the file: {message[0] if message else done.returncode}", where,
                          "check that pandoc itself builds the project", code="I144")
    return done.stdout


def _meta_value(node: Any) -> Any:
    """pandoc's JSON metadata as plain Python values (inlines as their text)."""
    from ..model import ast

    kind, content = node.get("t"), node.get("c")
    if kind == "MetaMap":
        return {key: _meta_value(value) for key, value in content.items()}
    if kind == "MetaList":
        return [_meta_value(item) for item in content]
    if kind in ("MetaInlines", "MetaBlocks"):
        return ast.plain_text(content).strip()
    return content


def read_pandoc(source: Path) -> Book:
    """Read a pandoc project (never writing to it) into a Book, one chapter per input file."""
    from .prepare import prepare_chapters

    path = find_defaults(source)
    assert path is not None
    raw = path.read_text(encoding="utf-8")
    defaults = _load(path) or {}
    folder = path.parent
    book = Book("pandoc", folder.resolve(), "", [], "en")
    book.resource_dirs = _paths(defaults.get("resource-path") or ["."], folder)
    unused = [key for key in defaults if key not in USED_KEYS]
    if unused:
        book.warn("I142", f"pandoc options not carried over: {', '.join(map(str, unused))}",
                  SourceRef(path, _line(raw, str(unused[0]))), "pubpipe makes the contents, styles and "
                  "page layout itself; see docs/IMPORT-PANDOC.md")
    metadata: dict[str, Any] = {}
    for meta_file in _paths(defaults.get("metadata-files") or defaults.get("metadata-file"), folder):
        loaded = _load(meta_file)
        if isinstance(loaded, dict):
            metadata.update(loaded)
        else:
            book.warn("I102", "metadata file cannot be read as YAML; not used", SourceRef(meta_file),
                      "fix the file and import again")
    metadata.update(defaults.get("metadata") or {})
    reader = str(defaults.get("from") or defaults.get("reader") or "markdown")
    shift = int(defaults.get("shift-heading-level-by") or 0)
    # A dialect pubpipe reads itself keeps the author's text as it is; any other is converted once.
    book.dialect = DIALECTS.get(reader, "") if not shift else ""
    inputs = _paths(defaults.get("input-files") or defaults.get("input-file"), folder)
    for number, input_path in enumerate(inputs, 1):
        _add_input(book, input_path, number, reader, shift, metadata, SourceRef(path, _line(raw, "input-file")))
    _set_metadata(book, metadata, path, raw)
    _carry_files(book, defaults, metadata, folder, path, raw)
    prepare_chapters(book, nest=False)
    return book


def _add_input(book: Book, path: Path, number: int, reader: str, shift: int, metadata: dict[str, Any],
               listed: SourceRef) -> None:
    """Convert one input file into a chapter; its own metadata fills in what the defaults leave out."""
    if not path.is_file():
        book.warn("I109", f"input file '{path.name}' does not exist; skipped", listed,
                  "create it or remove it from input-files")
        return
    text = read_text(path, book)
    if text is None:
        return
    where = SourceRef(path)
    document = json.loads(_pandoc(["-f", reader, "-t", "json", f"--shift-heading-level-by={shift}"],
                                  text.encode("utf-8"), where))
    for key, value in document.get("meta", {}).items():
        metadata.setdefault(key, _meta_value(value))
    _note_lost(book, document["blocks"], path, text)
    if book.dialect:
        body = text
    else:
        body = _pandoc(["-f", "json", "-t", WRITER, "--wrap=preserve"], json.dumps(
            {**document, "meta": {}}).encode("utf-8"), where).decode("utf-8")
    root = book.root
    name = path.relative_to(root).as_posix() if root in path.parents else f"imported/{number:02d}-{path.name}"
    if not name.endswith(".md"):
        name = name.rsplit(".", 1)[0] + ".md"
    chapter = Chapter(name, path.stem, 0, path)
    load_lines(chapter, body, path)
    if not book.dialect:  # converted text: its lines are not the file's
        chapter.origins = [Origin(path, 0) for _ in chapter.origins]
    book.chapters.append(chapter)


def _note_lost(book: Book, blocks: list[Any], path: Path, text: str) -> None:
    """Warn about what pubpipe will not render: raw LaTeX."""
    from .common import _nodes

    def line_of(needle: str) -> int | None:
        index = text.find(needle)
        return text.count("\n", 0, index) + 1 if index >= 0 else None

    raw = [node for node in _nodes(blocks) if node["t"] in ("RawBlock", "RawInline")
           and node["c"][0] in ("latex", "tex", "context")]
    if raw:
        book.warn("I141", f"{len(raw)} raw LaTeX piece(s) (first: {raw[0]['c'][1][:30]!r}) are left out of every "
                  "format", SourceRef(path, line_of(raw[0]["c"][1][:20])), "replace them by Markdown")


def _set_metadata(book: Book, metadata: dict[str, Any], path: Path, raw: str) -> None:
    """Title, authors, language, description and rights from the merged metadata."""
    book.title = str(metadata.get("title") or path.parent.name)
    authors = metadata.get("author") or metadata.get("authors") or []
    items = [authors] if isinstance(authors, (str, dict)) else list(authors)
    book.authors = [str(a.get("name", a)) if isinstance(a, dict) else str(a) for a in items] or ["Anonymous"]
    book.subtitle = str(metadata.get("subtitle") or "")
    book.description = str(metadata.get("description") or metadata.get("abstract") or "")
    book.rights = str(metadata.get("rights") or metadata.get("copyright") or "")
    language = str(metadata.get("lang") or "en")
    if BCP47.match(language):
        book.lang = language
    else:
        book.warn("I103", f"lang '{language}' is not a BCP 47 tag; the edition is 'en'",
                  SourceRef(path, _line(raw, "lang")), "pass --lang to choose another")


def _carry_files(book: Book, defaults: dict[str, Any], metadata: dict[str, Any], folder: Path, path: Path,
                 raw: str) -> None:
    """Bibliography and CSL files are copied (and named in publication.yaml); CSS goes into html-extra.css."""
    carried: dict[str, list[str]] = {}
    for key in ("bibliography", "csl"):
        for file in _paths(defaults.get(key) or metadata.get(key), folder):
            if file.is_file() and (book.root in file.parents):
                name = file.relative_to(book.root).as_posix()
                book.assets[name] = file
                carried.setdefault(key, []).append(name)
            else:
                book.warn("I140", f"{key} file '{file.name}' is not inside the project's folder; not carried over",
                          SourceRef(path, _line(raw, key)), f"copy it into the new publication and name it under {key}:")
    book.citations = carried
    for css in _paths(defaults.get("css") or metadata.get("css"), folder):
        text = read_text(css, book) if css.is_file() else None
        if text is None:
            book.warn("I143", f"stylesheet '{css.name}' not found; not carried over", SourceRef(path, _line(raw, "css")),
                      "copy its rules into styles/html-extra.css")
            continue
        book.styles["html-extra.css"] = book.styles.get("html-extra.css", "") + f"\n/* From {css.name} */\n{text}"
        book.warn("I143", f"stylesheet '{css.name}' copied into styles/html-extra.css; it was written for pandoc's "
                  "HTML and may need adjusting", SourceRef(path, _line(raw, "css")),
                  "check the HTML output and trim rules that do not apply")
