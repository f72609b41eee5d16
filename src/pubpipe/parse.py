"""Turn an edition's Markdown into one Edition: front matter, one pandoc run, sections, assets."""

from __future__ import annotations

import bisect
import json
import os
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from . import ast
from .errors import ConfigError, MissingDependency, SourceError, SourceRef
from .model import Asset, Edition, EditionLink, Metadata, Node, Section
from .project import SOURCE_DIR, EditionConfig, Project, as_tuple, load_yaml

if TYPE_CHECKING:
    from .report import Reporter

PANDOC_FORMAT = "commonmark_x+sourcepos"
# The Markdown dialects an author may choose (`markdown:` in publication.yaml) and pandoc's reader for
# each. implicit_figures makes a lone image with alt text a Figure; alerts reads GitHub's `> [!NOTE]`.
# pandoc's own `markdown` reader has no sourcepos: positions are found by searching (see positions.py).
DIALECTS = {"commonmark_x": "commonmark_x+sourcepos+implicit_figures",
            "gfm": "gfm+sourcepos+implicit_figures",
            "pandoc": "markdown+alerts"}
DEFAULT_DIALECT = "commonmark_x"
PANDOC_TIMEOUT = 600  # seconds; a 5 MB text takes well under a minute
PANDOC_HEAP_PER_BYTE = 1000  # pandoc's heap limit per byte of input (5 MB text: ~2 GB used, 5 GB allowed)
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(---|\.\.\.)[ \t]*(\n|\Z)", re.DOTALL)
IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
               ".svg": "image/svg+xml", ".webp": "image/webp"}
# Front-matter keys pubpipe interprets; any other key goes into Metadata.extra.
FRONT_MATTER_KEYS = {"title", "subtitle", "description", "authors", "author", "translators", "translator",
                     "keywords", "date", "rights", "publisher", "bibliography", "csl", "references"}


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


def _without_control_characters(text: SourceText, reporter: Reporter | None) -> SourceText:
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
        return SourceText(path, {}, text)
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


def pandoc_path() -> str:
    """The pandoc executable: PUBPIPE_PANDOC if set, else the one that ships inside pypandoc-binary."""
    override = os.environ.get("PUBPIPE_PANDOC")
    if override:
        return override
    try:
        import pypandoc
        return str(pypandoc.get_pandoc_path())
    except (ImportError, OSError) as exc:  # pragma: no cover - depends on the installation
        raise MissingDependency(f"pandoc is not installed ({exc})", hint="pip install pypandoc-binary",
                                code="D101") from None


