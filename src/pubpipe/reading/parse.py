"""Turn an edition's Markdown into one Edition: its files joined, one pandoc run, metadata, images, sections."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError, SourceError, SourceRef
from ..model import Edition, Node
from .project import Project

if TYPE_CHECKING:
    from ..report import Reporter
from .assets import collect_assets
from .metadata import resolve_metadata, title_block
from .pandoc import DIALECTS, dialect_of, run_pandoc
from .parsed import FileText, joined, parse_files, separable
from .sections import LineMap, from_sourcepos, split_sections
from .sources import read_source, without_control_characters


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


def parse_edition(project: Project, lang: str, reporter: Reporter | None = None,
                  allow_remote: bool = False, cache_dir: Path | None = None) -> Edition:
    """Read every file of one edition, parse them with one pandoc run, and build its Edition.

    Problems with images go to *reporter* (all of them); without one the first is raised. Web
    images are fetched only if *allow_remote*. Raises SourceError or ConfigError for what stops
    the reading itself (not UTF-8, bad front matter, pandoc, a bibliography citeproc cannot read).
    Citations are rendered here (citeproc needs the bibliography); its warnings about unknown keys
    go to *reporter*.
    The files' parses are kept in *cache_dir* (default build/.cache; see parsed.py).
    """
    from ..transforms.raw_html import extract_images
    from .admonitions import admonitions_to_callouts, text_and_lines
    from .definitions import term_definitions
    from .legacy import joined_references

    config = project.edition(lang)
    dialect = dialect_of(project)
    texts = [read_source(path) for path in config.files]
    texts = [without_control_characters(text, reporter) for text in texts]
    files: list[FileText] = []
    for index, text in enumerate(texts):
        body = _unique_note_labels(text.body, index) if len(texts) > 1 else text.body
        body = term_definitions(body) or body
        body = joined_references(body) or body
        converted = admonitions_to_callouts(body, text.path) if dialect != "pandoc" else None
        runs: tuple[tuple[int, Path, int], ...] = ((1, text.path, 1),)
        if converted is not None:
            body, found = text_and_lines(converted)
            runs = tuple(found)
        files.append(FileText(body.rstrip("\n") + "\n\n", runs))
    whole = "".join(file.text for file in files)
    blocks: list[Node] | None = None
    meta: dict[str, Any] = {}
    if dialect != "pandoc" and separable(files):
        # Each file parsed on its own and kept: after an edit pandoc reads the edited file only.
        parsed = parse_files(files, DIALECTS[dialect], cache_dir if cache_dir is not None
                             else project.build_dir / ".cache")
        blocks, meta = joined(parsed, DIALECTS[dialect]), parsed[0].meta
    if blocks is None:
        lines = LineMap()
        line = 1
        for file in files:
            for first, path, start in file.runs:
                lines.add(line + first - 1, path, start)
            line += file.text.count("\n")
        document = run_pandoc(whole, SourceRef(config.files[0]), reader=DIALECTS[dialect])
        meta = document.get("meta") or {}
        if dialect == "pandoc":
            from .positions import find_positions

            blocks = document["blocks"]
            find_positions(blocks, whole, lines)
        else:
            blocks = from_sourcepos({"t": "Document", "c": document["blocks"]}, lines)["c"]
    if not blocks:
        raise SourceError("the edition has no text", SourceRef(config.files[0], 1),
                          "write the text below the front matter", code="S104")
    front = {**title_block(meta), **texts[0].front_matter}
    if sum("title" in text.front_matter for text in texts) > 1:
        # Every page carries a title (MkDocs, Jekyll, Hugo): the first page's is its own, not the book's.
        front.pop("title", None)
    metadata = resolve_metadata(project, config, front)
    if not metadata.title:
        raise ConfigError("the edition has no title", SourceRef(config.files[0], 1, None, "title"),
                          "set 'title' in publication.yaml or the front matter", code="C105")
    from .bibliography import render_citations

    # A look at the text spares a walk over a long book: no `<img`, no raw image; no `![` either, no image.
    raw_images = re.search(r"<img", whole, re.IGNORECASE) is not None
    if raw_images:
        blocks = extract_images(blocks, project.root, SourceRef(config.files[0], 1))
    blocks = render_citations(blocks, project, config, front, dialect, reporter)
    assets = collect_assets(blocks, project, reporter, allow_remote, lang) if raw_images or "![" in whole else ()
    sections = split_sections(blocks, SourceRef(config.files[0], 1))
    return Edition(
        slug=project.slug, lang=lang, is_original=lang == project.original_lang, metadata=metadata,
        sections=sections, assets=assets, sources=config.files,
        source_dir=project.source_dir / lang, others=(),
    )
