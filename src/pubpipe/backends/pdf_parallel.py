"""The chapter-parallel PDF of a book: plan its pieces, lay them out on an executor, join them.

`pdf_layout` (publication.yaml `page: layout`, or `pubpipe build --pdf-layout`): `chapters` lays a
book out chapter by chapter whenever it can, `single` never, `auto` (the default) when the edition
has at least MIN_CHAPTERS chapter files. What rules it out (a PDF variant, page rules that depend
on where a page falls in the whole book) is said in a warning (S203) and the book is laid out whole.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model import Edition
from .base import BuildContext
from .pdf_cache import PieceCache, Runner, cached_runner
from .pdf_chapters import (
    FILE_START,
    PieceLayout,
    PieceTask,
    chapter_groups,
    folio_html,
    lay_out_piece,
    page_rules,
    piece_override,
)

if TYPE_CHECKING:
    from .render.pagelist import PageStart, PrintLayout

MIN_CHAPTERS = 2
LAYOUTS = ("auto", "chapters", "single")
ROUNDS = 3
"""Times the contents are laid out again when their own page count moves the chapters' numbers."""
# The build time in the print template's head. The pieces go without it and the join writes it: where
# the time is the clock's (no SOURCE_DATE_EPOCH, no git) it changes on every build, and no piece
# would come from the cache.
BUILD_TIME_META = re.compile(r'<meta name="dcterms\.(?:created|modified)" content="[^"]*">\n?')


@dataclass(frozen=True, slots=True)
class JoinedBook:
    """The book laid out chapter by chapter: the joined PDF, where its pages begin, what it cost."""

    pdf: bytes
    starts: tuple[PageStart, ...]
    pages: int
    laid_out: int
    """Pieces laid out by this build (the others came from build/.cache/chapters/)."""
    cached: int


def wants_chapters(edition: Edition, options: Mapping[str, Any]) -> bool:
    """Whether the options and the edition ask for a chapter-parallel layout (before its stylesheets are read).

    A PDF variant (PDF/UA-1, PDF/A-3b) is laid out whole: WeasyPrint writes the variant's own
    metadata and checks, which a joined file would not carry over (docs/PERFORMANCE.md).
    """
    layout = options.get("pdf_layout") or "auto"
    if layout == "single" or options.get("pdf_variant"):
        return False
    return len(chapter_groups(edition)) >= (2 if layout == "chapters" else MIN_CHAPTERS)


def explicit(ctx: BuildContext) -> bool:
    """Whether the author asked for chapters by name (then what rules them out is said in a warning)."""
    return ctx.options.get("pdf_layout") == "chapters"


def count_notes(section: Any) -> int:
    """Footnotes a rendered section calls (writer.footnote: `<span class="footnote" …>`)."""
    return len(re.findall(r'<span class="footnote"', section.heading_html + section.body_html))