def run_pandoc(text: str, where: SourceRef, word_positions: bool = False,
               reader: str = PANDOC_FORMAT) -> dict[str, Any]:
    """Parse Markdown with pandoc into its JSON AST (with the place of every word if asked:
    the translation workflow cuts segments out of the source by them); *reader* is pandoc's `-f`."""
    import subprocess  # here: a build with nothing to do reads this module but runs no pandoc
    pandoc = pandoc_path()
    data = text.encode("utf-8")
    # Some short inputs (runs of nested emphasis) make pandoc's parser take many GB: cap its heap
    # (a 5 MB book needs about 2 GB), so such a text fails with S105 instead of exhausting the machine.
    heap_mb = max(2048, len(data) * PANDOC_HEAP_PER_BYTE // 2**20)
    try:
        done = subprocess.run([pandoc, "+RTS", f"-M{heap_mb}m", "-RTS", "-f", reader, "-t", "json"],
                              input=data,
                              capture_output=True, timeout=PANDOC_TIMEOUT, check=False)
    except FileNotFoundError:
        raise MissingDependency(f"pandoc not found at {pandoc}", None,
                                "unset PUBPIPE_PANDOC or pip install pypandoc-binary", code="D101") from None
    except OSError as exc:
        raise MissingDependency(f"pandoc at {pandoc} could not be started: {exc.strerror}", None,
                                "unset PUBPIPE_PANDOC or reinstall pypandoc-binary", code="D101") from None
    except subprocess.TimeoutExpired:
        raise SourceError(f"pandoc did not finish within {PANDOC_TIMEOUT} s", where,
                          "split the text into several files", code="S105") from None
    if done.returncode != 0 and b"Heap exhausted" in done.stderr:
        raise SourceError(f"pandoc ran out of memory reading the text (limit {heap_mb} MB)", where,
                          "look for long runs of nested emphasis marks (***…***) or brackets, or split the text",
                          code="S105")
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SourceError(f"pandoc failed (exit {done.returncode}): {message[0] if message else 'no message'}",
                          where, "check the Markdown syntax; if pandoc itself is broken, reinstall pypandoc-binary",
                          code="S103")
    try:
        result: dict[str, Any] = json.loads(done.stdout, object_hook=None if word_positions else _drop_word_wrappers)
        result["blocks"]
    except (ValueError, KeyError, TypeError):
        raise SourceError("pandoc gave output pubpipe cannot read", where,
                          "use pandoc 3 (reinstall pypandoc-binary or fix PUBPIPE_PANDOC)", code="S105") from None
    return result


WORDS = frozenset({"Str", "Space", "SoftBreak"})


def _drop_word_wrappers(node: dict[str, Any]) -> Any:
    """Unwrap a word or a space from its sourcepos wrapper while pandoc's JSON is read.

    `sourcepos` wraps every inline in a Span with its position: four fifths of the JSON, and two
    thirds of the memory of reading a 300-page book (383 MB, 140 MB without). Nothing reports a
    place inside a paragraph by its words (links, images, code, raw HTML and emphasis keep their
    positions; the rest is found from the block's), so these wrappers go as soon as they are read.
    """
    if node.get("t") == "Span":
        attr, inlines = node["c"]
        # A wrapper with an id or classes carries the author's attributes (`word{#id}`, `{#tbl-x}`): kept.
        if (len(inlines) == 1 and inlines[0].get("t") in WORDS and attr[2][:1] == [["wrapper", "1"]]
                and not attr[0] and not attr[1]):
            return inlines[0]
    return node


def _unique_note_labels(body: str, index: int) -> str:
    """Prefix footnote labels with the file's index, so [^1] in two chapter files stay two notes."""
    out, fence = [], None
    for line in body.split("\n"):
        stripped = line.lstrip()
        if fence is None and stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
        elif fence is not None and stripped.startswith(fence):
            fence = None
        elif fence is None:
            line = re.sub(r"\[\^([^\]\s]+)\]", lambda m: f"[^f{index}-{m.group(1)}]", line)
        out.append(line)
    return "\n".join(out)


POSITION = re.compile(r"(\d+):(\d+)")


class LineMap:
    """Maps lines of the concatenated edition text back to (file, line)."""

    def __init__(self) -> None:
        self.firsts: list[int] = []
        self.paths: list[Path] = []
        self.starts: list[int] = []

    def add(self, first_line: int, path: Path, start: int = 1) -> None:
        """Lines from *first_line* on are *path*'s lines from *start* on (until the next add)."""
        self.firsts.append(first_line)
        self.paths.append(path)
        self.starts.append(start)

    def ref(self, line: int, column: int | None = None) -> SourceRef:
        # Called for every node of the edition: a binary search over the runs' first lines.
        index = max(bisect.bisect_right(self.firsts, line) - 1, 0)
        return SourceRef(self.paths[index], line - self.firsts[index] + self.starts[index], column)


def _positions(node: Node, lines: LineMap) -> Node:
    """Replace pandoc's sourcepos wrappers by a `pos` SourceRef on each block, Link and Image."""
    def strip(items: list[Any]) -> list[Any]:
        result: list[Any] = []
        for item in items:
            if isinstance(item, dict) and item.get("t") in ("Div", "Span"):
                attr = item["c"][0]
                pairs = dict(attr[2])
                if pairs.get("wrapper") == "1" and (attr[0] or attr[1]):
                    # The author's attributes landed on a position wrapper (`word{#id}`): a real Span.
                    attr[2] = [pair for pair in attr[2] if pair[0] != "wrapper"]
                elif pairs.get("wrapper") == "1":
                    inner = strip(item["c"][1])
                    if inner and "data-pos" in pairs and "pos" not in inner[0]:
                        inner[0]["pos"] = _parse_pos(pairs["data-pos"], lines)
                    result.extend(inner)
                    continue
            result.append(walk(item))
        return result

    def walk(value: Any) -> Any:
        if isinstance(value, list):
            return strip(value)
        if isinstance(value, dict) and "t" in value:
            attr = ast.attr_of(value)
            if attr is not None:
                kept = [pair for pair in attr[2] if pair[0] != "data-pos"]
                if len(kept) != len(attr[2]):
                    value["pos"] = _parse_pos(dict(attr[2])["data-pos"], lines)
                    attr[2] = kept
            if "c" in value:
                value["c"] = walk(value["c"])
        return value

    result: Node = walk(node)
    return result


def _parse_pos(text: str, lines: LineMap) -> SourceRef:
    match = POSITION.search(text)
    if not match:
        return lines.ref(1)
    return lines.ref(int(match.group(1)), int(match.group(2)))


def _split_sections(blocks: list[Node], first: SourceRef) -> tuple[Section, ...]:
    """Split blocks at level-1 headings; text before the first heading is an opening section."""
    sections: list[Section] = []
    heading: Node | None = None
    body: list[Node] = []

    def close() -> None:
        if heading is None and not body:
            return
        where = (heading or body[0]).get("pos") or first
        if heading is None:
            section_id, title = "opening", ""
        else:
            section_id, title = heading["c"][1][0], ast.plain_text(heading["c"][2])
        found = set(ast.ids_in([heading] if heading else []) + ast.ids_in(body))
        sections.append(Section(section_id, title, heading, tuple(body), where, frozenset(found)))

    for block in blocks:
        if block["t"] == "Header" and block["c"][0] == 1:
            close()
            heading, body = block, []
        else:
            body.append(block)
    close()
    return tuple(sections)


def _collect_assets(blocks: list[Node], project: Project, reporter: Reporter | None = None,
                    allow_remote: bool = False) -> tuple[Asset, ...]:
    """Resolve every image against its source file, check it is a real image inside the project;
    fetch web images when allowed (into build/.cache/remote/), else show their alt text.

    Each image that cannot be used is an error in *reporter* (every one of them, not just the first);
    without a reporter the first one is raised as a SourceError (and warnings are dropped).
    """
    from .names import file_candidates
    from .remote import FetchError, fetch_image, is_remote
    from .transforms.raw_html import runs_code

    assets: dict[str, Asset] = {}
    source_root = project.source_dir.resolve()
    root = project.root.resolve()

    def problem(code: str, message: str, where: SourceRef, hint: str) -> None:
        if reporter is None:
            raise SourceError(message, where, hint, code=code)
        reporter.error(code, message, where, hint)

    def warn(code: str, message: str, where: SourceRef, hint: str) -> None:
        if reporter is not None:
            reporter.warn(code, message, where, hint)

    # One walk over a long book, not one per kind of node.
    nodes = [node for node in ast.children(blocks) if node["t"] in ("Image", "Link", "Figure")]
    images = [node for node in nodes if node["t"] == "Image"]
    in_links = {id(image) for link in nodes if link["t"] == "Link" and images
                for image in ast.find(link["c"][1], "Image")}
    shown_alt = False
    for image in images:
        target = image["c"][2][0]
        where: SourceRef = image.get("pos") or SourceRef(project.config_path)
        in_link = id(image) in in_links or image.pop("in_link", False)
        if runs_code(target):
            warn("H103", f"image '{target}' would run code; its alt text is shown instead", where,
                 "give the image a file in the project or a web address")
            _show_alt(image, "", True)
            shown_alt = True
            continue
        if is_remote(target):
            if not allow_remote:
                warn("H101", f"web image '{target}' not fetched; its alt text is shown, linked to it", where,
                     "pass --allow-remote or set 'allow_remote: true' in publication.yaml to fetch and "
                     "embed it, or copy the image into source/")
                _show_alt(image, target, in_link)
                shown_alt = True
                continue
            try:
                fetched = fetch_image(target, project.build_dir / ".cache" / "remote")
            except FetchError as exc:
                warn("H102", f"web image '{target}' could not be fetched ({exc}); its alt text is shown, "
                     "linked to it", where, "check the address, or copy the image into source/; "
                     "the next build tries again (--force if nothing else changed)")
                _show_alt(image, target, in_link)
                shown_alt = True
                continue
            href = f"remote/{fetched.path.name}"
            image["c"][2][0] = href
            assets.setdefault(href, Asset(fetched.path, href, fetched.media_type))
            continue
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE) or target.startswith("//"):
            problem("P013", f"image '{target}' is not a file in the project", where,
                    "copy the image into source/ and use a relative path")
            continue
        # As written, else percent-decoded: `my%20picture.png` is how CommonMark spells `my picture.png`.
        candidate = where.path.parent / target
        for name in file_candidates(target):
            if (where.path.parent / name).is_file():
                candidate = where.path.parent / name
                break
        resolved = candidate.resolve()
        if target.startswith("/") or (root not in resolved.parents):
            problem("P014", f"image path '{target}' leaves the project", where,
                    "keep images inside the project's source/ folder")
            continue
        if not resolved.is_file():
            problem("P012", f"image '{target}' not found (looked in {candidate.parent.relative_to(root)}/)",
                    where, "check the file name and path")
            continue
        if source_root not in resolved.parents:
            problem("P014", f"image '{target}' is outside source/", where, "move it under source/")
            continue
        media_type = IMAGE_TYPES.get(resolved.suffix.lower())
        if media_type is None or not _looks_like(resolved, media_type):
            problem("P015", f"'{target}' is not a PNG, JPEG, GIF, WebP or SVG image", where,
                    "export it in one of those formats")
            continue
        href = resolved.relative_to(source_root).as_posix()
        image["c"][2][0] = href
        assets.setdefault(href, Asset(resolved, href, media_type))
    # A figure of one image shown as its alt text would say that text twice (link and caption).
    for figure in [node for node in nodes if node["t"] == "Figure" and shown_alt]:
        body = figure["c"][2]
        if (len(body) == 1 and body[0]["t"] in ("Plain", "Para") and len(body[0]["c"]) == 1
                and body[0]["c"][0]["t"] in ("Link", "Span") and "image-alt" in body[0]["c"][0]["c"][0][1]):
            figure["t"], figure["c"] = "Para", body[0]["c"]
    return tuple(assets.values())


