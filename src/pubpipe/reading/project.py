"""Find and load a project: read source/publication.yaml, validate it, describe its editions."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import ConfigError, ConfigErrors, SourceRef

CONFIG_NAME = "publication.yaml"
SOURCE_DIR = "source"

# BCP 47 in the shape pubpipe accepts: language, optional script, region, variants.
BCP47 = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z]{4})?(-([a-zA-Z]{2}|[0-9]{3}))?(-[a-zA-Z0-9]{5,8})*$")
RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur", "yi", "ps", "dv", "ug", "ku-Arab", "sd"})
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True, slots=True)
class Key:
    """One key of publication.yaml: its type, whether it is required, and what it means."""

    types: tuple[type, ...]
    required: bool
    doc: str


# The schema of publication.yaml, also the source of the configuration reference.
PUBLICATION_KEYS: dict[str, Key] = {
    "slug": Key((str,), True, "File name stem of every output, lower-case letters, digits and hyphens."),
    "identifier": Key((str,), True, "Stable identifier of the work, e.g. `urn:uuid:…`, fixed once."),
    "title": Key((str,), True, "Title in the original language."),
    "subtitle": Key((str,), False, "Subtitle in the original language."),
    "authors": Key((list, str), True, "Author credit(s)."),
    "publisher": Key((str,), False, "Publisher credit."),
    "language": Key((str,), True, "BCP 47 tag of the original language; its edition is the original."),
    "rights": Key((str,), True, "Copyright or licence statement."),
    "date": Key((str,), False, "Publication date, ISO 8601."),
    "version": Key((str,), False, "Release version for `pubpipe build --release` (default: the latest git tag)."),
    "description": Key((str,), False, "One-paragraph description in the original language."),
    "keywords": Key((list,), False, "Keywords for PDF and EPUB metadata."),
    "formats": Key((list,), False, "Formats `pubpipe build` makes by default (default: html, pdf, epub)."),
    "page": Key((dict,), False, "Print settings: `size` (CSS page size, default A4), `pdf_variant` (pdf/ua-1 or pdf/a-3b), `layout` (auto, chapters or single: a book's PDF laid out chapter by chapter in parallel)."),
    "editions": Key((list,), True, "The editions: each `lang` and optional `files`, `direction` and metadata."),
    "extra": Key((dict,), False, "Free-form values passed to templates."),
    "allow_remote": Key((bool,), False, "`true`: fetch the text's web (http/https) images once into "
                        "build/.cache/remote/ and embed them, as `--allow-remote` does (default: false: their alt "
                        "text is shown, linked to them, with warning H101). Delete that folder to fetch them again."),
    "trust_raw_html": Key((bool,), False, "`true`: keep raw HTML that runs code (`<script>`, `on…` attributes, "
                          "`javascript:` URLs) in the outputs (default: false: it is removed, with warning H103, "
                          "so chapters contributed by others are safe to build)."),
    "markdown": Key((str,), False, "The Markdown dialect of the sources: `commonmark_x` (default: CommonMark with "
                    "pandoc's extensions, exact positions in messages), `gfm` (GitHub's) or `pandoc` (pandoc's own "
                    "Markdown: grid, simple and multiline tables, `% title` block, `^[inline notes]`, example lists; "
                    "messages give the line of the block, found by searching the text). See docs/AUTHORING.md."),
    "bibliography": Key((str, list), False, "Bibliography file(s) for citations (`[@key]`, `@key`): BibTeX (.bib), "
                        "CSL JSON (.json), CSL YAML or RIS, relative to the file that names it, inside the project. "
                        "The list of references goes where `::: {#refs}` stands, else at the end."),
    "references": Key((list,), False, "Bibliography entries written in the metadata itself, as CSL YAML "
                      "(`- id: doe2020`, `type: book`, `title:`, `author: [{family: Doe, given: Jane}]`, "
                      "`issued: 2020`), beside or instead of a `bibliography` file."),
    "csl": Key((str,), False, "Citation style: a CSL file (default: Chicago author-date), relative to the file that "
               "names it, inside the project."),
    "source_url": Key((str,), False, "Web address of the folder the Markdown came from (e.g. a repository's "
                      "`https://…/blob/main/`): links to its files that are not part of the publication are made "
                      "absolute against it instead of being kept as text."),
}

MARKDOWN_DIALECTS = ("commonmark_x", "gfm", "pandoc")

EDITION_KEYS: dict[str, Key] = {
    "lang": Key((str,), True, "BCP 47 tag; the edition's sources live in source/<lang>/."),
    "files": Key((list,), False, "Markdown files in reading order (default: all *.md sorted by name, then each subfolder's the same way)."),
    "direction": Key((str,), False, "`ltr` or `rtl` (default: from the language)."),
    "title": Key((str,), False, "Title of this edition."),
    "subtitle": Key((str,), False, "Subtitle of this edition."),
    "description": Key((str,), False, "Description of this edition."),
    "authors": Key((list, str), False, "Author credit(s) as this edition writes them."),
    "translators": Key((list, str), False, "Translator credit(s)."),
    "keywords": Key((list,), False, "Keywords of this edition."),
    "rights": Key((str,), False, "Rights statement of this edition."),
}

PAGE_KEYS = {"size", "pdf_variant", "layout"}
PDF_VARIANTS = ("pdf/ua-1", "pdf/a-3b")
DEFAULT_FORMATS = ("html", "pdf", "epub")


@dataclass(frozen=True, slots=True)
class EditionConfig:
    """An edition as declared in publication.yaml, before its sources are read."""

    lang: str
    direction: str
    files: tuple[Path, ...]
    overrides: Mapping[str, Any]
    where: SourceRef
    skipped: tuple[Path, ...] = ()
    """README.md files in the edition's folder and its subfolders that are not published (a warning)."""