def joined_book(edition: Edition, ctx: BuildContext, run: Runner) -> JoinedBook | None:
    """The book laid out piece by piece on *run* and joined; None (with a warning) when it cannot be.

    Raises what WeasyPrint or pypdf raise for a piece (the build reports it as B100).
    """
    from .pdf import PdfBackend, print_sheets
    from .render.pdfjoin import join_apart

    sheets = tuple(print_sheets(edition, ctx))
    texts = [sheet.text if not sheet.path else Path(sheet.path).read_text(encoding="utf-8") for sheet in sheets]
    rules = page_rules(texts)
    backend = PdfBackend()
    rendered = backend.rendered_sections(edition, ctx)
    groups = chapter_groups(edition)
    book = backend.book_html(edition, ctx, rendered)
    obstacle = rules.obstacle
    if not obstacle and book.count(FILE_START) < len(groups) - 1:
        obstacle = "the print template does not mark where chapter files begin (class file-start)"
    if obstacle:
        if not explicit(ctx):
            return None
        ctx.reporter.warn("S203", f"the PDF is laid out whole, not chapter by chapter: {obstacle}", None,
                          "see docs/PERFORMANCE.md, 'Books at speed'")
        return None
    common = PieceTask(html="", base_url=str(edition.source_dir.parent) + "/",
                       roots=tuple(str(p) for p in (ctx.root, *ctx.styles.folders)), allow_remote=ctx.allow_remote,
                       sheets=sheets, override="", keep="", identifier=edition.metadata.identifier.encode("utf-8"),
                       link_base=str(edition.source_dir.parent), strings=rules.strings,
                       named_pages=rules.named_pages)
    notes = 0
    chapters: list[PieceTask] = []
    for group in groups:
        html = BUILD_TIME_META.sub("", backend.book_html(edition, ctx, [rendered[i] for i in group]))
        own = sum(count_notes(rendered[i]) for i in group)
        # A chapter without notes is given no starting number: a note added before it leaves its key alone.
        chapters.append(replace(common, html=html,
                                keep="chapter", override=piece_override(rules, "chapter", notes if own else 0),
                                first_section=group[0]))
        notes += own
    # The front matter's own piece needs the chapters' titles only (for the contents): without their text
    # its key stays the same after an edit inside a chapter, and it is parsed in no time.
    titles = BUILD_TIME_META.sub("", backend.book_html(edition, ctx, [replace(section, body_html="")
                                                                      for section in rendered]))
    front_task = replace(common, html=titles, keep="front", override=piece_override(rules, "front", 0))
    counts: dict[str, int] = {}
    cached = cached_runner(run, PieceCache(ctx.cache_dir), cache_version(backend, texts, ctx), counts)

    def reported(tasks: Sequence[PieceTask]) -> list[PieceLayout]:
        # WeasyPrint's warnings come back with each piece (a cached one too); the reporter says each
        # once, however many pieces read the same stylesheet.
        laid = cached(tasks)
        for piece in laid:
            ctx.reporter.extend(piece.warnings)
        return laid

    run = reported
    laid = run([front_task, *chapters])
    front, pieces = laid[0], laid[1:]
    # Chapters whose own text shows page numbers of other chapters (target-counter outside the
    # contents) are laid out again once the numbers are known.
    body_targets = any(not selector.startswith("nav.toc") for selector, _ in rules.targets)
    for _ in range(ROUNDS):
        numbers = page_numbers(front.page_count, pieces)
        again = [index for index, piece in enumerate(pieces) if body_targets and piece.foreign]
        tasks = [replace(front_task, pages=tuple((n, numbers[n]) for n in front.foreign if n in numbers))]
        tasks += [replace(chapters[i], pages=tuple((n, numbers[n]) for n in pieces[i].foreign if n in numbers))
                  for i in again]
        names = [*front.page_names, *(name for piece in pieces for name in piece.page_names)]
        folio = replace(common, html=folio_html(edition.lang, edition.metadata.direction, names), keep="folio",
                        override=piece_override(rules, "folio", 0))
        done = run([*tasks, folio])
        moved = done[0].page_count != front.page_count or any(
            done[k + 1].page_count != pieces[i].page_count for k, i in enumerate(again))
        front = done[0]
        for k, i in enumerate(again):
            pieces[i] = done[k + 1]
        if not moved:
            break
    pdf = join_apart([front.pdf, *(piece.pdf for piece in pieces)], done[-1].pdf,
                     [front.foreign, *(piece.foreign for piece in pieces)], ctx.build_time)
    starts: list[PageStart] = list(front.starts)
    offset = front.page_count
    for piece in pieces:
        starts += [replace(start, number=start.number + offset) for start in piece.starts]
        offset += piece.page_count
    PieceCache(ctx.cache_dir).trim()
    return JoinedBook(pdf, tuple(starts), offset, counts.get("laid out", 0), counts.get("cached", 0))


def cache_version(backend: Any, texts: list[str], ctx: BuildContext) -> str:
    """What a piece's layout depends on besides its task: the engines, pubpipe's code, the sheets, the fonts."""
    import json

    from ..building.hashing import Hasher, code_digest

    hasher = Hasher("pdf-piece").text(json.dumps(backend.fingerprint(), sort_keys=True)).text(code_digest())
    for text in texts:
        hasher.text(text)
    for path in ctx.styles.fonts():
        hasher.file(path, path.name)
    return hasher.hexdigest()


def page_numbers(front_pages: int, pieces: list[PieceLayout]) -> dict[str, str]:
    """The printed page number of every anchor of the chapters, the front matter taking *front_pages*."""
    numbers: dict[str, str] = {}
    offset = front_pages
    for piece in pieces:
        for name, index in piece.anchors.items():
            numbers.setdefault(name, str(offset + index + 1))
        offset += piece.page_count
    return numbers


def chapter_layout(edition: Edition, ctx: BuildContext) -> PrintLayout | None:
    """The print layout of a book laid out chapter by chapter (pagelist.PrintLayout with its joined PDF),
    or None when the options, the edition or its stylesheets call for one layout of the whole."""
    from ..building.executors import executor_for
    from .render.pagelist import PrintLayout

    if not wants_chapters(edition, ctx.options):
        if explicit(ctx) and ctx.options.get("pdf_variant"):
            ctx.reporter.warn("S203", f"the PDF is laid out whole, not chapter by chapter: a {ctx.options['pdf_variant']} "
                              "file is written by one layout", None, "leave out --pdf-variant for the faster build")
        return None
    executor = executor_for(ctx.options.get("executor"), ctx.options.get("workers"))
    try:
        book = joined_book(edition, ctx, lambda tasks: executor.map(lay_out_piece, tasks))
    finally:
        executor.close()
    if book is None:
        return None
    return PrintLayout(None, book.starts, book.pdf, (book.laid_out, book.cached))