def _show_alt(image: Node, url: str, in_link: bool) -> None:
    """Turn an Image node (in place) into its alt text: a link to *url*, or plain text inside a link
    (a badge: the link around it stays the link) or without a URL."""
    attr, alt, (_target, title) = image["c"]
    if not alt:
        name = url.rstrip("/").rsplit("/", 1)[-1].split("?")[0] or "image"
        alt = [{"t": "Str", "c": f"[{name}]"}]
    attr = [attr[0], [*attr[1], "image-alt"], []]
    if in_link or not url:
        image["t"], image["c"] = "Span", [attr, alt]
    else:
        image["t"], image["c"] = "Link", [attr, alt, [url, title]]


def _looks_like(path: Path, media_type: str) -> bool:
    from .remote import sniff

    with path.open("rb") as file:
        return sniff(file.read(65536), media_type)


def resolve_metadata(project: Project, edition: EditionConfig, front: dict[str, Any]) -> Metadata:
    """Publication-wide values, overlaid by the edition's entry in publication.yaml, then its front matter."""
    settings = dict(project.settings)
    merged: dict[str, Any] = {k: settings.get(k) for k in ("title", "subtitle", "description", "authors",
                                                            "publisher", "rights", "date", "keywords")}
    if edition.lang != project.original_lang:
        merged["description"] = None  # a translation's description must be its own
    merged.update(edition.overrides)
    extra = dict(project.extra)
    for key, value in front.items():
        if key in FRONT_MATTER_KEYS:
            merged[{"author": "authors", "translator": "translators"}.get(key, key)] = value
        else:
            extra[key] = value
    identifier = project.identifier
    if edition.lang != project.original_lang:
        # Each translation is its own publication with its own stable identifier.
        base = identifier.removeprefix("urn:uuid:")
        try:
            identifier = f"urn:uuid:{uuid.uuid5(uuid.UUID(base), edition.lang)}"
        except ValueError:
            identifier = f"{identifier}-{edition.lang}"
    return Metadata(
        title=str(merged.get("title") or ""), lang=edition.lang, identifier=identifier,
        authors=as_tuple(merged.get("authors")), subtitle=str(merged.get("subtitle") or ""),
        description=" ".join(str(merged.get("description") or "").split()),
        translators=as_tuple(merged.get("translators")), publisher=str(merged.get("publisher") or ""),
        rights=str(merged.get("rights") or ""), date=str(merged.get("date") or ""),
        keywords=as_tuple(merged.get("keywords")), direction=edition.direction,
        page_size=project.page_size, extra=extra,
        original_identifier="" if identifier == project.identifier else project.identifier,
    )