@dataclass(frozen=True, slots=True)
class Project:
    """What source/publication.yaml says: the work's identity, its editions and defaults."""

    root: Path
    """The project folder (holding source/ and styles/)."""
    config_path: Path
    """Absolute path of publication.yaml."""
    slug: str
    identifier: str
    original_lang: str
    settings: Mapping[str, Any]
    """The validated top-level values (title, authors, rights, …)."""
    editions: tuple[EditionConfig, ...]
    formats: tuple[str, ...] = DEFAULT_FORMATS
    page_size: str = "A4"
    pdf_variant: str | None = None
    """`page: pdf_variant` — the PDF variant unless the command line names one."""
    pdf_layout: str | None = None
    """`page: layout` — auto, chapters or single (backends/pdf_parallel.py) unless the command line names one."""
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def allow_remote(self) -> bool:
        """`allow_remote: true` in publication.yaml: web images are fetched (as with --allow-remote)."""
        return self.settings.get("allow_remote") is True

    @property
    def trust_raw_html(self) -> bool:
        """`trust_raw_html: true` in publication.yaml: raw HTML that runs code is kept."""
        return self.settings.get("trust_raw_html") is True

    @property
    def source_dir(self) -> Path:
        return self.root / SOURCE_DIR

    @property
    def styles_dir(self) -> Path:
        return self.root / "styles"

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    def edition(self, lang: str) -> EditionConfig:
        for edition in self.editions:
            if edition.lang == lang:
                return edition
        raise KeyError(lang)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(edition.lang for edition in self.editions)


def find_project(start: Path) -> Path:
    """The nearest folder at or above *start* that holds source/publication.yaml."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / SOURCE_DIR / CONFIG_NAME).is_file():
            return folder
    raise ConfigError(
        f"no project found in {start} or above",
        hint=f"run pubpipe in a folder that holds {SOURCE_DIR}/{CONFIG_NAME}, or pass -C DIR",
        code="C100",
    )


# libyaml's parser, when PyYAML was built with it: several times faster than the pure-Python one.
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """Parse YAML text, quickly; a syntax error comes from the pure-Python parser (raised again by
    it), whose messages and marks pubpipe's diagnostics are written and tested against."""
    try:
        return yaml.load(text, Loader=FAST_LOADER)
    except yaml.YAMLError:
        return yaml.safe_load(text)


def from_sourcepos(text: str) -> dict[tuple[str, ...], int]:
    """Line numbers of every mapping key in a YAML document, by key path (list items by index)."""
    lines: dict[tuple[str, ...], int] = {}

    def walk(node: yaml.Node, path: tuple[str, ...]) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                sub = (*path, str(key.value))
                lines[sub] = key.start_mark.line + 1
                walk(value, sub)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                sub = (*path, str(index))
                lines[sub] = item.start_mark.line + 1
                walk(item, sub)

    root = yaml.compose(text, Loader=FAST_LOADER)
    if root is not None:
        walk(root, ())
    return lines


def _type_names(types: tuple[type, ...]) -> str:
    names = {str: "a string", list: "a list", dict: "a mapping", int: "a number", bool: "true or false"}
    return " or ".join(names[t] for t in types)


