"""`pubpipe init --from`: make a publication from an mdBook, an MkDocs site or a pandoc project."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import yaml

from ..errors import SourceRef, UsageError
from ..reading.project import CONFIG_NAME, SOURCE_DIR
from .common import Book

KINDS = ("mdbook", "mkdocs", "pandoc")


def detect(source: Path) -> str:
    """The kind of project at *source*: `mdbook` (book.toml), `mkdocs` (mkdocs.yml) or `pandoc` (a
    defaults file, or a folder holding one); raises UsageError (I100) for anything else."""
    from .mdbook import is_mdbook
    from .mkdocs import find_mkdocs_config
    from .pandoc import find_defaults

    if source.is_dir() and is_mdbook(source):
        return "mdbook"
    if find_mkdocs_config(source) is not None:
        return "mkdocs"
    if find_defaults(source) is not None:
        return "pandoc"
    raise UsageError(f"'{source}' is not an mdBook, MkDocs or pandoc project", SourceRef(source),
                     "point --from at the folder holding book.toml or mkdocs.yml, or at a pandoc defaults file",
                     code="I100")


def read_book(source: Path) -> Book:
    """Read the project at *source* (never writing to it) into a Book."""
    kind = detect(source)
    if kind == "mdbook":
        from .mdbook import read_mdbook
        return read_mdbook(source)
    if kind == "mkdocs":
        from .mkdocs import read_mkdocs
        return read_mkdocs(source)
    from .pandoc import read_pandoc
    return read_pandoc(source)


def publication_yaml(book: Book, slug: str) -> str:
    """source/publication.yaml for an imported book, with the chapter order in `files:`."""
    values: dict[str, object] = {
        "slug": slug,
        "identifier": f"urn:uuid:{uuid.uuid4()}",
        "title": book.title,
        **({"subtitle": book.subtitle} if book.subtitle else {}),
        "authors": book.authors,
        "language": book.lang,
        "rights": book.rights or f"© {', '.join(book.authors)}",
    }
    if book.description:
        values["description"] = " ".join(book.description.split())
    if book.dialect and book.dialect != "commonmark_x":
        values["markdown"] = book.dialect
    for key, names in book.citations.items():
        paths = [f"{book.lang}/{name}" for name in names]  # relative to source/, where publication.yaml is
        values[key] = paths[0] if key == "csl" or len(paths) == 1 else paths
    values.update({"formats": ["html", "pdf", "epub"], "page": {"size": "A4"},
                   "editions": [{"lang": book.lang, "files": [c.name for c in book.chapters]}]})
    extra = {"imported_from": book.kind, **book.extra}
    values["extra"] = extra
    body = yaml.safe_dump(values, allow_unicode=True, sort_keys=False, width=100)
    return (f"# Imported from {book.kind} by `pubpipe init --from`. Every key is described in docs/CONFIGURATION.md\n"
            "# of pubpipe; `files:` is the reading order. The identifier is fixed once: keep it when you edit.\n"
            + body)


def project_files(book: Book) -> dict[str, bytes | Path]:
    """Every file of the new publication by relative path: text as bytes, copies as their source path."""
    from ..scaffold import EXTRA_LAYERS, GITIGNORE, STYLE_NOTE, language_rules, slug_for

    folder = f"{SOURCE_DIR}/{book.lang}"
    files: dict[str, bytes | Path] = {
        f"{SOURCE_DIR}/{CONFIG_NAME}": publication_yaml(book, slug_for(book.title)).encode("utf-8"),
        ".gitignore": GITIGNORE.encode("utf-8"),
    }
    for chapter in book.chapters:
        files[f"{folder}/{chapter.name}"] = chapter.text.encode("utf-8")
    for name, path in sorted(book.assets.items()):
        files.setdefault(f"{folder}/{name}", path)
    for layer, what in EXTRA_LAYERS.items():
        name = f"{layer}-extra.css"
        text = STYLE_NOTE.format(name=name, layer=layer, what=what)
        if layer == "base":  # as `pubpipe init --lang`: the language's own faces first
            text += language_rules(book.lang)
        text += book.styles.get(name, "")
        files[f"styles/{name}"] = text.encode("utf-8")
    return files


def write_publication(book: Book, destination: Path, source: Path) -> list[Path]:
    """Write *book* as a publication under *destination*; refuse to overwrite, or to write into *source*
    (the project it was read from) or its book folder."""
    files = project_files(book)
    folder = source.resolve() if source.is_dir() else source.resolve().parent
    for taken in {folder, book.root.resolve()}:
        if destination == taken or taken in destination.parents:
            raise UsageError("the new publication would be written inside the project it is made from",
                             SourceRef(destination), "choose a folder outside it", code="I100")
    existing = [name for name in files if (destination / name).exists()]
    if existing:
        raise UsageError("file exists; pubpipe init does not overwrite a project",
                         SourceRef(destination / existing[0]), "choose an empty or new folder", code="U108")
    written = []
    for name, data in files.items():
        path = destination / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, Path):
            shutil.copyfile(data, path)
        else:
            path.write_bytes(data)
        written.append(path)
    return written


def import_project(source: Path, destination: Path, lang: str | None = None) -> tuple[Book, list[Path]]:
    """Read the project at *source* and write it as a publication at *destination*.

    Returns the Book (its `warnings` list what could not be carried over) and the files written.
    Raises UsageError when *source* is no known kind or *destination* holds files already.
    """
    book = read_book(source.resolve())
    if lang:
        book.lang = lang
    if book.outside_links:
        target, where = book.outside_links[0]
        count = len(book.outside_links)
        book.warn("I116", f"{count} link(s) leave the book (the first: '{target}') and are kept as written; "
                  "the build shows each as its text with the address (P021)", where,
                  "set source_url in publication.yaml to the address the book was published at, "
                  "and they become links again")
    return book, write_publication(book, destination.resolve(), source)