def dialect_of(project: Project) -> str:
    """The Markdown dialect the publication is written in (`markdown:` in publication.yaml)."""
    return str(project.settings.get("markdown") or DEFAULT_DIALECT)


def _title_block(meta: dict[str, Any]) -> dict[str, Any]:
    """Title, authors and date from pandoc's `% title` block (pandoc's Markdown), as front-matter values."""
    found: dict[str, Any] = {}
    for key, name in (("title", "title"), ("author", "authors"), ("date", "date")):
        value = meta.get(key)
        if value is None:
            continue
        if value.get("t") == "MetaList":
            found[name] = [_meta_text(item) for item in value["c"]]
        else:
            found[name] = _meta_text(value)
    return found


def _meta_text(value: dict[str, Any]) -> str:
    """A metadata value of pandoc's as plain text (MetaString, MetaInlines or MetaBlocks)."""
    content = value.get("c")
    return content if isinstance(content, str) else ast.plain_text(content)


def parse_edition(project: Project, lang: str, reporter: Reporter | None = None,
                  allow_remote: bool = False) -> Edition:
    """Read every file of one edition, parse them with one pandoc run, and build its Edition.

    Problems with images go to *reporter* (all of them); without one the first is raised. Web
    images are fetched only if *allow_remote*. Raises SourceError or ConfigError for what stops
    the reading itself (not UTF-8, bad front matter, pandoc, a bibliography citeproc cannot read).
    Citations are rendered here (citeproc needs the bibliography); its warnings about unknown keys
    go to *reporter*.
    """
    from .admonitions import admonitions_to_callouts, text_and_lines
    from .definitions import term_definitions
    from .transforms.raw_html import extract_images

    config = project.edition(lang)
    dialect = dialect_of(project)
    texts = [read_source(path) for path in config.files]
    texts = [_without_control_characters(text, reporter) for text in texts]
    lines = LineMap()
    parts: list[str] = []
    line = 1
    for index, text in enumerate(texts):
        body = _unique_note_labels(text.body, index) if len(texts) > 1 else text.body
        body = term_definitions(body) or body
        converted = admonitions_to_callouts(body, text.path) if dialect != "pandoc" else None
        if converted is None:
            lines.add(line, text.path)
        else:
            body, runs = text_and_lines(converted)
            for first, path, start in runs:
                lines.add(line + first - 1, path, start)
        body = body.rstrip("\n") + "\n\n"
        parts.append(body)
        line += body.count("\n")
    whole = "".join(parts)
    document = run_pandoc(whole, SourceRef(config.files[0]), reader=DIALECTS[dialect])
    if dialect == "pandoc":
        from .positions import find_positions

        blocks = document["blocks"]
        find_positions(blocks, whole, lines)
    else:
        blocks = _positions({"t": "Document", "c": document["blocks"]}, lines)["c"]
    if not blocks:
        raise SourceError("the edition has no text", SourceRef(config.files[0], 1),
                          "write the text below the front matter", code="S104")
    front = {**_title_block(document.get("meta") or {}), **texts[0].front_matter}
    if sum("title" in text.front_matter for text in texts) > 1:
        # Every page carries a title (MkDocs, Jekyll, Hugo): the first page's is its own, not the book's.
        front.pop("title", None)
    metadata = resolve_metadata(project, config, front)
    if not metadata.title:
        raise ConfigError("the edition has no title", SourceRef(config.files[0], 1, None, "title"),
                          "set 'title' in publication.yaml or the front matter", code="C105")
    from .bibliography import render_citations

    if re.search(r"<img", whole, re.IGNORECASE):  # a look at the text spares a walk over a long book
        blocks = extract_images(blocks, project.root, SourceRef(config.files[0], 1))
    blocks = render_citations(blocks, project, config, front, dialect, reporter)
    assets = _collect_assets(blocks, project, reporter, allow_remote)
    sections = _split_sections(blocks, SourceRef(config.files[0], 1))
    return Edition(
        slug=project.slug, lang=lang, is_original=lang == project.original_lang, metadata=metadata,
        sections=sections, assets=assets, sources=config.files,
        source_dir=project.source_dir / lang, others=(),
    )