def check_keys(values: Mapping[str, Any], schema: Mapping[str, Key], where: SourceRef,
               lines: Mapping[tuple[str, ...], int], path: tuple[str, ...]) -> list[ConfigError]:
    """Every unknown key, wrong type and missing required key of *values* against *schema*."""
    problems: list[ConfigError] = []
    for key, value in values.items():
        line = lines.get((*path, str(key)))
        place = SourceRef(where.path, line, None, ".".join((*path, str(key))))
        if key not in schema:
            import difflib  # only for a mistake: every build reads this module

            close = difflib.get_close_matches(str(key), list(schema), n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(schema)}"
            problems.append(ConfigError(f"unknown key '{key}'", place, hint, code="C103"))
            continue
        expected = schema[key].types
        if not isinstance(value, expected) or (isinstance(value, bool) and bool not in expected):
            problems.append(ConfigError(
                f"'{key}' must be {_type_names(expected)}, not {type(value).__name__}", place,
                schema[key].doc, code="C104"))
    for key, spec in schema.items():
        if spec.required and key not in values:
            line = lines.get(path) if path else None
            problems.append(ConfigError(
                f"required key '{'.'.join((*path, key))}' is missing",
                SourceRef(where.path, line, None, ".".join((*path, key))),
                f"add it: {spec.doc}", code="C105"))
    return problems


def read_yaml(path: Path) -> tuple[Any, str]:
    """Parse a YAML file, turning syntax errors into a ConfigError at the right line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"not valid UTF-8 at byte {exc.start}", SourceRef(path),
                          "save the file as UTF-8", code="C102") from None
    try:
        return load_yaml(text), text
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"invalid YAML: {problem}", SourceRef(path, line, column),
                          "fix the YAML syntax", code="C101") from None


def as_tuple(value: Any) -> tuple[str, ...]:
    """A string or a list of strings as a tuple of strings."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(item) for item in value)