def link_editions(editions: list[Edition]) -> list[Edition]:
    """Tell each edition about the others (for alternate links and the language switcher)."""
    from dataclasses import replace

    from .i18n import language_name

    linked = []
    for edition in editions:
        others = tuple(EditionLink(other.lang, other.metadata.title, language_name(other.lang))
                       for other in editions if other.lang != edition.lang)
        linked.append(replace(edition, others=others))
    return linked


def iter_blocks(edition: Edition) -> Iterator[Node]:
    """Every top-level block of an edition, headings included, in reading order."""
    for section in edition.sections:
        if section.heading is not None:
            yield section.heading
        yield from section.blocks


def prepare_edition(project: Project, lang: str, reporter: Reporter | None = None,
                    allow_remote: bool = False, debug: bool = False) -> Edition | None:
    """Parse one edition and run every transform of the pipeline; every problem goes to *reporter*.

    Returns None when the edition cannot be read at all (the reason is an error in *reporter*);
    otherwise the edition, which may still carry errors the build reports before writing anything.
    With *debug* (--debug) an error that stops the reading is raised instead, with its traceback.
    """
    from .errors import PubpipeError
    from .glyphs import check_glyphs
    from .report import Reporter
    from .transforms import TransformContext, apply_all

    reporter = reporter if reporter is not None else Reporter()
    config = project.edition(lang)
    for skipped in config.skipped:
        name = skipped.relative_to(project.root / SOURCE_DIR / lang).as_posix()
        reporter.warn("P040", f"{name} is not published: beside other Markdown files it is taken for "
                      "notes about the text", SourceRef(skipped),
                      f"to publish it, list it under 'files' of the '{lang}' edition in publication.yaml")
    allow_remote = allow_remote or project.allow_remote
    context = TransformContext(project.root, project.languages, reporter, allow_remote, project.settings)
    try:
        # With --debug the first problem is raised where it is found, with its traceback.
        edition = apply_all(parse_edition(project, lang, None if debug else reporter, allow_remote), context)
        check_glyphs(edition, project.root, reporter)  # once per edition, for every format
        return edition
    except RecursionError:
        # pandoc nests without limit; Python's walks over the tree do not.
        reporter.error("S106", "the text is nested too deeply to process", SourceRef(config.files[0]),
                       "flatten deeply nested lists or block quotes")
    except PubpipeError as error:
        if debug:
            raise
        reporter.exception(error)
    return None