def load_project(root: Path) -> Project:
    """Read and validate source/publication.yaml under *root*; report every problem at once."""
    config_path = root / SOURCE_DIR / CONFIG_NAME
    data, text = read_yaml(config_path)
    where = SourceRef(config_path)
    if not isinstance(data, dict):
        raise ConfigError("publication.yaml must be a mapping of keys to values", SourceRef(config_path, 1),
                          "start from the example in the README", code="C104")
    lines = from_sourcepos(text)
    problems = check_keys(data, PUBLICATION_KEYS, where, lines, ())

    def at(*path: str) -> SourceRef:
        return SourceRef(config_path, lines.get(tuple(path)), None, ".".join(path))

    slug = data.get("slug")
    if isinstance(slug, str) and not SLUG.match(slug):
        problems.append(ConfigError(f"slug '{slug}' is not usable as a file name", at("slug"),
                                    "use lower-case letters, digits and hyphens", code="C106"))
    original = data.get("language")
    if isinstance(original, str) and not BCP47.match(original):
        problems.append(ConfigError(f"'{original}' is not a BCP 47 language tag", at("language"),
                                    "use a tag such as en, ru or pt-BR", code="C107"))
    page = data.get("page") or {}
    if isinstance(page, dict):
        for key in page:
            if key not in PAGE_KEYS:
                problems.append(ConfigError(f"unknown key '{key}'", at("page", str(key)),
                                            f"known keys: {', '.join(sorted(PAGE_KEYS))}", code="C103"))
        if page.get("pdf_variant") is not None and page["pdf_variant"] not in PDF_VARIANTS:
            problems.append(ConfigError(f"unknown PDF variant '{page['pdf_variant']}'", at("page", "pdf_variant"),
                                        f"choose from: {', '.join(PDF_VARIANTS)}", code="C113"))
        if page.get("layout") is not None and page["layout"] not in ("auto", "chapters", "single"):
            problems.append(ConfigError(f"unknown PDF layout '{page['layout']}'", at("page", "layout"),
                                        "choose from: auto, chapters, single", code="S204"))

    dialect = data.get("markdown")
    if isinstance(dialect, str) and dialect not in MARKDOWN_DIALECTS:
        problems.append(ConfigError(f"unknown Markdown dialect '{dialect}'", at("markdown"),
                                    f"choose from: {', '.join(MARKDOWN_DIALECTS)}", code="X104"))
    editions: list[EditionConfig] = []
    seen: set[str] = set()
    for index, item in enumerate(data.get("editions") or []):
        path = ("editions", str(index))
        if not isinstance(item, dict):
            problems.append(ConfigError("each edition must be a mapping with at least 'lang'", at(*path),
                                        "write e.g. '- lang: en'", code="C104"))
            continue
        problems += check_keys(item, EDITION_KEYS, where, lines, path)
        lang = item.get("lang")
        if not isinstance(lang, str):
            continue
        if not BCP47.match(lang):
            problems.append(ConfigError(f"'{lang}' is not a BCP 47 language tag", at(*path, "lang"),
                                        "use a tag such as en, ru or pt-BR", code="C107"))
            continue
        if lang in seen:
            problems.append(ConfigError(f"edition '{lang}' is declared twice", at(*path, "lang"),
                                        "keep one entry per language", code="C108"))
            continue
        seen.add(lang)
        folder = root / SOURCE_DIR / lang
        if not folder.is_dir():
            problems.append(ConfigError(f"edition '{lang}' has no folder {SOURCE_DIR}/{lang}/", at(*path, "lang"),
                                        f"create {SOURCE_DIR}/{lang}/ with its Markdown, or remove the edition",
                                        code="C109"))
            continue
        direction = item.get("direction") or ("rtl" if lang.split("-")[0] in RTL_LANGUAGES else "ltr")
        if direction not in ("ltr", "rtl"):
            problems.append(ConfigError(f"direction '{direction}' is not ltr or rtl", at(*path, "direction"),
                                        "use ltr or rtl", code="C104"))
        files = _edition_files(item.get("files"), folder, at(*path, "files"), problems)
        skipped = tuple(p for p in _markdown_in(folder, notes=True) if item.get("files") is None
                        and p.name == "README.md" and p not in files)
        overrides = {k: v for k, v in item.items() if k not in ("lang", "files", "direction")}
        editions.append(EditionConfig(lang, direction, files, overrides, at(*path), skipped))
    if isinstance(original, str) and editions and original not in seen:
        problems.append(ConfigError(f"the original language '{original}' has no edition", at("language"),
                                    f"add '- lang: {original}' under editions", code="C110"))
    if problems:
        raise ConfigErrors(problems)
    return Project(
        root=root, config_path=config_path, slug=data["slug"], identifier=data["identifier"],
        original_lang=data["language"], settings=data, editions=tuple(editions),
        formats=as_tuple(data.get("formats")) or DEFAULT_FORMATS,
        page_size=str(page.get("size", "A4")), pdf_variant=page.get("pdf_variant"),
        pdf_layout=page.get("layout"), extra=data.get("extra") or {},
    )


def _edition_files(listed: Any, folder: Path, where: SourceRef, problems: list[ConfigError]) -> tuple[Path, ...]:
    """The edition's Markdown files: those listed, in order, or every *.md of the folder and its subfolders
    (see _markdown_in)."""
    if listed is None:
        found = _markdown_in(folder)
        if not found and (folder / "README.md").is_file():
            # A README copied in on its own is the text to publish (a project's README, a manual).
            found = [folder / "README.md"]
        if not found:
            problems.append(ConfigError(f"no Markdown files in {folder.name}/", where,
                                        "add a .md file or list files under 'files'", code="C111"))
        return tuple(found)
    files = []
    for name in listed:
        path = (folder / str(name)).resolve()
        if folder.resolve() not in path.parents:
            problems.append(ConfigError(f"file '{name}' is outside the edition's folder", where,
                                        "list files inside the edition's folder", code="C112"))
        elif not path.is_file():
            problems.append(ConfigError(f"file '{name}' does not exist", where,
                                        f"create {folder.name}/{name} or remove it from 'files'", code="C111"))
        else:
            files.append(path)
    return tuple(files)


def _markdown_in(folder: Path, notes: bool = False) -> list[Path]:
    """Every *.md under *folder* in reading order: the folder's own files sorted by name, then each
    subfolder's the same way (a manual copied in as a tree, e.g. MkDocs' docs/). Hidden folders are
    left out, and so are notes (NOT_CONTENT) unless *notes*."""
    found = sorted(p for p in folder.glob("*.md") if p.is_file() and (notes or p.name not in NOT_CONTENT))
    for sub in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        found += _markdown_in(sub, notes)
    return found


# Markdown files in an edition's folder that are notes about the text, not part of it.
NOT_CONTENT = frozenset({"CORRECTIONS.md", "README.md", "NOTES.md"})
